"""Command, pursuit and prosecution in the ENGINE against closed forms: the lead-pursuit intercept
time (reference ``theory-and-calibration.md`` §2.7), Erlang B for a loss system of interceptors
(§2.9), and the datum search that follows a lost track.

Geometry: the interceptors' base is on the south shore of Saint Croix (USVI, a US territory, so the
test partner -- a US agency -- has authority in the nearby waters and no legal request ever holds
a pursuit up); a scenario base must stand within 2 nm of a coast, so the open-water kit around
14 N, 66.5 W cannot hold it. Ships sail from the base's *harbour exit* (the nearest point at least
1 nm off the coast, :func:`mda_sim.engine.platforms.harbour_exit`), and every target is placed in
the open Caribbean south of it, relative to that exit in the planar frame (x east, y north, nm).
Suspects are labelled at once: a fixed EO/IR site (``classifies: true``, definite range, antenna
high enough that the horizon does not bind), ``p_correct_eo: 1``, ``sharing_latency_h: 0``.
Targets are stateless (the right of visit, UNCLOS Art. 110: boarding allowed at once) and neither
evade nor jettison. The interceptor type is our own (turnaround 0, long endurance, no sensors).

Statistical tolerances are four standard errors (two-sided false-failure rate ~6e-5 under a normal
approximation; seeds are fixed, so a pass is reproducible). ``MDA_SIM_FULL_STATS=1`` raises the
sample sizes about tenfold.
"""

from __future__ import annotations

import math
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest

from mda_sim.engine.platforms import harbour_exit
from mda_sim.engine.world import World
from mda_sim.geography import load_geography
from mda_sim.kinematics.intercept import solve_intercept
from mda_sim.theory.queueing import erlang_b
from tests.conftest import FULL_STATS
from tests.engine.kit import _legs, _load, _scenario, _sensor, _vessel_type

#: A base on the south shore of Saint Croix [deg] (0.7 nm from the shipped coastline).
BASE_LAT, BASE_LON = 17.69, -64.75
#: The operating box: Saint Croix and the open sea south of it [deg].
AREA = (-66.5, -63.0, 15.5, 18.5)
#: Worked example of reference §2.7 (also the docstring of ``solve_intercept``): pursuer at the
#: origin, 40 kn; target 20 nm off, crossing at 30 kn.
WORKED_TIME_H = 0.7559


@pytest.fixture(scope="module")
def geo():
    return load_geography()


@pytest.fixture(scope="module")
def home(geo):
    """The base's harbour exit in the planar frame [nm] (where on-call ships sail from)."""
    bx, by = geo.frame.to_xy(BASE_LON, BASE_LAT)
    return harbour_exit(SimpleNamespace(geo=geo), np.array([float(bx), float(by)]))


def _latlon(geo, xy) -> tuple[float, float]:
    lon, lat = geo.frame.to_lonlat(float(xy[0]), float(xy[1]))
    return float(lat), float(lon)


def _spot(geo, rid: str, xy, radius_nm: float) -> dict:
    lat, lon = _latlon(geo, xy)
    return {"id": rid, "name": rid, "circle": {"lat_deg": lat, "lon_deg": lon, "radius_nm": radius_nm}}


def _eo_type(sid: str, range_nm: float) -> dict:
    return {"id": sid, "name": f"EO/IR {sid}", "kind": "eo_ir", "instrumented_range_nm": range_nm,
            "classifies": True, "detection": {"model": "definite_range", "range_nm": range_nm}}


def _eo_site(geo, sid: str, stype: str, xy, antenna_height_m: float = 2000.0) -> dict:
    return _sensor(sid, stype, *_latlon(geo, xy), antenna_height_m=antenna_height_m)


