"""Detection laws: closed forms against the stepped reference, exact draws against the closed-form
probability (statistically), search-theory summaries, the registry.

Statistical tolerance: a detected fraction from n independent draws has binomial standard error
``se = sqrt(P (1 - P) / n)``; we accept ``|p_hat - P| <= 4 se + 1/n``. Four standard errors is a
two-sided false-alarm rate of 6e-5 per check (the seeds are fixed, so a pass is reproducible; the
bound matters when seeds or n change), while a real error in a law (a wrong hazard, an off-by-one
scan) shifts P by far more than 4 se at n = 2,000 (se <= 0.011). MDA_SIM_FULL_STATS=1 raises n to
50,000 (se <= 0.0023).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_sim.sensing.coverage import time_in_range
from mda_sim.sensing.laws import (
    DETECTION_LAWS,
    ConstantRate,
    DefiniteRange,
    DetectionLaw,
    Glimpse,
    InverseCube,
    make_law,
)
from mda_sim.sensing.stepped import (
    stepped_cumulative_hazard,
    stepped_detection_time,
)
from tests.conftest import FULL_STATS

N_DRAWS = 50_000 if FULL_STATS else 2_000


def within_binomial(p_hat: float, p: float, n: int, k: float = 4.0) -> bool:
    return abs(p_hat - p) <= k * math.sqrt(p * (1.0 - p) / n) + 1.0 / n


# A pass at lateral offset 2-3 nm, 20 kn, one hour: each law's P lies well inside (0, 1).
PASSES = {
    "constant_rate": (ConstantRate(rate_per_h=1.5, range_nm=5.0), [-10.0, 3.0], [20.0, 0.0], 1.0),
    "inverse_cube": (InverseCube.from_sweep_width(4.0, 20.0), [-10.0, 2.0], [20.0, 0.0], 1.0),
    "inverse_cube_high": (InverseCube(20.0, height_nm=1.0), [-6.0, 1.5], [15.0, 5.0], 0.8),
    "glimpse": (Glimpse(10.0, 0.02, 4.0), [-10.0, 5.0], [20.0, 0.0], 1.0),
}


# ------------------------------------------------------------------------- pure closed forms
def test_glimpse_cumulative_over_scans_reference_value():
    """Reference §2.6: per-scan Pd 0.3 over 6 scans gives 0.8824; rate = -ln(1-p)/T."""
    law = Glimpse(scan_period_s=10.0, p_max=0.3, r50_nm=1.0)
    p6 = law.cumulative_probability([0.0, 0.0], [0.0, 0.0], 50.0 / 3600.0, scan_phase_h=0.0)
    assert float(p6) == pytest.approx(0.8824, abs=1e-4)
    assert float(law.rate(0.0)) == pytest.approx(-math.log(0.7) * 360.0)
    assert float(law.p_detect(1.0)) == pytest.approx(0.15)


def test_inverse_cube_reference_values():
    """Reference §2.2: W = 4 nm -> K = 1.2732, p(1) = 0.7201, p(2) = 0.2726; W = 2 sqrt(pi K)."""
    law = InverseCube.from_sweep_width(4.0, speed_kn=20.0)
    assert 2.0 * law.coefficient_nm3_per_h / 20.0 == pytest.approx(1.2732, abs=1e-4)
    np.testing.assert_allclose(law.lateral_range([1.0, 2.0], 20.0), [0.7201, 0.2726], atol=1e-4)
    assert law.sweep_width(20.0) == pytest.approx(4.0)
    assert law.sweep_width(80.0) == pytest.approx(2.0)  # W ~ 1/sqrt(V)
    # the generic numerical lateral range from the hazard integral agrees with the closed form
    x = np.array([0.5, 1.0, 2.0, 4.0])
    generic = DetectionLaw.lateral_range(law, x, 20.0)
    np.testing.assert_allclose(generic, law.lateral_range(x, 20.0), rtol=1e-5)
    # with height, the tan-substituted quadrature approaches the flat value as h -> 0
    assert InverseCube(law.coefficient_nm3_per_h, 1e-4).sweep_width(20.0) == pytest.approx(
        4.0, rel=1e-3
    )


def test_definite_and_constant_rate_lateral_ranges():
    assert DefiniteRange(6.0).sweep_width(30.0) == 12.0
    fast = ConstantRate(rate_per_h=1e4, range_nm=6.0)
    assert fast.sweep_width(30.0) == pytest.approx(12.0, rel=2e-3)
    assert float(fast.lateral_range(7.0, 30.0)) == 0.0


def test_definite_range_draw_is_the_entry_time():
    law = DefiniteRange(5.0)
    d0 = np.array([[-10.0, 3.0], [-10.0, 6.0], [1.0, 0.0]])
    w = np.array([[20.0, 0.0]] * 3)
    tau = law.draw_detection_time(d0, w, 1.0, np.random.default_rng(0))
    np.testing.assert_allclose(tau, [0.3, np.nan, 0.0])
    np.testing.assert_array_equal(law.cumulative_probability(d0, w, 1.0), [1.0, 0.0, 1.0])


def test_one_exponential_per_pair_for_common_random_numbers():
    law = ConstantRate(rate_per_h=2.0, range_nm=50.0)
    d0, w = np.zeros((5, 2)), np.zeros((5, 2))
    tau = law.draw_detection_time(d0, w, 100.0, np.random.default_rng(42))
    E = np.random.default_rng(42).standard_exponential(5)
    np.testing.assert_allclose(tau, E / 2.0)


@pytest.mark.parametrize("name", list(PASSES))
def test_hazard_matches_stepped_quadrature(name):
    law, d0, w, D = PASSES[name]
    phase = 0.4 / 3600.0
    exact = float(law.cumulative_hazard(d0, w, D, scan_phase_h=phase))
    stepped = stepped_cumulative_hazard(law, d0, w, D, 1e-5, scan_phase_h=phase)[0]
    # midpoint rule on smooth rates; one step of rate at each footprint edge; scans at step level
    assert stepped == pytest.approx(exact, rel=2e-3, abs=2 * 1.5 * 1e-5)


coord = st.floats(-30.0, 30.0).map(lambda a: round(a, 3))
vel = st.floats(-40.0, 40.0).map(lambda a: round(a, 3))


@settings(max_examples=40, deadline=None)
@given(
    coord,
    coord,
    vel,
    vel,
    st.floats(0.05, 1.5),
    st.sampled_from(["constant_rate", "inverse_cube_high"]),
)
def test_rate_law_hazard_property(x, y, vx, vy, D, name):
    """Closed-form hazard equals the stepped midpoint sum for random straight legs (rate laws).
    Tolerance: 1e-3 relative (midpoint error) plus two steps of rate for the footprint edges."""
    law = PASSES[name][0]
    exact = float(law.cumulative_hazard([x, y], [vx, vy], D))
    stepped = stepped_cumulative_hazard(law, [x, y], [vx, vy], D, 2e-5)[0]
    peak = float(law.rate(0.0))
    assert stepped == pytest.approx(exact, rel=1e-3, abs=2 * peak * 2e-5 + 1e-12)


# ------------------------------------------------------------------------- statistical draws
@pytest.mark.parametrize("name", list(PASSES))
def test_draws_match_cumulative_probability(name):
    law, d0, w, D = PASSES[name]
    rng = np.random.default_rng(20240601)
    d0n = np.broadcast_to(np.asarray(d0, float), (N_DRAWS, 2))
    wn = np.broadcast_to(np.asarray(w, float), (N_DRAWS, 2))
    tau = law.draw_detection_time(d0n, wn, D, rng)  # glimpse: random phase per draw
    P = float(law.cumulative_probability(d0, w, D))  # glimpse: phase-averaged
    assert 0.05 < P < 0.95
    assert within_binomial(np.mean(~np.isnan(tau)), P, N_DRAWS)
    assert np.nanmin(tau) >= 0.0 and np.nanmax(tau) <= D
    # the time distribution: P(tau <= t) = P(t) at three points along the leg
    for frac in (0.4, 0.5, 0.65):
        Pt = float(law.cumulative_probability(d0, w, frac * D))
        assert within_binomial(np.mean(tau <= frac * D), Pt, N_DRAWS)


def test_glimpse_draws_with_given_phase():
    law, d0, w, D = PASSES["glimpse"]
    phase = 3.0 / 3600.0
    d0n = np.broadcast_to(np.asarray(d0, float), (N_DRAWS, 2))
    tau = law.draw_detection_time(
        d0n, np.asarray(w, float), D, np.random.default_rng(3), scan_phase_h=phase
    )
    P = float(law.cumulative_probability(d0, w, D, scan_phase_h=phase))
    assert within_binomial(np.mean(~np.isnan(tau)), P, N_DRAWS)
    # detections happen only on scans
    k = (tau[~np.isnan(tau)] - phase) / law.scan_period_h
    np.testing.assert_allclose(k, np.round(k), atol=1e-6)


@pytest.mark.parametrize("name", ["constant_rate", "inverse_cube", "glimpse"])
def test_stepped_reference_draws_agree_statistically(name):
    """The brute-force stepped draw (Bernoulli per 3.6-s step) agrees with the closed form."""
    law, d0, w, D = PASSES[name]
    n = N_DRAWS // 2
    d0n = np.broadcast_to(np.asarray(d0, float), (n, 2))
    tau = stepped_detection_time(
        law, d0n, np.asarray(w, float), D, 1e-3, np.random.default_rng(9), scan_phase_h=0.0
    )
    P = float(law.cumulative_probability(d0, w, D, scan_phase_h=0.0))
    assert within_binomial(np.mean(~np.isnan(tau)), P, n)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["constant_rate", "inverse_cube"])
def test_many_random_geometries_statistically(name):
    """Across many random legs, the mean of the detection indicators equals the mean closed-form
    probability (a sum of Bernoullis: se = sqrt(sum P(1-P)) / n)."""
    law = PASSES[name][0]
    rng = np.random.default_rng(11)
    n = 40_000 if FULL_STATS else 4_000
    d0 = rng.uniform(-15, 15, (n, 2))
    w = rng.uniform(-30, 30, (n, 2))
    D = rng.uniform(0.1, 1.0, n)
    P = law.cumulative_probability(d0, w, D)
    hit = ~np.isnan(law.draw_detection_time(d0, w, D, rng))
    se = math.sqrt(np.sum(P * (1 - P))) / n
    assert abs(hit.mean() - P.mean()) <= 4 * se


# ------------------------------------------------------------------------- registry and errors
def test_registry_and_make_law():
    assert set(DETECTION_LAWS) == {"definite_range", "constant_rate", "inverse_cube", "glimpse"}
    law = make_law("glimpse", scan_period_s=6.0, p_max=0.8, r50_nm=12.0)
    assert isinstance(law, Glimpse) and law.steepness == 4.0
    with pytest.raises(ValueError, match="did you mean 'glimpse'"):
        make_law("glimse", scan_period_s=6.0)
    with pytest.raises(ValueError, match="p_max = 1.5"):
        Glimpse(6.0, 1.5, 10.0)
    with pytest.raises(ValueError, match="scan_phase_h"):
        Glimpse(6.0, 0.5, 10.0).cumulative_hazard([0, 0], [1, 0], 1.0)


def test_footprint_interval_then_law_is_the_engine_path():
    """Coverage interval first, then the law over that interval: same P as the law over the leg
    for a law that is zero outside the footprint."""
    law = ConstantRate(rate_per_h=2.0, range_nm=8.0)
    d0, w = np.array([-20.0, 4.0]), np.array([25.0, 0.0])
    enter, leave = time_in_range(d0, w, 8.0, 2.0)
    p_leg = float(law.cumulative_probability(d0, w, 2.0))
    p_int = float(law.cumulative_probability(d0 + w * enter, w, leave - enter))
    assert p_int == pytest.approx(p_leg)


def test_glimpse_batched_draw_equals_scan_by_scan_inversion():
    """The batched inversion (all pairs' scans in one cumulative sum) gives the same detection
    time as inverting each pair's own scans, ``tau = t_k`` with ``k`` the first scan where the
    pair's cumulative hazard reaches its threshold ``E``."""
    law = Glimpse(scan_period_s=12.0, p_max=0.7, r50_nm=4.0, steepness=3.0)
    rng = np.random.default_rng(11)
    n = 400
    d0 = rng.uniform(-12, 12, size=(n, 2))
    w = rng.uniform(-30, 30, size=(n, 2))
    w[:20] = 0.0
    D = rng.uniform(0.0, 1.5, size=n)
    E = rng.standard_exponential(n)
    ph = rng.uniform(0.0, law.scan_period_h, size=n)
    got = law._invert(d0, w, D, E, rng=None, scan_phase_h=ph)
    for i in range(n):
        t, h = law._scans(d0[i], w[i], float(D[i]), float(ph[i]))
        k = int(np.searchsorted(np.cumsum(h), E[i], side="left"))
        want = t[k] if k < t.size else np.nan
        assert (np.isnan(want) and np.isnan(got[i])) or got[i] == pytest.approx(want, abs=1e-12), i
    assert 50 < np.count_nonzero(~np.isnan(got)) < n  # both outcomes exercised
