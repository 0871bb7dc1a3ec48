"""Closed-form footprint intervals against hand cases and the brute-force stepped reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mda_sim.kinematics.legs import Track
from mda_sim.sensing.coverage import leg_coverage, time_in_range, track_coverage
from mda_sim.sensing.stepped import (
    stepped_time_in_range,
    stepped_track_coverage,
)

NAN = np.nan


@pytest.mark.parametrize(
    ("d0", "w", "R", "D", "expected"),
    [
        ([-10, 0], [20, 0], 5.0, np.inf, (0.25, 0.75)),  # straight through the centre
        ([-10, 3], [20, 0], 5.0, 1.0, (0.3, 0.7)),  # chord at 3 nm
        ([-10, 5], [20, 0], 5.0, 1.0, (0.5, 0.5)),  # tangent: zero-length, closed disc
        ([-10, 6], [20, 0], 5.0, 1.0, (NAN, NAN)),  # miss
        ([1, 1], [20, 0], 5.0, 1.0, (0.0, (24**0.5 - 1) / 20)),  # starts inside
        ([-10, 0], [20, 0], 5.0, 0.5, (0.25, 0.5)),  # window ends inside
        ([-10, 0], [20, 0], 5.0, 0.2, (NAN, NAN)),  # window ends before entry
        ([10, 0], [20, 0], 5.0, 1.0, (NAN, NAN)),  # moving away, never inside
        ([3, 0], [0, 0], 5.0, 2.0, (0.0, 2.0)),  # relative rest inside
        ([3, 0], [0, 0], 5.0, np.inf, (0.0, np.inf)),
        ([6, 0], [0, 0], 5.0, 2.0, (NAN, NAN)),  # relative rest outside
        ([5, 0], [0, 0], 5.0, 2.0, (0.0, 2.0)),  # at rest on the edge
    ],
)
def test_hand_cases(d0, w, R, D, expected):
    enter, leave = time_in_range(d0, w, R, D)
    np.testing.assert_allclose([enter, leave], expected, atol=1e-12)


def test_vectorised_matches_one_by_one_and_broadcasts():
    rng = np.random.default_rng(7)
    d0 = rng.uniform(-30, 30, (500, 2))
    w = rng.uniform(-40, 40, (500, 2))
    R = rng.uniform(1, 20, 500)
    e, x = time_in_range(d0, w, R, 1.5)
    for i in range(0, 500, 37):
        ei, xi = time_in_range(d0[i], w[i], R[i], 1.5)
        np.testing.assert_array_equal([e[i], x[i]], [ei, xi])
    e2, _ = time_in_range(d0[:, None, :], w[None, :3, :], 10.0, 1.0)
    assert e2.shape == (500, 3)


def test_leg_coverage_moving_sensor_and_absolute_times():
    # target north at 10 kn from (0, -10), cutter east at 10 kn from (-10, 0): meet at t = 2 h
    cov = leg_coverage([0, -10], [0, 10], [-10, 0], [10, 0], 2.0, t_start_h=1.0, t_end_h=5.0)
    half = 2.0 / np.hypot(10, 10)
    assert cov.hit
    np.testing.assert_allclose([cov.enter_h, cov.exit_h], [2.0 - half, 2.0 + half])
    assert float(cov.duration_h) == pytest.approx(2 * half)
    # same velocity (formation): inside for the whole window or never
    both = leg_coverage([[0, 1], [0, 9]], [5, 5], [0, 0], [5, 5], 3.0, 0.0, 4.0)
    np.testing.assert_allclose(both.enter_h, [0.0, NAN])
    np.testing.assert_allclose(both.duration_h, [4.0, 0.0])


def test_bad_inputs_name_values():
    with pytest.raises(ValueError, match="range_nm"):
        time_in_range([0, 0], [1, 0], -1.0)
    with pytest.raises(ValueError, match="last axis"):
        time_in_range([0, 0, 0], [1, 0], 1.0)


def test_track_coverage_multi_leg_merges_touching_pieces():
    target = Track.from_waypoints([(-20, 0), (0, 0), (0, 20)], 10.0)  # turns at the sensor
    sensor = Track.stationary((0.0, 0.0))
    out = track_coverage(target, sensor, 5.0, 0.0, 10.0)
    assert out == [(pytest.approx(1.5), pytest.approx(2.5))]
    # a patrol boat leaves and comes back: two separate intervals
    boat = Track.from_waypoints([(0, 0), (30, 0), (0, 0)], 15.0)
    drifter = Track.stationary((0.0, 0.0))
    out = track_coverage(drifter, boat, 6.0, 0.0, 10.0)
    np.testing.assert_allclose(out, [(0.0, 0.4), (3.6, 10.0)])


# ------------------------------------------------------------------------------ vs stepped
DT_H = 1e-3  # 3.6 s
coord = st.floats(-60.0, 60.0).map(lambda a: round(a, 4))
vel = st.floats(-50.0, 50.0).map(lambda a: round(a, 4))


def _min_distance(d0, w, D):
    a = w @ w
    t = 0.0 if a == 0 else float(np.clip(-(d0 @ w) / a, 0.0, D))
    return float(np.hypot(*(d0 + w * t)))


@settings(max_examples=300, deadline=None)
@given(coord, coord, vel, vel, st.floats(0.5, 30.0), st.floats(0.0, 3.0))
def test_agrees_with_stepped_reference(x, y, vx, vy, R, D):
    """Tolerance: a stepped endpoint is a grid time inside the closed-form interval, at most one
    step dt (position error <= dt·|w| nm) from the true endpoint. Near-tangent passes (closest
    approach within 1e-6 nm of R) are excluded: there membership is decided by rounding."""
    d0, w = np.array([x, y]), np.array([vx, vy])
    rmin = _min_distance(d0, w, D)
    assume(abs(rmin - R) > 1e-6)
    enter, leave = (float(v) for v in time_in_range(d0, w, R, D))
    s_enter, s_leave = (float(v[0]) for v in stepped_time_in_range(d0, w, R, D, DT_H))
    if np.isnan(enter):
        assert np.isnan(s_enter)
        assert rmin > R
        return
    assert rmin < R
    if np.isnan(s_enter):  # the interval fell between two samples
        assert leave - enter < DT_H
        return
    eps = 1e-9
    assert enter - eps <= s_enter <= enter + DT_H + eps
    assert leave - DT_H - eps <= s_leave <= leave + eps


track_pts = st.lists(st.tuples(coord, coord), min_size=2, max_size=5)


@settings(max_examples=60, deadline=None)
@given(track_pts, st.floats(5.0, 40.0), track_pts, st.floats(5.0, 40.0), st.floats(2.0, 25.0))
def test_track_coverage_agrees_with_stepped(tw, tv, sw, sv, R):
    """Multi-leg target and multi-leg sensor: every stepped run lies inside one closed-form
    interval and starts/ends within one step of it; every closed-form interval longer than two
    steps is seen by the stepped reference."""
    target = Track.from_waypoints(tw, tv)
    sensor = Track.from_waypoints(sw, sv, start_h=0.3)
    T = 6.0
    exact = track_coverage(target, sensor, R, 0.0, T)
    stepped = stepped_track_coverage(target, sensor, R, 0.0, T, DT_H)
    t = np.arange(0.0, T + 1e-12, DT_H)
    d = target.position_at(t) - sensor.position_at(t)
    margin = np.abs(np.hypot(d[:, 0], d[:, 1]) - R)
    assume(margin.min() > 1e-6)
    for a, b in stepped:
        match = [(e, x) for e, x in exact if e - 1e-9 <= a and b <= x + 1e-9]
        assert len(match) == 1
        e, x = match[0]
        assert a - e <= DT_H + 1e-9 and x - b <= DT_H + 1e-9
    for e, x in exact:
        if x - e > 2 * DT_H:
            assert any(e - 1e-9 <= a <= e + DT_H + 1e-9 for a, _ in stepped)


@given(
    d=st.tuples(st.floats(-50, 50), st.floats(-50, 50)),
    w=st.tuples(st.floats(-40, 40), st.floats(-40, 40)) | st.just((0.0, 0.0)),
    R=st.floats(0.0, 30.0),
    D=st.floats(0.0, 20.0) | st.just(math.inf),
)
@settings(max_examples=300, deadline=None)
def test_pair_interval_is_the_scalar_twin_of_time_in_range(d, w, R, D):
    from mda_sim.sensing.coverage import pair_interval

    enter, leave = time_in_range(d, w, R, D)
    got = pair_interval(d[0], d[1], w[0], w[1], R, D)
    if np.isnan(enter):
        assert got is None
    else:
        assert got is not None
        assert got[0] == pytest.approx(float(enter), abs=1e-12) and got[1] == pytest.approx(float(leave), abs=1e-12)