def _illicit(fid: str, origin: str, destination: str, departures: dict, speed_kn: float, **extra) -> dict:
    return {"id": fid, "vessel_type": "tv", "origin": origin, "destination": destination,
            "departures": departures, "speed_kn": {"dist": "fixed", "value": float(speed_kn)},
            "cargo": {"kind": "cocaine", "kg": {"dist": "fixed", "value": 500.0}},
            "flag": {"stateless": 1.0}, "evades": False, "jettisons": False, **extra}


def _command_doc(*, regions, sensors, sensor_types, flows, duration_h, max_speed_kn=40.0,
                 cruise_speed_kn=20.0, count=1, tasking=None, endgame=None, pursuit=None,
                 picture=None) -> dict:
    """A scenario with ``count`` on-call interceptors at the Saint Croix base (see the module notes)."""
    doc = _scenario(regions=regions, flows=[], sensors=sensors, sensor_types=sensor_types,
                    vessel_types=[_vessel_type("tv", speed_kn=30.0)], duration_h=duration_h, area=AREA)
    doc["traffic"] = {"illicit": flows}
    doc["bases"] = [{"id": "stx", "name": "Saint Croix south shore (test)", "state": "USA", "kind": "port",
                     "lat_deg": BASE_LAT, "lon_deg": BASE_LON}]
    doc["catalog"]["asset_types"] = [{
        "id": "interceptor", "name": "test interceptor", "category": "interceptor",
        "max_speed_kn": max_speed_kn, "cruise_speed_kn": cruise_speed_kn, "endurance_h": 2880.0,
        "turnaround_h": 0.0, "can_board": True}]
    doc["assets"] = [{"id": "ic", "partner": "tp", "type": "interceptor", "base": "stx", "count": count,
                      "availability": 1.0, "patrol": {"pattern": "on_call"}}]
    doc["picture"] = {"sharing_latency_h": 0.0, "classification": {"p_correct_eo": 1.0}, **(picture or {})}
    doc["command"] = {
        "tasking": {"retask": False, **(tasking or {})},
        "endgame": {"boarding_h": {"dist": "fixed", "value": 1.0}, **(endgame or {})},
        "pursuit": pursuit or {},
    }
    return doc


def _by_kind(log, kind: str) -> list:
    return [e for e in log if e.kind == kind]


def _at(leg, t: float) -> np.ndarray:
    """Position on a logged vessel leg ``(t0, p0, v, t1, behaviour)`` at ``t``."""
    return leg[1] + leg[2] * (t - leg[0])


# ================================================================== 1. the intercept time
INTERCEPT_CASES = {
    # name: (target start rel. to the exit, target end rel. to the exit, speed [kn], decision, comms,
    #        alert launch delay [h])
    "worked_example": ((0.0, -20.0), (60.0, -20.0), 30.0, 0.0, 0.0, 0.0),
    "with_latencies": ((-40.0, -30.0), (40.0, -10.0), 25.0, 0.25, 0.1, 0.5),
}


