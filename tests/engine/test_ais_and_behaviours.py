"""AIS reception, AIS switch-off, mother-ship rendezvous and EO at night, run through the engine.

Geometry as in ``test_theory_agreement.py`` (tiny regions in open water, scheduled departures).
Expected values are worked out here from the logged legs and ITU-R M.1371 report intervals
(reference §2.8), not from the engine's own code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mda_sim.engine.world import World
from mda_sim.environment import DaylightModel
from mda_sim.geography import load_geography
from tests.conftest import FULL_STATS
from tests.engine.kit import (
    DEG_PER_NM,
    LAT0,
    LON0,
    _circle,
    _events,
    _flow,
    _lanes,
    _legs,
    _load,
    _scenario,
    _sensor,
)


@pytest.fixture(scope="module")
def geo():
    return load_geography()


def _ais_type(p_receive: float = 1.0, range_nm: float = 20.0) -> dict:
    return {"id": "rx", "name": "test AIS receiver", "kind": "ais_receiver", "instrumented_range_nm": range_nm,
            "detection": {"model": "reporting", "p_receive": p_receive}}


def _class_a(speed_kn: float = 12.0) -> dict:
    return {"id": "ship", "name": "test ship", "category": "cargo_ship", "length_m": 100.0, "height_m": 20.0,
            "max_speed_kn": 20.0, "cruise_speed_kn": speed_kn, "small_craft": False, "ais_class": "A"}


def _ais_doc(n: int, p_receive: float, speed_kn: float = 12.0) -> dict:
    regions, flows = _lanes([0.0], 0.6, 0.5 * np.arange(n), vtype="ship")
    for f in flows:
        f["ais"] = "on"
    return _scenario(regions=regions, flows=flows, sensors=[_sensor("rx1", "rx", LAT0, LON0, 60.0)],
                     sensor_types=[_ais_type(p_receive)], vessel_types=[_class_a(speed_kn)],
                     duration_h=0.5 * n + 8.0)


def test_ais_report_count_follows_the_class_a_interval(tmp_path, geo):
    """A Class A ship at 12 kn reports every 10 s (ITU-R M.1371; reference §2.8). Crossing a
    20 nm receiver footprint along a diameter takes D = 40/12 h, so every stretch holds
    ``3600 D / 10 = 1200`` report slots, give or take one for the phase; with ``p_receive = 1``
    every one is received, the first within one interval of the entry and the last within one of
    the exit."""
    log = list(World(_load(_ais_doc(6, 1.0), tmp_path)).run())
    got = _events(log, "ais_received", "rx1")
    assert len(got) == 6
    T_h = 10.0 / 3600.0
    D_h = 40.0 / 12.0
    for (rec,) in got.values():
        assert rec.n_reports in (math.floor(D_h / T_h), math.ceil(D_h / T_h)), rec.n_reports
        assert rec.last_h - rec.first_h == pytest.approx((rec.n_reports - 1) * T_h, rel=1e-9)
        # the stretch ends (and is recorded) when the ship leaves the footprint
        assert rec.t_h - rec.first_h == pytest.approx(D_h, abs=T_h)
        assert 0.0 <= rec.t_h - rec.last_h <= T_h + 1e-9
    created = [e for e in log if e.kind == "track_created" and e.picture == "tp"]
    labels = [e for e in log if e.kind == "classified" and e.picture == "tp"]
    assert len(created) == 6 and all(e.label == "cleared" and e.basis == "ais" for e in labels)


def test_ais_lost_reports_are_binomial(tmp_path):
    """With ``p_receive = 0.3`` each of the ~1,200 slots of a stretch gets through independently:
    the count is Binomial(m, 0.3). Tolerance: the mean over N stretches within 4 standard errors
    of ``0.3 m`` (sd of a count ~ 15.9; false failure ~6e-5)."""
    n = 60 if FULL_STATS else 12
    log = list(World(_load(_ais_doc(n, 0.3), tmp_path)).run())
    counts = np.array([e.n_reports for e in log if e.kind == "ais_received"], float)
    assert len(counts) == n
    m = 40.0 / 12.0 * 360.0
    se = math.sqrt(m * 0.3 * 0.7 / n)
    assert abs(counts.mean() - 0.3 * m) <= 4.0 * se + 0.3, (counts.mean(), 0.3 * m, se)
    assert counts.std() > 0.0  # not a fixed fraction


def _switch_off_doc() -> dict:
    regions, flows = _lanes([0.0], 1.0, [0.0], vtype="ship")  # 120 nm west -> east
    flow = flows[0]
    flow.update(ais="switch_off", ais_off_range_nm=30.0, cargo={"kind": "cocaine", "kg": {"dist": "uniform", "low": 500.0, "high": 500.0}},
                flag={"stateless": 1.0})
    doc = _scenario(
        regions=regions, flows=[],
        sensors=[_sensor("rx1", "rx", LAT0, LON0 + 0.5, 60.0), _sensor("radar", "cookie", LAT0, LON0 + 0.5, 60.0)],
        sensor_types=[_ais_type(1.0, 40.0),
                      {"id": "cookie", "name": "cookie cutter", "kind": "surface_radar",
                       "instrumented_range_nm": 40.0, "detection": {"model": "definite_range", "range_nm": 40.0}}],
        vessel_types=[_class_a()], duration_h=15.0)
    doc["traffic"] = {"illicit": [flow]}
    return doc


def test_switch_off_goes_dark_at_the_set_range_and_is_flagged(tmp_path, geo):
    """``ais: switch_off`` transmits until the vessel is ``ais_off_range_nm`` (30 nm) from its
    destination point; the receiver's stretch ends there, and because the radar still holds the
    vessel the partner's picture flags it suspect ("went dark")."""
    log = list(World(_load(_switch_off_doc(), tmp_path)).run())
    (switch,) = [e for e in log if e.kind == "ais_switched"]
    assert switch.on is False
    arrived = next(e for e in log if e.kind == "arrived")
    legs = _legs(log)[switch.vessel]
    t0, p0, v, _, _ = legs[0]
    end = np.array([arrived.x_nm, arrived.y_nm])
    pos = p0 + v * (switch.t_h - t0)
    assert float(np.hypot(*(end - pos))) == pytest.approx(30.0, abs=1e-6)
    (rec,) = [e for e in log if e.kind == "ais_received"]
    assert rec.t_h == pytest.approx(switch.t_h) and rec.last_h <= switch.t_h
    dark = [e for e in log if e.kind == "classified" and e.basis == "went_dark"]
    assert {e.picture for e in dark} == {"tp", "shared"}
    assert all(e.label == "suspect" and e.correct for e in dark)


