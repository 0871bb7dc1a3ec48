"""Patrol platforms carrying moving sensors, run through the engine; random search against Koopman.

Geometry as in ``test_theory_agreement.py``: open water around 14 N, 66.5 W, far from land.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from mda_sim.engine.world import World
from mda_sim.geography import load_geography
from tests.conftest import FULL_STATS
from tests.engine.kit import _flow, _legs, _load, _scenario

#: Centre of the search box: open water 30-90 nm south of Saint Croix [deg].
LAT0, LON0 = 17.0, -64.8
#: Half side of the square search area [deg of latitude = 60 nm per deg].
HALF_DEG = 0.5
#: The aircraft's base: Henry E. Rohlsen airport, Saint Croix (approximate) [deg].
BASE_LAT, BASE_LON = 17.70, -64.80


@pytest.fixture(scope="module")
def geo():
    return load_geography()


def _aircraft_doc(n_targets: int, *, pattern: str = "random_search", sweep_nm: float = 2.0,
                  endurance_h: float = 8.0, speed_kn: float = 150.0, duration_h: float = 9.0) -> dict:
    square = [{"lat_deg": LAT0 + dy, "lon_deg": LON0 + dx}
              for dx, dy in ((-HALF_DEG, -HALF_DEG), (HALF_DEG, -HALF_DEG), (HALF_DEG, HALF_DEG), (-HALF_DEG, HALF_DEG))]
    regions = [{"id": "box", "name": "search box", "polygon": square}]
    flows = [_flow("drift", "box", "box", [0.0] * n_targets, speed_kn=
                   {"dist": "uniform", "low": 1.0, "high": 1.0})]
    doc = _scenario(
        regions=regions, flows=flows, sensors=[],
        sensor_types=[{"id": "eye", "name": "definite-range search sensor", "kind": "airborne_radar",
                       "instrumented_range_nm": sweep_nm,
                       "detection": {"model": "definite_range", "range_nm": sweep_nm}}],
        duration_h=duration_h, area=(-66.5, -63.0, 15.5, 18.5))
    doc["catalog"]["asset_types"] = [{
        "id": "mpa", "name": "test patrol aircraft", "category": "patrol_aircraft", "max_speed_kn": 250.0,
        "cruise_speed_kn": speed_kn, "endurance_h": endurance_h, "patrol_altitude_m": 500.0,
        "turnaround_h": 0.0, "sensors": [{"type": "eye"}], "can_board": False}]
    doc["bases"] = [{"id": "pad", "name": "Saint Croix airfield (test)", "state": "USA", "kind": "airfield",
                     "lat_deg": BASE_LAT, "lon_deg": BASE_LON}]
    doc["assets"] = [{"id": "mpa1", "partner": "tp", "type": "mpa", "base": "pad", "availability": 1.0,
                      "patrol": {"pattern": pattern, "region": "box"}}]
    return doc


def test_aircraft_sensor_moves_with_the_aircraft(tmp_path, geo):
    """Every detection by the aircraft's sensor happens within its reach of where the logged
    asset legs put the aircraft at that moment, and only while it is away from base."""
    log = list(World(_load(_aircraft_doc(60), tmp_path)).run())
    legs = [e for e in log if e.kind == "asset_leg_started"]
    assert legs and legs[0].activity == "transit" and {e.activity for e in legs} >= {"patrol", "return"}
    states = [e.state for e in log if e.kind == "asset_state"]
    assert states[:2] == ["at_base", "sortie"] and "returned" in states  # logged at base from t = 0
    dets = [e for e in log if e.kind == "detected"]
    assert dets
    vessel_legs = _legs(log)
    for d in dets:
        leg = max((e for e in legs if e.t_h <= d.t_h + 1e-12), key=lambda e: e.t_h)
        plane = np.array([leg.x_nm, leg.y_nm]) + np.array([leg.vx_kn, leg.vy_kn]) * (d.t_h - leg.t_h)
        vl = max((lg for lg in vessel_legs[d.vessel] if lg[0] <= d.t_h + 1e-12), key=lambda lg: lg[0])
        boat = vl[1] + vl[2] * (d.t_h - vl[0])
        assert float(np.hypot(*(boat - plane))) == pytest.approx(d.range_nm, abs=1e-6)
        assert d.range_nm <= 2.0 + 1e-6
        assert d.sensor == "mpa1/1/eye" and d.partner == "tp"


def test_random_search_detects_as_koopman(tmp_path, geo):
    """Random search (reference §1.1, Koopman 1946/1980): a searcher of sweep width ``W`` at speed
    ``v`` over area ``A`` finds a target placed at random by time ``t`` with
    ``P(t) = 1 - exp(-W v t / A)``.

    Here: a 60 x 60 nm box, a definite-range sensor of 2 nm (``W = 4`` nm) on an aircraft at
    150 kn flying random waypoints in the box, targets drifting at 1 kn uniformly placed in it.
    Compared at t = 2, 4, 6 h of search (``W v t / A`` = 0.33, 0.67, 1.0).

    Tolerance: 4 binomial standard errors plus 0.05 absolute for the model gap. The formula assumes
    the track spreads evenly over the area; random waypoints in a square visit its middle more
    than its edges (and the swath spills over the edge), so the engine is expected to be a little
    *below* Koopman (Jensen's inequality on ``1 - exp(-c rho(x))``), by a few hundredths here.
    """
    n = 2000 if FULL_STATS else 300
    spec = _load(_aircraft_doc(n, duration_h=7.0), tmp_path)
    log = list(World(spec).run())
    # The search starts when the aircraft reaches its first waypoint in the box (the transit from
    # Saint Croix crosses 12 nm of the box's edge first: a few minutes, a bias of < 0.01 in P).
    launch = next(e.t_h for e in log if e.kind == "asset_leg_started" and e.activity == "patrol")
    first = {}
    for e in log:
        if e.kind == "detected" and e.vessel not in first:
            first[e.vessel] = e.t_h - launch
    box = spec.region("box")
    lonlat = np.array([(p.lon_deg, p.lat_deg) for p in box.polygon])
    xy = np.column_stack(geo.frame.to_xy(lonlat[:, 0], lonlat[:, 1]))
    area_nm2 = shapely.Polygon(xy).area
    W, v = 4.0, 150.0
    times = np.array(sorted(first.values()))
    for t in (2.0, 4.0, 6.0):
        p_hat = float(np.searchsorted(times, t, side="right")) / n
        p = 1.0 - math.exp(-W * v * t / area_nm2)
        se = math.sqrt(p * (1.0 - p) / n)
        assert abs(p_hat - p) <= 4.0 * se + 0.05, (t, p_hat, p)


@pytest.mark.parametrize("pattern", ["barrier", "parallel_sweep"])
def test_fixed_patterns_stay_in_their_area(tmp_path, geo, pattern):
    """Barrier and parallel-sweep patrols turn only at points of the area's bounding rectangle."""
    spec = _load(_aircraft_doc(1, pattern=pattern, endurance_h=4.0, duration_h=4.5), tmp_path)
    log = list(World(spec).run())
    patrol = [e for e in log if e.kind == "asset_leg_started" and e.activity == "patrol"]
    assert len(patrol) >= 3
    box = spec.region("box")
    lonlat = np.array([(p.lon_deg, p.lat_deg) for p in box.polygon])
    poly = shapely.Polygon(np.column_stack(geo.frame.to_xy(lonlat[:, 0], lonlat[:, 1]))).buffer(0.5)
    for e in patrol:
        assert poly.covers(shapely.Point(e.x_nm, e.y_nm))
    headings = {round(math.degrees(math.atan2(e.vy_kn, e.vx_kn))) % 180 for e in patrol}
    if pattern == "barrier":
        assert len(headings) == 1  # back and forth on one line