@pytest.mark.parametrize("case", sorted(INTERCEPT_CASES))
def test_intercept_time_is_latency_plus_launch_delay_plus_lead_pursuit(tmp_path, geo, home, case):
    """Lead pursuit at maximum speed (reference §2.7): one interceptor on call (40 kn) against one
    target on a straight constant-velocity leg, labelled suspect at its departure.

    Expected, from the logged positions at the decision time ``t_d`` (the ``tasked`` record): the
    asset waits ``decision_latency_h + comms_latency_h + alert_launch_delay_h`` (it is at base),
    then ``solve_intercept(home, x(t_d + wait), v, 40)`` (the target's position when the asset
    moves); so ``pursuit_ended(intercepted) - t_d = wait + tau``, to 1e-6 h, and this equals the
    ``intercept_h`` predicted in the ``tasked`` record. Deterministic.

    ``worked_example`` places the reference's worked case in the engine: no latencies, the target
    20 nm south of the exit crossing east at 30 kn (the mirror image of the reference's (0, 20),
    (30, 0): the time is the same) -- the engine's intercept takes 0.7559 h (4 dp). The target's
    origin is a circle of 1e-5 nm, so the placement error is ~1e-6 h.
    """
    start, end, speed, decision_h, comms_h, alert_h = INTERCEPT_CASES[case]
    radius = 1e-5 if case == "worked_example" else 0.01
    origin, dest = home + np.array(start), home + np.array(end)
    doc = _command_doc(
        regions=[_spot(geo, "o", origin, radius), _spot(geo, "d", dest, radius)],
        sensors=[_eo_site(geo, "eo", "eo_wide", origin)], sensor_types=[_eo_type("eo_wide", 100.0)],
        flows=[_illicit("run", "o", "d", {"process": "schedule", "times_h": [0.0]}, speed)],
        tasking={"decision_latency_h": decision_h, "comms_latency_h": comms_h, "alert_launch_delay_h": alert_h},
        duration_h=6.0)
    log = list(World(_load(doc, tmp_path)).run())
    (tasked,) = _by_kind(log, "tasked")
    (ended,) = _by_kind(log, "pursuit_ended")
    assert ended.reason == "intercepted" and ended.asset == tasked.asset == "ic/1"
    (leg,) = _legs(log)["run#0"][:1]
    assert leg[4] == "transit" and leg[0] == 0.0
    t_d = tasked.t_h
    assert t_d == 0.0  # labelled suspect, and tasked, at the departure
    wait = decision_h + comms_h + alert_h
    sol = solve_intercept(home, _at(leg, t_d + wait), leg[2], 40.0)
    assert ended.t_h - t_d == pytest.approx(wait + sol.time_h, abs=1e-6)
    assert tasked.intercept_h == pytest.approx(ended.t_h - t_d, abs=1e-6)
    assert [tasked.x_nm, tasked.y_nm] == pytest.approx(list(_at(leg, ended.t_h)), abs=1e-5)
    # the asset sat at base for the wait, then ran straight at 40 kn to the meeting point
    asset_legs = [e for e in _by_kind(log, "asset_leg_started") if e.t_h < ended.t_h]
    pursuit = [e for e in asset_legs if e.activity == "pursuit"]
    assert len(pursuit) == 1 and pursuit[0].t_h == pytest.approx(t_d + wait, abs=1e-9)
    assert [pursuit[0].x_nm, pursuit[0].y_nm] == pytest.approx(list(home), abs=1e-9)
    assert math.hypot(pursuit[0].vx_kn, pursuit[0].vy_kn) == pytest.approx(40.0, rel=1e-9)
    assert [e.activity for e in asset_legs] == (["awaiting_launch", "pursuit"] if wait > 0 else ["pursuit"])
    if case == "worked_example":
        assert round(ended.t_h - t_d, 4) == WORKED_TIME_H
        assert ended.t_h - t_d == pytest.approx(
            solve_intercept([0.0, 0.0], [0.0, 20.0], [30.0, 0.0], 40.0).time_h, abs=1e-5)
        # the meeting point: (22.68, -20) from the exit (the reference's (22.68, 20), mirrored)
        assert [tasked.x_nm - home[0], tasked.y_nm - home[1]] == pytest.approx([22.678, -20.0], abs=1e-3)
    (outcome,) = _by_kind(log, "voyage_outcome")
    assert outcome.outcome == "seized"


