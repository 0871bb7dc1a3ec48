"""Intercept geometry: the reference's worked values (§2.7) and properties of the solution."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mda_sim.kinematics.intercept import (
    course_deg,
    head_on_closing_time_h,
    intercept_possible,
    intercept_time_h,
    pure_pursuit_capture_time_h,
    solve_intercept,
    tail_chase_time_h,
    time_to_close_within_h,
)


# ------------------------------------------------------------------ reference §2.7 worked values
def test_target_north_heading_east():
    sol = solve_intercept([0, 0], [0, 20], [30, 0], 40.0)
    assert sol.time_h == pytest.approx(0.7559, abs=1e-4)
    assert sol.time_h * 60 == pytest.approx(45.36, abs=0.01)
    np.testing.assert_allclose(sol.point_nm, [22.68, 20.0], atol=0.005)
    assert np.hypot(*sol.pursuer_velocity_kn) == pytest.approx(40.0)


def test_go_fast_closing_cutter_slower():
    rel, v = np.array([40.0, 10.0]), np.array([-40.0, 0.0])
    assert float(intercept_time_h(rel, v, 28.0)) == pytest.approx(0.6336, abs=1e-4)
    d = np.hypot(*rel)
    sin_theta = abs(rel[0] * v[1] - rel[1] * v[0]) / (d * 40.0)
    assert sin_theta == pytest.approx(0.243, abs=1e-3)
    assert intercept_possible(rel, v, 28.0)


def test_go_fast_too_wide_no_intercept():
    rel, v = np.array([10.0, 40.0]), np.array([-40.0, 0.0])
    assert np.isnan(intercept_time_h(rel, v, 28.0))
    assert solve_intercept([0, 0], rel, v, 28.0) is None
    assert not intercept_possible(rel, v, 28.0)
    sin_theta = abs(rel[0] * v[1] - rel[1] * v[0]) / (np.hypot(*rel) * 40.0)
    assert sin_theta == pytest.approx(0.970, abs=1e-3)


def test_helicopter_with_launch_delay():
    t = float(intercept_time_h([60.0, 0.0], [0.0, 40.0], 120.0, launch_delay_h=0.25))
    assert t - 0.25 == pytest.approx(0.5698, abs=1e-4)
    assert t == pytest.approx(0.8198, abs=1e-4)


def test_equal_speeds_linear_case():
    # s = |v|: t = -|r0|^2 / (2 r0·v) when closing, else none
    assert float(intercept_time_h([10.0, 5.0], [-30.0, 0.0], 30.0)) == pytest.approx(125 / 600)
    assert np.isnan(intercept_time_h([10.0, 5.0], [30.0, 0.0], 30.0))


def test_vectorised_over_many_pairs():
    rel = np.array([[0, 20], [40, 10], [10, 40]], float)
    v = np.array([[30, 0], [-40, 0], [-40, 0]], float)
    t = intercept_time_h(rel, v, np.array([40.0, 28.0, 28.0]))
    np.testing.assert_allclose(t[:2], [0.7559, 0.6336], atol=1e-4)
    assert np.isnan(t[2])


def test_bad_inputs_name_the_value():
    with pytest.raises(ValueError, match="-5"):
        intercept_time_h([1, 0], [0, 0], -5.0)


# ------------------------------------------------------------------ pursuit helpers
def test_tail_chase_and_head_on():
    assert float(tail_chase_time_h(10.0, 40.0, 30.0)) == pytest.approx(1.0)
    assert np.isinf(tail_chase_time_h(10.0, 30.0, 30.0))
    assert float(head_on_closing_time_h(70.0, 40.0, 30.0)) == pytest.approx(1.0)
    # the lead solution equals the tail chase for a target running straight away
    assert float(intercept_time_h([10.0, 0.0], [30.0, 0.0], 40.0)) == pytest.approx(1.0)


def test_course_deg_convention():
    np.testing.assert_allclose(course_deg([[0, 1], [1, 0], [0, -1], [-1, 0]]), [0, 90, 180, 270])


def test_time_to_close_within():
    assert float(time_to_close_within_h([10.0, 0.0], [-10.0, 0.0], 2.0)) == pytest.approx(0.8)
    assert float(time_to_close_within_h([1.0, 0.0], [5.0, 0.0], 2.0)) == 0.0
    assert np.isnan(time_to_close_within_h([10.0, 5.0], [-10.0, 0.0], 2.0))


@pytest.mark.parametrize(
    ("rel", "v", "s"),
    [
        ([0, 10], [10, 0], 20.0),
        ([5, 5], [-8, 3], 15.0),
        ([10, 0], [12, 0], 30.0),
        ([-3, 7], [0, -20], 25.0),
    ],
)
def test_pure_pursuit_capture_time_matches_integration(rel, v, s):
    """Bouguer/Nahin formula against a fine Euler integration of the pursuit curve."""
    T = float(pure_pursuit_capture_time_h(rel, v, s))
    px = py = 0.0
    (x, y), (vx, vy) = rel, v
    dt, t = T * 2e-6, 0.0
    while math.hypot(x - px, y - py) > s * dt and t < 2 * T:
        d = math.hypot(x - px, y - py)
        px, py = px + s * dt * (x - px) / d, py + s * dt * (y - py) / d
        x, y, t = x + vx * dt, y + vy * dt, t + dt
    assert t == pytest.approx(T, rel=1e-3, abs=1e-5)
    assert T >= float(intercept_time_h(rel, v, s)) - 1e-12  # leading is never slower


# ------------------------------------------------------------------ properties
# rounded to 1e-6 so that no subnormal or astronomically slow case is generated
coord = st.floats(-100.0, 100.0).map(lambda a: round(a, 6))
vel = st.floats(-60.0, 60.0).map(lambda a: round(a, 6))


@settings(max_examples=300, deadline=None)
@given(coord, coord, vel, vel, st.floats(0.0, 80.0), st.floats(0.0, 1.0))
def test_intercept_meets_and_nothing_earlier_does(x, y, vx, vy, s, delay):
    """At the solution the pursuer, flying straight at full speed after the delay, is on the target
    (within 1e-6 nm); on a fine grid before it the target is always outside the pursuer's reach
    disc of radius s·max(t - delay, 0)."""
    rel, v = np.array([x, y]), np.array([vx, vy])
    assume(np.hypot(x, y) > 1e-3)
    t = float(intercept_time_h(rel, v, s, delay))
    # near-equal speeds in a tail chase give meetings 1e8 h away, where 1e-6 nm is below rounding
    assume(not np.isfinite(t) or t < 1e4)
    # grazing cases (a double root, sin(theta) = s/|v_T| exactly) are decided by rounding and are
    # accurate only to sqrt(machine eps) of the range: excluded by a relative discriminant margin
    r = rel + v * delay
    disc = (r @ v) ** 2 - (v @ v - s * s) * (r @ r)
    assume(abs(disc) > 1e-9 * max((r @ v) ** 2, (v @ v) * (r @ r), 1e-300))
    grid = np.linspace(0.0, t if np.isfinite(t) else 50.0, 4001)
    target = rel + v * grid[:, None]
    slack = np.hypot(target[:, 0], target[:, 1]) - s * np.maximum(grid - delay, 0.0)
    if np.isfinite(t):
        sol = solve_intercept([0, 0], rel, v, s, delay)
        pursuer = sol.pursuer_velocity_kn * (t - delay)
        assert np.hypot(*(pursuer - (rel + v * t))) <= 1e-6
        assert np.hypot(*sol.pursuer_velocity_kn) == pytest.approx(s, rel=1e-9) or t == delay
        assert np.all(slack[:-1] >= -1e-6 * max(1.0, np.abs(slack).max()))
    else:
        assert np.all(slack > -1e-9)
    # the angle test of §2.7 agrees with the quadratic
    assert bool(intercept_possible(r, v, s)) == bool(np.isfinite(t))