def test_rendezvous_mother_ship_meets_the_go_fast(tmp_path, geo):
    """A rendezvous flow makes two voyages: the mother ship enters at the box edge nearest the
    meeting point and waits; the go-fast arrives, both lie alongside for ``transfer_h``, the
    ``rendezvous`` record marks the load changing hands, then the go-fast runs in."""
    regions = [_circle("orig", LAT0 + 0.5, LON0 - 0.5), _circle("dest", LAT0 + 0.5, LON0 + 0.5),
               _circle("box", LAT0 - 0.5, LON0, 2.0)]
    gofast = {"id": "gf", "name": "go-fast", "category": "go_fast", "length_m": 10.0, "height_m": 1.5,
              "max_speed_kn": 45.0, "cruise_speed_kn": 30.0, "small_craft": True}
    mother = {"id": "ms", "name": "mother ship", "category": "mother_ship", "length_m": 40.0, "height_m": 8.0,
              "max_speed_kn": 12.0, "cruise_speed_kn": 10.0, "small_craft": False}
    flow = _flow("rdv", "orig", "dest", [1.0], vtype="gf")
    flow.update(ais="off", behaviour="rendezvous", cargo={"kind": "cocaine", "kg": {"dist": "uniform", "low": 800.0, "high": 800.0}},
                rendezvous={"region": "box", "mother_ship_type": "ms",
                            "transfer_h": {"dist": "uniform", "low": 1.0, "high": 1.0}})
    doc = _scenario(regions=regions, flows=[], sensors=[], sensor_types=[], vessel_types=[gofast, mother],
                    duration_h=60.0, area=(-67.5, -65.5, 13.0, 15.0))
    doc["traffic"] = {"illicit": [flow]}
    log = list(World(_load(doc, tmp_path)).run())
    (rdv,) = [e for e in log if e.kind == "rendezvous"]
    assert rdv.vessel == "rdv#0/mother" and rdv.to_vessel == "rdv#0"
    legs = _legs(log)

    def where(vessel, t):
        leg = max((lg for lg in legs[vessel] if lg[0] <= t + 1e-9), key=lambda lg: lg[0])
        return leg[1] + leg[2] * (t - leg[0])

    meet = np.array([rdv.x_nm, rdv.y_nm])
    assert np.allclose(where("rdv#0/mother", rdv.t_h), meet, atol=1e-6)
    box = np.array(geo.frame.to_xy(LON0, LAT0 - 0.5))
    assert float(np.hypot(*(meet - box))) <= 2.0 + 1e-6
    gf_legs = {lg[4] for lg in legs["rdv#0"]}
    assert "transfer" in gf_legs
    transfer = next(lg for lg in legs["rdv#0"] if lg[4] == "transfer")
    assert transfer[3] - transfer[0] == pytest.approx(1.0) and transfer[3] == pytest.approx(rdv.t_h)
    # the mother ship came from the nearest edge of the box: the south edge at 13.0 N
    first = legs["rdv#0/mother"][0][1]
    _, lat = geo.frame.to_lonlat(*first)
    assert float(lat) == pytest.approx(13.0, abs=1e-6)
    arrivals = {e.vessel for e in log if e.kind == "arrived"}
    assert arrivals == {"rdv#0", "rdv#0/mother"}


