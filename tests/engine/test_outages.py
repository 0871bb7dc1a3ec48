"""Sensor outages: the alternating up/down process and what it does to coverage and detection."""

from __future__ import annotations

import math

from mda_sim.engine.world import World
from tests.conftest import FULL_STATS
from tests.engine.kit import DEG_PER_NM, LAT0, LON0, _circle, _flow, _load, _scenario, _sensor

COOKIE = {"id": "cookie", "name": "cookie cutter", "kind": "surface_radar", "instrumented_range_nm": 10.0,
          "detection": {"model": "definite_range", "range_nm": 10.0}}


def _doc(availability: float, mean_outage_h: float, duration_h: float, loiter_h: float) -> dict:
    regions = [_circle("spot", LAT0 + 3.0 * DEG_PER_NM, LON0)]
    flows = [_flow("loit", "spot", "spot", [0.0], behaviour="loiter",
                   loiter_h={"dist": "uniform", "low": loiter_h, "high": loiter_h})]
    site = _sensor("r1", "cookie", LAT0, LON0)
    site.update(availability=availability, mean_outage_h=mean_outage_h)
    return _scenario(regions=regions, flows=flows, sensors=[site], sensor_types=[COOKIE], duration_h=duration_h)


def test_long_run_fraction_up_is_the_availability(tmp_path):
    """Up times ~ Exp(m A / (1 - A)), outages ~ Exp(m): the fraction of time up tends to A
    (alternating renewal process). With A = 0.6, m = 2 h over T h there are about T / 3.33 cycles;
    the fraction's sd is about 0.7 / sqrt(cycles) (0.02 at T = 4000 h); tolerance 4 sd."""
    T = 40_000.0 if FULL_STATS else 4_000.0
    log = list(World(_load(_doc(0.6, 2.0, T, 1.0), tmp_path)).run())
    changes = [e for e in log if e.kind == "sensor_state"]
    assert len(changes) > 100
    up_h, state, t_prev = 0.0, True, 0.0
    for e in changes:
        assert e.up != state or t_prev == 0.0
        if state:
            up_h += e.t_h - t_prev
        state, t_prev = e.up, e.t_h
    if state:
        up_h += T - t_prev
    cycles = len(changes) / 2.0
    assert abs(up_h / T - 0.6) <= 4.0 * 0.7 / math.sqrt(cycles), up_h / T


def test_outage_drops_contact_and_recovery_redetects(tmp_path):
    """A vessel loitering 3 nm from a definite-range radar: every outage ends the coverage (and the
    contact) at the moment the radar goes down; when it comes back up the vessel, still inside, is
    detected at once. Nothing is detected while the radar is down."""
    log = list(World(_load(_doc(0.5, 1.0, 40.0, 38.0), tmp_path)).run())
    states = [e for e in log if e.kind == "sensor_state"]
    dets = [e for e in log if e.kind == "detected"]
    left = [e for e in log if e.kind == "coverage_left"]
    assert len(states) >= 4
    depart = next(e.t_h for e in log if e.kind == "vessel_departed")
    arrive = next(e.t_h for e in log if e.kind == "arrived")
    for s in states:
        if not depart < s.t_h < arrive:
            continue
        if s.up:
            assert any(abs(d.t_h - s.t_h) < 1e-9 for d in dets), s
        else:
            assert any(abs(c.t_h - s.t_h) < 1e-9 for c in left), s

    def up_at(t):
        prior = [s for s in states if s.t_h <= t]
        return prior[-1].up if prior else True

    assert all(up_at(d.t_h) for d in dets)