# ================================================================== 2. Erlang B
def test_loss_system_blocks_as_erlang_b(tmp_path, geo, home):
    """Erlang B (reference §2.9): with ``max_wait_h: 0`` a suspect not assigned at the instant it
    becomes suspect is given up (``detected_no_asset``), so c = 2 identical interceptors on call
    (availability 1) form an M/G/c/c loss system, and the fraction of suspects given up is
    ``B(c, a)``, ``a = lambda E[S]``.

    Suspects depart as a Poisson process (``lambda`` = 1/h) from a circle 3 nm south of the
    base's harbour exit, are seen and labelled at once (EO/IR site over the circle; no latencies;
    alert launch delay 0), run south at 1 kn (13 h to a destination 10 nm on, so none arrives
    before it is served), are stateless (boarding allowed at once), carry no evidence
    (``p_evidence`` 0: released, no delivery trip) and the interceptors turn around in 0 h. The
    service is: the run out (~3 nm at 60 kn, ~0.05 h) plus an exponential boarding (mean 2 h).

    **Service time.** Command counts a hull that is returning to base as available (it can be
    tasked from where it is), so an asset is free again the moment its boarding ends
    (``released``), not when it is back at base. ``S`` is therefore measured from the log as
    ``boarded - tasked`` for each served suspect, and ``a = lambda * mean(S)``. Erlang B is
    insensitive to the service distribution beyond its mean (so the non-exponential run-out part
    does not matter). Using the sample mean of ``S`` also removes most of the sampling error of
    the service times from the comparison (blocking and long services are positively correlated).

    Checked exactly: every departure is detected and labelled suspect in the shared picture at
    its departure instant; a suspect is given up if and only if both assets are busy (between a
    ``tasked`` and its ``boarded``) at that instant; every closed voyage's outcome agrees.

    Tolerance: ``|blocked fraction - B(2, a)| <= 4 sqrt(B (1 - B) / n)`` (binomial standard
    error; successive arrivals' blocking is correlated, but with the sample-mean ``a`` the spread
    over 40 seeds of this design was z-sd 0.96, i.e. binomial). Arrivals in the first 10 h (five
    mean services; the system starts empty) are left out. n ~ 380 by default (~2 s), ~4,000
    with MDA_SIM_FULL_STATS=1.
    """
    rate_per_h, mean_board_h, warmup_h = 1.0, 2.0, 10.0
    duration_h = 4_000.0 if FULL_STATS else 400.0
    origin, dest = home + np.array([0.0, -3.0]), home + np.array([0.0, -13.0])
    doc = _command_doc(
        regions=[_spot(geo, "o", origin, 0.5), _spot(geo, "d", dest, 0.5)],
        sensors=[_eo_site(geo, "eo", "eo_local", origin, 500.0)], sensor_types=[_eo_type("eo_local", 30.0)],
        flows=[_illicit("run", "o", "d", {"process": "poisson", "rate_per_day": 24.0 * rate_per_h}, 1.0)],
        max_speed_kn=60.0, cruise_speed_kn=40.0, count=2,
        tasking={"decision_latency_h": 0.0, "comms_latency_h": 0.0, "alert_launch_delay_h": 0.0,
                 "max_wait_h": 0.0},
        endgame={"boarding_h": {"dist": "exponential", "mean": mean_board_h}, "p_evidence": {"cocaine": 0.0}},
        duration_h=duration_h)
    log = list(World(_load(doc, tmp_path), seed=7).run())

    departed = _by_kind(log, "vessel_departed")
    detected = {e.vessel: e.t_h for e in reversed(_by_kind(log, "detected"))}  # first detection
    suspect = {e.vessel: e.t_h for e in reversed(_by_kind(log, "classified"))
               if e.picture == "shared" and e.label == "suspect"}
    tasked = {}
    for e in _by_kind(log, "tasked"):
        assert e.vessel not in tasked, "a suspect is tasked once (no re-tasking)"
        tasked[e.vessel] = e
    boarded = {e.vessel: e for e in _by_kind(log, "boarded")}
    arrived = {e.vessel: e.t_h for e in _by_kind(log, "arrived")}
    outcomes = {e.vessel: e for e in _by_kind(log, "voyage_outcome")}
    assert Counter(e.reason for e in _by_kind(log, "pursuit_ended")) == Counter({"intercepted": len(tasked)})
    assert all(e.asset.startswith("ic/") for e in tasked.values())
    assert not _by_kind(log, "seized") and not _by_kind(log, "delivered")

    # every arrival is detected and becomes a suspect at once; if served, it is served at once
    for d in departed:
        assert detected[d.vessel] == d.t_h and suspect[d.vessel] == d.t_h, d.vessel
        if d.vessel in tasked:
            assert tasked[d.vessel].t_h == d.t_h
    # busy periods [tasked, boarded) of each asset
    busy = [(e.t_h, boarded[v].t_h if v in boarded else math.inf, e.asset) for v, e in tasked.items()]
    for v in tasked:
        if v in boarded:
            assert v not in arrived or arrived[v] > boarded[v].t_h  # served before its voyage ends
    blocked, services = [], []
    for d in departed:
        n_busy = sum(1 for t0, t1, _ in busy if t0 < d.t_h < t1)
        lost = d.vessel not in tasked
        assert lost == (n_busy == 2), (d.vessel, d.t_h, n_busy)  # lost if and only if all busy
        assert n_busy <= 2
        out = outcomes.get(d.vessel)
        if out is not None and out.outcome != "at_sea_at_end":
            assert out.outcome == ("detected_no_asset" if lost else "boarded_no_evidence"), out
        if d.t_h >= warmup_h:
            blocked.append(lost)
        if d.vessel in boarded:
            services.append(boarded[d.vessel].t_h - tasked[d.vessel].t_h)
    assert len(outcomes) == len(departed)  # one outcome per illicit voyage

    services = np.array(services)
    n = len(blocked)
    mean_s = float(services.mean())
    # the run out is short: the mean service is the boarding's mean plus ~0.05 h, within sampling error
    assert abs(mean_s - mean_board_h - 0.05) <= 4.0 * mean_board_h / math.sqrt(services.size) + 0.05
    a = rate_per_h * mean_s
    B = float(erlang_b(2, a))
    got = float(np.mean(blocked))
    se = math.sqrt(B * (1.0 - B) / n)
    assert n >= (3_500 if FULL_STATS else 330)
    assert 0.25 < B < 0.6  # a regime where blocking is neither rare nor certain
    assert abs(got - B) <= 4.0 * se, (got, B, se, a, n)