def test_eo_sees_less_at_night_and_detections_start_at_dawn(tmp_path, geo):
    """A visual sensor (definite range 5 nm by day; night_factor 0.2 scales the range to 1 nm)
    watches vessels loitering 3 nm away for 30 h under the real sun: it can only detect them by
    day, and a vessel that arrives in the dark is detected at dawn (the interval is cut at the
    terminator and the day piece starts with the vessel already inside)."""
    off = 3.0 * DEG_PER_NM
    regions = [_circle("spot", LAT0 + off, LON0)]
    times = [float(t) for t in range(0, 24, 2)]
    flows = [_flow("loit", "spot", "spot", times, behaviour="loiter",
                   loiter_h={"dist": "uniform", "low": 30.0, "high": 30.0})]
    doc = _scenario(regions=regions, flows=flows, sensors=[_sensor("eye", "eye", LAT0, LON0, 20.0)],
                    sensor_types=[{"id": "eye", "name": "lookout", "kind": "visual", "instrumented_range_nm": 5.0,
                                   "classifies": True, "night_factor": 0.2,
                                   "detection": {"model": "definite_range", "range_nm": 5.0}}],
                    duration_h=60.0)
    doc["environment"]["daylight"] = {"model": "solar"}
    spec = _load(doc, tmp_path)
    log = list(World(spec).run())
    daylight = DaylightModel(spec.run.start_utc, "solar", spec.environment.daylight.sun_elevation_deg)
    dets = _events(log, "detected", "eye")
    assert len(dets) == len(times)
    departed = {e.vessel: e.t_h for e in log if e.kind == "vessel_departed"}
    for vessel, (det,) in dets.items():
        assert not bool(daylight.is_night(det.t_h + 1e-4, LON0, LAT0))
        if bool(daylight.is_night(departed[vessel] + 1e-4, LON0, LAT0)):
            dawn = daylight.transitions_h(departed[vessel], departed[vessel] + 14.0, LON0, LAT0)[0]
            assert det.t_h == pytest.approx(dawn, abs=1e-3)
        else:
            assert det.t_h == pytest.approx(departed[vessel], abs=1e-3)
    assert any(bool(daylight.is_night(t + 1e-4, LON0, LAT0)) for t in departed.values())
