"""The analytic scheduler's building blocks against the brute-force time-stepped reference
(:mod:`mda_sim.sensing.stepped`): footprint intervals (:func:`leg_coverage`, :func:`time_in_range`)
and each detection law's cumulative hazard / probability over a straight pass.

Tolerances follow from the step ``dt`` (see ``stepped``'s module docstring):

* **Intervals.** A stepped endpoint is the first/last grid time inside the footprint, so it lies in
  ``[enter, enter + dt]`` and ``[exit - dt, exit]``; ``1e-9 h`` plus ``1e-12`` of the absolute window
  start is allowed for rounding. Coverage in one iff in the other, except (i) a pass whose closest
  approach is within ``1e-6 nm`` of ``R`` (membership decided by rounding; excluded) and (ii) a
  grazing pass shorter than one step, which the grid may miss.
* **Hazards.** The stepped sum evaluates the range at step midpoints. Smooth rate (inverse cube):
  midpoint-rule error ``<= D dt^2 max|gamma''| / 24``. Rate with a footprint edge (constant rate):
  at most one step of rate at each edge, ``<= 2 gamma dt``. Glimpse: each scan is counted in the
  step that holds it (exactly, by construction), but at the step's midpoint range, at most
  ``V dt / 2`` away: ``<= n_scans max|h'(r)| V dt / 2``. Definite range: ``H`` is ``inf`` or ``0``,
  and the two agree except for grazing passes shorter than a step.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mda_sim.sensing.coverage import leg_coverage, time_in_range
from mda_sim.sensing.laws import ConstantRate, DefiniteRange, Glimpse, InverseCube
from mda_sim.sensing.stepped import stepped_cumulative_hazard, stepped_time_in_range

DT_H = 1e-4  # 0.36 s: fine enough that a pass at <= 60 kn moves <= 0.006 nm per step


def _closest(d0, w, D):
    """Closest approach [nm] of |d0 + w t| over t in [0, D]."""
    d0, w = np.asarray(d0, float), np.asarray(w, float)
    a = float(w @ w)
    t = 0.0 if a == 0.0 else float(np.clip(-(d0 @ w) / a, 0.0, D))
    return float(np.hypot(*(d0 + w * t)))


# ==================================================================== footprint intervals
pos = st.floats(-40.0, 40.0, allow_nan=False)
vel = st.floats(-45.0, 45.0, allow_nan=False)
fixed_or_moving = st.one_of(st.just((0.0, 0.0)), st.tuples(vel, vel))


@settings(max_examples=250, deadline=None)
@given(
    target=st.tuples(pos, pos),
    target_v=st.tuples(vel, vel),
    sensor=st.tuples(pos, pos),
    sensor_v=fixed_or_moving,
    R=st.floats(0.2, 30.0),
    t_start=st.floats(0.0, 200.0),
    D=st.floats(0.01, 2.5),
)
def test_leg_coverage_agrees_with_stepped(target, target_v, sensor, sensor_v, R, t_start, D):
    """Absolute-time ``leg_coverage`` (fixed or moving sensor, window starting at ``t_start``)
    against the stepped reference on the relative motion; tolerances in the module docstring."""
    cov = leg_coverage(target, target_v, sensor, sensor_v, R, t_start, t_start + D)
    d0 = np.subtract(target, sensor)
    w = np.subtract(target_v, sensor_v)
    # the window length as leg_coverage sees it (t_end - t_start), so both use the same D
    Dw = (t_start + D) - t_start
    rmin = _closest(d0, w, Dw)
    assume(abs(rmin - R) > 1e-6)
    s_enter, s_exit = (float(x[0]) for x in stepped_time_in_range(d0, w, R, Dw, DT_H))
    enter, leave = float(cov.enter_h), float(cov.exit_h)
    eps = 1e-9 + 1e-12 * t_start
    if not cov.hit:
        assert rmin > R
        assert math.isnan(s_enter), "stepped sees coverage the closed form does not"
        return
    assert rmin < R
    if math.isnan(s_enter):  # grazing: the interval fell between two grid times
        assert leave - enter < DT_H + eps
        return
    assert enter - eps <= t_start + s_enter <= enter + DT_H + eps
    assert leave - DT_H - eps <= t_start + s_exit <= leave + eps
    # both ends of the closed-form interval are on the circle (or on the window's edge)
    for t_abs, at_edge in ((enter, 0.0), (leave, Dw)):
        r = float(np.hypot(*(d0 + w * (t_abs - t_start))))
        assert r == pytest.approx(R, abs=1e-7 * max(1.0, R)) or t_abs - t_start == pytest.approx(
            at_edge, abs=eps
        )


def test_time_in_range_bulk_agrees_with_stepped():
    """1,500 random pairs at once (vectorised), same tolerances as the property test; also counts
    that coverage is neither always nor never found, so the check is not vacuous."""
    rng = np.random.default_rng(20260305)
    n = 1_500
    d0 = rng.uniform(-30.0, 30.0, (n, 2))
    w = rng.uniform(-40.0, 40.0, (n, 2))
    w[: n // 4] = 0.0  # relative rest: inside for the whole window or never
    R = rng.uniform(0.5, 20.0, n)
    D = rng.uniform(0.05, 1.0, n)
    enter, leave = time_in_range(d0, w, R, D)
    s_enter, s_exit = stepped_time_in_range(d0, w, R, D, DT_H)
    rmin = np.array([_closest(d0[i], w[i], D[i]) for i in range(n)])
    ok = np.abs(rmin - R) > 1e-6
    hit, s_hit = ~np.isnan(enter), ~np.isnan(s_enter)
    assert 0.1 < hit.mean() < 0.9 and s_hit.sum() > 100
    assert not np.any(s_hit & ~hit & ok)
    graze = hit & ~s_hit & ok
    assert np.all(leave[graze] - enter[graze] < DT_H + 1e-9)
    both = hit & s_hit & ok
    eps = 1e-9
    assert np.all(s_enter[both] >= enter[both] - eps)
    assert np.all(s_enter[both] <= enter[both] + DT_H + eps)
    assert np.all(s_exit[both] <= leave[both] + eps)
    assert np.all(s_exit[both] >= leave[both] - DT_H - eps)
    # relative rest: the whole window or nothing
    rest = slice(0, n // 4)
    np.testing.assert_array_equal(hit[rest], np.hypot(*d0[rest].T) <= R[rest])
    np.testing.assert_allclose(leave[rest][hit[rest]], D[rest][hit[rest]])


# ==================================================================== detection laws
# Passes: (rel. position at start [nm], rel. velocity [kn], duration [h]). A mix of near and far
# lateral ranges, a receding leg, a leg that starts inside and a slow one.
PASS_GEOMETRIES = [
    ([-12.0, 1.0], [20.0, 0.0], 1.2),
    ([-12.0, 3.5], [20.0, 0.0], 1.2),
    ([-6.0, -7.0], [9.0, 12.0], 1.3),  # lateral range 0.6 nm
    ([2.0, 1.0], [15.0, 5.0], 0.8),  # starts inside, recedes
    ([-3.0, 2.5], [4.0, -1.0], 1.5),  # slow
]
DT_FINE_H = 1e-5  # 36 ms


def _ids(geoms):
    return [f"d0={g[0]},w={g[1]},D={g[2]}" for g in geoms]


@pytest.mark.parametrize("d0,w,D", PASS_GEOMETRIES, ids=_ids(PASS_GEOMETRIES))
def test_constant_rate_hazard_vs_stepped(d0, w, D):
    """``H = gamma T_in`` (reference §2.1) against the stepped sum: at most one step of rate at
    each footprint edge, ``|dH| <= 2 gamma dt`` (plus 1e-12)."""
    law = ConstantRate(rate_per_h=3.0, range_nm=6.0)
    exact = float(law.cumulative_hazard(d0, w, D))
    stepped = float(stepped_cumulative_hazard(law, d0, w, D, DT_FINE_H)[0])
    assert abs(stepped - exact) <= 2.0 * law.rate_per_h * DT_FINE_H + 1e-12
    P, Ps = float(law.cumulative_probability(d0, w, D)), -math.expm1(-stepped)
    assert abs(P - Ps) <= abs(stepped - exact) + 1e-12  # 1 - exp(-H) is 1-Lipschitz in H


@pytest.mark.parametrize("law", [InverseCube(2.0, height_nm=0.5), InverseCube(5.0, height_nm=0.0)],
                         ids=["h=0.5", "flat"])
@pytest.mark.parametrize("d0,w,D", PASS_GEOMETRIES, ids=_ids(PASS_GEOMETRIES))
def test_inverse_cube_hazard_vs_stepped(law, d0, w, D):
    """Koopman inverse cube (reference §2.2), closed form ``(c/V)[F(y1) - F(y0)]`` against the
    midpoint sum: the composite midpoint rule errs by ``<= D dt^2 max|gamma''| / 24``;
    ``max|gamma''|`` is taken numerically along the pass (central differences on a fine grid,
    x 2 for safety)."""
    exact = float(law.cumulative_hazard(d0, w, D))
    stepped = float(stepped_cumulative_hazard(law, d0, w, D, DT_FINE_H)[0])
    t = np.linspace(0.0, D, 200_001)
    r = np.hypot(d0[0] + w[0] * t, d0[1] + w[1] * t)
    g = law.rate(r)
    h = t[1] - t[0]
    g2 = np.max(np.abs(g[2:] - 2.0 * g[1:-1] + g[:-2])) / (h * h)
    bound = 2.0 * D * DT_FINE_H**2 * g2 / 24.0
    assert abs(stepped - exact) <= bound + 1e-12 * max(1.0, exact), (stepped, exact, bound)
    assert exact > 1e-3  # not a vacuous comparison


@pytest.mark.parametrize("phase_s", [0.0, 1.3, 4.9])
@pytest.mark.parametrize("d0,w,D", PASS_GEOMETRIES, ids=_ids(PASS_GEOMETRIES))
def test_glimpse_hazard_vs_stepped(d0, w, D, phase_s):
    """Glimpse law (reference §2.6): ``H = sum_j -ln(1 - p(r_j))`` over the scans at
    ``phase + j T``. The stepped reference counts each scan in the step holding it, at that step's
    midpoint range (<= V dt / 2 away), so ``|dH| <= n_scans max|h'(r)| V dt / 2``; ``max|h'|``
    is taken numerically over the ranges of the pass. ``P = 1 - prod(1 - p_j)`` then agrees to
    the same bound."""
    law = Glimpse(scan_period_s=5.0, p_max=0.4, r50_nm=3.0, steepness=4.0)
    phase = phase_s / 3600.0
    exact = float(law.cumulative_hazard(d0, w, D, scan_phase_h=phase))
    stepped = float(stepped_cumulative_hazard(law, d0, w, D, DT_FINE_H, scan_phase_h=phase)[0])
    T = law.scan_period_h
    n_scans = math.floor((D - phase) / T) + 1
    V = float(np.hypot(*w))
    rr = np.linspace(0.0, 40.0, 400_001)
    dh = np.max(np.abs(np.diff(law.glimpse_hazard(rr)))) / (rr[1] - rr[0])
    bound = n_scans * dh * V * DT_FINE_H / 2.0
    k_end = (D - phase) / T
    if abs(k_end - round(k_end)) < 1e-9:
        # a scan exactly at the end D: the closed form counts scans in [0, D], the steps [0, D)
        r_end = math.hypot(d0[0] + w[0] * D, d0[1] + w[1] * D)
        bound += float(law.glimpse_hazard(r_end))
    assert abs(stepped - exact) <= bound + 1e-12, (stepped, exact, bound)
    # P as the product over scans, written out (reference §2.6 formula)
    t = phase + T * np.arange(n_scans)
    r = np.hypot(d0[0] + w[0] * t, d0[1] + w[1] * t)
    p = law.p_max / (1.0 + (r / law.r50_nm) ** law.steepness)
    P = float(law.cumulative_probability(d0, w, D, scan_phase_h=phase))
    assert P == pytest.approx(1.0 - np.prod(1.0 - p), abs=1e-12)  # n_scans includes a scan at D
    assert abs(P + math.expm1(-stepped)) <= bound + 1e-12
    assert exact > 1e-3


@pytest.mark.parametrize("d0,w,D", PASS_GEOMETRIES, ids=_ids(PASS_GEOMETRIES))
def test_definite_range_hazard_vs_stepped(d0, w, D):
    """Cookie cutter (reference §2.2): ``H = inf`` iff the pass enters ``R`` (P = 1), else 0."""
    for R in (0.5, 2.0, 3.4, 6.0):
        law = DefiniteRange(R)
        exact = float(law.cumulative_hazard(d0, w, D))
        stepped = float(stepped_cumulative_hazard(law, d0, w, D, DT_FINE_H)[0])
        assert exact == stepped
        assert float(law.cumulative_probability(d0, w, D)) == (1.0 if math.isinf(exact) else 0.0)


@settings(max_examples=120, deadline=None)
@given(
    x=pos, y=pos, vx=vel, vy=vel, sensor_v=fixed_or_moving,
    R=st.floats(0.3, 25.0), D=st.floats(0.02, 1.5),
)
def test_definite_range_property(x, y, vx, vy, sensor_v, R, D):
    """Random legs, fixed or moving sensor: the analytic and stepped cookie-cutter hazards agree
    (both infinite or both zero) except for grazing passes shorter than a step or within 1e-6 nm
    of tangency; the drawn detection time is the entry time, which the stepped first-inside step
    follows within one step."""
    d0 = np.array([x, y])
    w = np.array([vx - sensor_v[0], vy - sensor_v[1]])
    assume(abs(_closest(d0, w, D) - R) > 1e-6)
    law = DefiniteRange(R)
    exact = float(law.cumulative_hazard(d0, w, D))
    stepped = float(stepped_cumulative_hazard(law, d0, w, D, DT_H)[0])
    enter, leave = (float(v) for v in time_in_range(d0, w, R, D))
    if exact != stepped:
        assert math.isinf(exact) and stepped == 0.0 and leave - enter < DT_H + 1e-9
        return
    if math.isinf(exact):
        tau = float(law.draw_detection_time(d0, w, D, np.random.default_rng(0)))
        assert tau == enter
        s_enter = float(stepped_time_in_range(d0, w, R, D, DT_H)[0][0])
        # midpoints decide the stepped hazard; grid points decide the stepped interval: both
        # within one step of the entry
        assert enter - 1e-9 <= s_enter <= enter + DT_H + 1e-9


@settings(max_examples=60, deadline=None)
@given(
    x=pos, y=pos, vx=vel, vy=vel, D=st.floats(0.05, 1.0),
    phase_s=st.floats(0.0, 9.99), steep=st.sampled_from([2.0, 4.0, 6.0]),
)
def test_glimpse_property(x, y, vx, vy, D, phase_s, steep):
    """Random legs and scan phases: analytic glimpse hazard equals the stepped one within
    ``n_scans max|h'| V dt / 2`` (module docstring)."""
    law = Glimpse(scan_period_s=10.0, p_max=0.7, r50_nm=5.0, steepness=steep)
    phase = phase_s / 3600.0
    d0, w = [x, y], [vx, vy]
    exact = float(law.cumulative_hazard(d0, w, D, scan_phase_h=phase))
    stepped = float(stepped_cumulative_hazard(law, d0, w, D, DT_H, scan_phase_h=phase)[0])
    T = law.scan_period_h
    # a scan within rounding of the window's end: the analytic form keeps it, the stepped drops it
    assume(abs((D - phase) / T - round((D - phase) / T)) > 1e-6)
    n_scans = max(math.floor((D - phase) / T) + 1, 0)
    rr = np.linspace(0.0, 120.0, 120_001)
    dh = np.max(np.abs(np.diff(law.glimpse_hazard(rr)))) / (rr[1] - rr[0])
    bound = n_scans * dh * math.hypot(vx, vy) * DT_H / 2.0
    assert abs(stepped - exact) <= bound + 1e-9 * max(1.0, exact), (stepped, exact, bound)