# ================================================================== 3. datum search
def _datum_doc(geo, home, *, reacquire: bool) -> dict:
    """A target running east at 30 kn from 20 nm south of the exit, seen only by a 5 nm EO site at
    its origin (it leaves that footprint after 1/6 h; the shared track times out 0.25 h later);
    the interceptor (40 kn, no sensors of its own) is tasked at once, steers for the predicted
    meeting point and gets there after the track is gone. With ``reacquire`` a second EO site
    (30 nm) further east picks the target up again during the search."""
    origin, dest = home + np.array([0.0, -20.0]), home + np.array([75.0, -20.0])
    sensors = [_eo_site(geo, "eo_near", "eo_short", origin)]
    types = [_eo_type("eo_short", 5.0)]
    if reacquire:
        sensors.append(_eo_site(geo, "eo_far", "eo_long", home + np.array([65.0, -20.0])))
        types.append(_eo_type("eo_long", 30.0))
    return _command_doc(
        regions=[_spot(geo, "o", origin, 0.01), _spot(geo, "d", dest, 0.01)],
        sensors=sensors, sensor_types=types,
        flows=[_illicit("run", "o", "d", {"process": "schedule", "times_h": [0.0]}, 30.0)],
        tasking={"decision_latency_h": 0.0, "comms_latency_h": 0.0, "alert_launch_delay_h": 0.0},
        pursuit={"datum_search": True, "search_h": 1.5},
        picture={"track_timeout_h": 0.25},
        duration_h=6.0)


