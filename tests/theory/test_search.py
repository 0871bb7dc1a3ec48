"""Search theory: reference §2.1-2.3 worked values, and Koopman's random-search law reproduced by a
Monte Carlo of random tracks built from our own coverage code."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mda_sim.sensing.coverage import leg_coverage
from mda_sim.sensing.laws import DefiniteRange
from mda_sim.theory.search import (
    bayes_update_failed_search,
    coverage_factor,
    cumulative_pod,
    inverse_cube_k_nm2,
    lateral_range_definite,
    lateral_range_inverse_cube,
    pod_exhaustive_search,
    pod_parallel_definite_range,
    pod_parallel_inverse_cube,
    pod_random_search,
    probability_of_success,
    sweep_width_definite,
    sweep_width_inverse_cube,
    sweep_width_numeric,
    time_to_pod_random_search_h,
)
from tests.conftest import FULL_STATS


# ----------------------------------------------------------------------- §2.1 random search
def test_random_search_worked_example():
    assert float(coverage_factor(4.0, 80.0 * 4.0, 2000.0)) == pytest.approx(0.64)
    assert abs(float(pod_random_search(4.0, 320.0, 2000.0)) - 0.4727) < 1e-4
    assert float(time_to_pod_random_search_h(0.9, 4.0, 80.0, 2000.0)) == pytest.approx(
        14.39, abs=5e-3
    )


# ----------------------------------------------------------------------- §2.2 lateral ranges
def test_inverse_cube_worked_values():
    assert float(sweep_width_inverse_cube(1.0)) == pytest.approx(3.5449, abs=1e-4)
    quad = sweep_width_numeric(lambda x: lateral_range_inverse_cube(x, 1.0), 200.0)
    assert quad == pytest.approx(3.5449, abs=1e-4)
    K = float(inverse_cube_k_nm2(4.0))
    assert K == pytest.approx(1.2732, abs=1e-4)
    np.testing.assert_allclose(
        lateral_range_inverse_cube([1.0, 2.0], K), [0.7201, 0.2726], atol=1e-4
    )
    assert float(pod_parallel_inverse_cube(0.64)) == pytest.approx(0.5775, abs=1e-4)


def test_definite_range_and_ordering():
    assert float(sweep_width_definite(2.0)) == 4.0
    assert sweep_width_numeric(lambda x: lateral_range_definite(x, 2.0), 5.0) == pytest.approx(
        4.0, abs=1e-3
    )
    C = np.linspace(0.05, 0.95, 19)
    rnd = -np.expm1(-C)
    assert np.all(rnd < pod_parallel_inverse_cube(C))
    assert np.all(pod_parallel_inverse_cube(C) < pod_parallel_definite_range(C))
    assert float(pod_parallel_definite_range(0.64)) == pytest.approx(0.64)
    assert float(pod_parallel_definite_range(1.7)) == 1.0
    assert float(pod_exhaustive_search(4.0, 320.0, 2000.0)) == pytest.approx(0.64)


# ----------------------------------------------------------------------- §2.3 POD, POC, POS
def test_cumulative_pod_and_bayes():
    assert float(cumulative_pod([0.6, 0.6])) == pytest.approx(0.84)
    assert float(cumulative_pod([0.6, 0.6, 0.6])) == pytest.approx(0.936)
    assert float(cumulative_pod([0.3] * 6)) == pytest.approx(0.8824, abs=1e-4)
    new, pos = bayes_update_failed_search([0.6, 0.4], [0.5, 0.0])
    np.testing.assert_allclose(new, [0.4286, 0.5714], atol=1e-4)
    assert pos == pytest.approx(0.30)
    assert new.sum() == pytest.approx(1.0)
    assert float(probability_of_success(0.6, 0.5)) == pytest.approx(0.30)
    with pytest.raises(ValueError, match="POS = 1"):
        bayes_update_failed_search([1.0], [1.0])


# ----------------------------------------------------------------------- Koopman Monte Carlo
def _random_tour_pod(
    n_rep: int, leg_nm: float, seed: int, area_nm2=2000.0, w_nm=4.0, speed_kn=80.0, hours=4.0
) -> float:
    """Fraction of uniformly placed stationary targets found by a cookie-cutter searcher on a random
    tour: a uniform start, then legs of ``leg_nm`` each on a fresh uniform heading, in a square
    torus of area A (wrapping removes edge effects; 9 images of the target are tested, valid while
    leg + R < side). Detection uses our own coverage solver with a moving sensor and a stationary
    target: hit if any leg comes within R = W/2 of any image. Done in chunks to bound memory."""
    rng = np.random.default_rng(seed)
    side, R = math.sqrt(area_nm2), DefiniteRange(w_nm / 2.0).range_nm
    m = round(speed_kn * hours / leg_nm)
    dur = leg_nm / speed_kn
    assert leg_nm + R < side
    found = 0
    for lo in range(0, n_rep, 5_000):
        n = min(5_000, n_rep - lo)
        found += _tour_chunk(rng, n, m, dur, side, R, speed_kn)
    return found / n_rep


def _tour_chunk(rng, n_rep, m, dur, side, R, speed_kn) -> int:
    target = rng.random((n_rep, 2)) * side
    start = rng.random((n_rep, 2)) * side
    heading = rng.random((n_rep, m)) * 2 * math.pi
    vel = speed_kn * np.stack([np.sin(heading), np.cos(heading)], axis=-1)
    steps = np.cumsum(vel * dur, axis=1)
    pos = np.mod(
        start[:, None, :] + np.concatenate([np.zeros((n_rep, 1, 2)), steps[:, :-1]], axis=1), side
    )
    shifts = np.array([(i, j) for i in (-1, 0, 1) for j in (-1, 0, 1)], float) * side
    images = target[:, None, None, :] + shifts[None, None, :, :]
    cov = leg_coverage(images, np.zeros(2), pos[:, :, None, :], vel[:, :, None, :], R, 0.0, dur)
    return int(cov.hit.any(axis=(1, 2)).sum())


def test_koopman_random_search_by_monte_carlo():
    """Random tracks reproduce POD = 1 - exp(-W v t / A) (reference §2.1 worked example, 0.4727).

    Setup: A = 2,000 nm², W = 4 nm (cookie cutter R = 2), v = 80 kn, t = 4 h, legs of 20 nm (5 W)
    on a torus. Koopman's law assumes the search effort is spread "at random", i.e. without the
    short-range self-overlap of a random walk; legs of several sweep widths approximate that (with
    300,000 replications this setup gave 0.4731 and 0.4736, each +- 0.0009). Tolerance: 4 binomial standard errors,
    0.045 at n = 2,000 (0.0063 with MDA_SIM_FULL_STATS=1, n = 100,000).
    """
    n = 100_000 if FULL_STATS else 2_000
    p_hat = _random_tour_pod(n, 20.0, seed=2024)
    p = float(pod_random_search(4.0, 320.0, 2000.0))
    assert abs(p_hat - p) <= 4 * math.sqrt(p * (1 - p) / n)


def test_random_walk_is_not_random_search():
    """Contrast: with legs of a quarter sweep width the track overlaps itself (a random walk), and
    the POD falls far below Koopman's (about 0.15 against 0.47): the formula is for random tracks,
    not for any random motion."""
    p_hat = _random_tour_pod(500, 1.0, seed=5)
    assert p_hat < 0.3


def test_exhaustive_bound_holds_for_random_search():
    p_hat = _random_tour_pod(2_000, 20.0, seed=77, hours=1.0)
    assert p_hat <= float(pod_exhaustive_search(4.0, 80.0, 2000.0)) + 0.02