def test_lost_track_starts_a_datum_search_and_ends_contact_lost(tmp_path, geo, home):
    """The shared picture loses the track (the only sensor is a 5 nm fixed EO site the target
    leaves at t = 1/6 h; ``track_timeout_h`` 0.25 drops the track at 5/12 h) while the pursuer,
    which carries no sensor, is still on its way: when it reaches the predicted meeting point it
    has no track, so it runs a datum search (``datum_search`` started, cause ``contact_lost``) at
    the dead-reckoned datum -- the last shared contact (the detection at t = 0) advanced at its
    velocity, which is the target's true position since the target holds its course (to 1e-6 nm).
    Nothing re-acquires the target, so the search ends after ``search_h`` = 1.5 h (a second
    ``datum_search`` record, started False, same datum), the pursuit ends ``contact_lost``, and
    the voyage's one outcome, judged when it arrives, is ``contact_lost``. Deterministic."""
    log = list(World(_load(_datum_doc(geo, home, reacquire=False), tmp_path)).run())
    (tasked,) = _by_kind(log, "tasked")
    (lost,) = [e for e in _by_kind(log, "track_lost") if e.picture == "shared"]
    (left,) = _by_kind(log, "coverage_left")
    assert left.range_nm == pytest.approx(5.0, abs=1e-6)
    assert left.t_h == pytest.approx(5.0 / 30.0, abs=0.01 / 30.0 + 1e-6)  # origin: a 0.01 nm circle
    assert lost.t_h == pytest.approx(left.t_h + 0.25, abs=1e-6)
    searches = _by_kind(log, "datum_search")
    assert [(e.started, e.cause, e.asset, e.vessel) for e in searches] == [
        (True, "contact_lost", "ic/1", "run#0"), (False, "contact_lost", "ic/1", "run#0")]
    start, stop = searches
    # the search starts when the pursuer reaches the predicted meeting point, after the loss
    assert start.t_h == pytest.approx(tasked.t_h + tasked.intercept_h, abs=1e-6)
    assert start.t_h > lost.t_h
    leg = _legs(log)["run#0"][0]
    assert [start.x_nm, start.y_nm] == pytest.approx(list(_at(leg, start.t_h)), abs=1e-6)
    assert (stop.x_nm, stop.y_nm, stop.spacing_nm) == (start.x_nm, start.y_nm, start.spacing_nm)
    assert stop.t_h - start.t_h == pytest.approx(1.5, abs=1e-6)
    assert [e.activity for e in _by_kind(log, "asset_leg_started") if start.t_h <= e.t_h < stop.t_h] \
        and all(e.activity == "datum_search" for e in _by_kind(log, "asset_leg_started")
                if start.t_h <= e.t_h < stop.t_h)
    (ended,) = _by_kind(log, "pursuit_ended")
    assert ended.reason == "contact_lost" and ended.t_h == pytest.approx(stop.t_h, abs=1e-9)
    assert not _by_kind(log, "boarded")
    (outcome,) = _by_kind(log, "voyage_outcome")
    (arrived,) = _by_kind(log, "arrived")
    assert outcome.outcome == "contact_lost" and outcome.t_h == pytest.approx(arrived.t_h)


def test_datum_search_ends_when_the_shared_picture_reacquires(tmp_path, geo, home):
    """As above, but a second EO site (30 nm, centred 65 nm east of the exit) picks the target up
    again while the pursuer is searching: the search ends at that detection (started
    False, same instant, no ``contact_lost``), the pursuit goes on against the re-acquired track
    and ends ``intercepted``."""
    log = list(World(_load(_datum_doc(geo, home, reacquire=True), tmp_path)).run())
    searches = _by_kind(log, "datum_search")
    assert [(e.started, e.cause) for e in searches[:2]] == [(True, "contact_lost"), (False, "contact_lost")]
    start, stop = searches[:2]
    far = [e for e in _by_kind(log, "detected") if e.sensor == "eo_far"]
    assert far and start.t_h < far[0].t_h < start.t_h + 1.5
    assert stop.t_h == pytest.approx(far[0].t_h, abs=1e-9)
    ends = _by_kind(log, "pursuit_ended")
    assert [e.reason for e in ends] == ["intercepted"]
    (outcome,) = _by_kind(log, "voyage_outcome")
    assert outcome.outcome == "seized"
