"""Classical search theory: sweep widths, lateral range curves, random / parallel / exhaustive
search, cumulative POD and the Bayesian update after a failed search.

These are the closed-form references the engine's search patterns are validated against. All
formulas and worked values: ``reference/theory-and-calibration.md`` §2.1-2.3 (Koopman 1946;
Washburn, *Search and Detection*; NPS OA3602 notes; US National SAR Supplement).

Units: nautical miles, knots, hours; areas in square nautical miles.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "bayes_update_failed_search",
    "coverage_factor",
    "cumulative_pod",
    "inverse_cube_k_nm2",
    "lateral_range_definite",
    "lateral_range_inverse_cube",
    "pod_exhaustive_search",
    "pod_parallel_definite_range",
    "pod_parallel_inverse_cube",
    "pod_random_search",
    "probability_of_success",
    "sweep_width_definite",
    "sweep_width_inverse_cube",
    "sweep_width_numeric",
    "time_to_pod_random_search_h",
]

_erf = np.frompyfunc(math.erf, 1, 1)


def coverage_factor(
    sweep_width_nm: ArrayLike, track_length_nm: ArrayLike, area_nm2: ArrayLike
) -> np.ndarray:
    """Coverage ``C = W L / A`` [-] (for evenly spaced parallel tracks ``C = W / S``)."""
    A = np.asarray(area_nm2, dtype=float)
    if np.any(A <= 0.0):
        raise ValueError(f"area_nm2 must be > 0, got {np.ravel(A).tolist()}")
    return np.asarray(sweep_width_nm, dtype=float) * np.asarray(track_length_nm, dtype=float) / A


def pod_random_search(
    sweep_width_nm: ArrayLike, track_length_nm: ArrayLike, area_nm2: ArrayLike
) -> np.ndarray:
    """Koopman random search: ``POD = 1 - exp(-W L / A)`` [-], with ``L = v t``.

    References
    ----------
    B. O. Koopman, *Search and Screening* (OEG Report 56, 1946); reference §2.1.

    Examples
    --------
    >>> round(float(pod_random_search(4.0, 320.0, 2000.0)), 4)
    0.4727
    """
    return -np.expm1(-coverage_factor(sweep_width_nm, track_length_nm, area_nm2))


def time_to_pod_random_search_h(
    pod: ArrayLike, sweep_width_nm: ArrayLike, speed_kn: ArrayLike, area_nm2: ArrayLike
) -> np.ndarray:
    """Search time for a random-search POD: ``t = -ln(1 - POD) A / (W v)`` [h].

    >>> round(float(time_to_pod_random_search_h(0.9, 4.0, 80.0, 2000.0)), 2)
    14.39
    """
    p = np.asarray(pod, dtype=float)
    if np.any((p < 0.0) | (p >= 1.0)):
        raise ValueError(f"pod {np.ravel(p).tolist()}: must be in [0, 1)")
    rate = np.asarray(sweep_width_nm, dtype=float) * np.asarray(speed_kn, dtype=float)
    return -np.log1p(-p) * np.asarray(area_nm2, dtype=float) / rate


def pod_parallel_definite_range(coverage: ArrayLike) -> np.ndarray:
    """Parallel sweep with a definite-range sensor: ``POD = min(1, C)``, ``C = W / S`` [-]."""
    return np.minimum(1.0, np.asarray(coverage, dtype=float))


def pod_exhaustive_search(
    sweep_width_nm: ArrayLike, track_length_nm: ArrayLike, area_nm2: ArrayLike
) -> np.ndarray:
    """Exhaustive (perfectly non-overlapping) search: ``POD = min(1, W L / A)`` [-], the upper bound
    of any search with the same effort and a definite-range sensor."""
    return np.minimum(1.0, coverage_factor(sweep_width_nm, track_length_nm, area_nm2))


def pod_parallel_inverse_cube(coverage: ArrayLike) -> np.ndarray:
    """Parallel sweep with an inverse-cube sensor: ``POD = erf((sqrt(pi) / 2) C)`` [-], ``C = W/S``.

    >>> round(float(pod_parallel_inverse_cube(0.64)), 4)
    0.5775
    """
    C = np.asarray(coverage, dtype=float)
    return np.asarray(_erf(math.sqrt(math.pi) / 2.0 * C), dtype=float)


def lateral_range_definite(lateral_nm: ArrayLike, range_nm: float) -> np.ndarray:
    """Definite-range (cookie-cutter) lateral range curve: ``p(x) = 1{|x| <= R}``."""
    return (np.abs(np.asarray(lateral_nm, dtype=float)) <= range_nm).astype(float)


def lateral_range_inverse_cube(
    lateral_nm: ArrayLike, k_nm2: float, height_nm: float = 0.0
) -> np.ndarray:
    """Inverse-cube lateral range curve ``p(x) = 1 - exp(-K / (h^2 + x^2))``, ``K = 2 k A h / V``.

    With ``h << x`` this is ``1 - exp(-K / x^2)`` (reference §2.2, after Washburn).

    >>> lateral_range_inverse_cube([1.0, 2.0], inverse_cube_k_nm2(4.0)).round(4).tolist()
    [0.7201, 0.2726]
    """
    x = np.asarray(lateral_nm, dtype=float)
    with np.errstate(divide="ignore"):
        return -np.expm1(-k_nm2 / (height_nm**2 + x * x))


def sweep_width_definite(range_nm: ArrayLike) -> np.ndarray:
    """``W = 2 R`` [nm]."""
    return 2.0 * np.asarray(range_nm, dtype=float)


def sweep_width_inverse_cube(k_nm2: ArrayLike) -> np.ndarray:
    """``W = 2 sqrt(pi K)`` [nm] for ``p(x) = 1 - exp(-K / x^2)``.

    >>> round(float(sweep_width_inverse_cube(1.0)), 4)
    3.5449
    """
    return 2.0 * np.sqrt(math.pi * np.asarray(k_nm2, dtype=float))


def inverse_cube_k_nm2(sweep_width_nm: ArrayLike) -> np.ndarray:
    """The inverse-cube ``K`` for a sweep width: ``K = W^2 / (4 pi)`` [nm^2]."""
    return np.asarray(sweep_width_nm, dtype=float) ** 2 / (4.0 * math.pi)


def sweep_width_numeric(
    lateral_range: Callable[[np.ndarray], np.ndarray], x_max_nm: float, n: int = 20001
) -> float:
    """``W = integral of p(x) dx`` [nm] for a symmetric curve, by Simpson's rule on ``[0, x_max]``
    plus an inverse-square tail ``x_max p(x_max)`` (exact if ``p ~ c / x^2`` beyond ``x_max``; zero
    for curves with finite support)."""
    n = n if n % 2 else n + 1
    x = np.linspace(0.0, x_max_nm, n)
    p = np.asarray(lateral_range(x), dtype=float)
    h = x[1] - x[0]
    body = h / 3.0 * (p[0] + p[-1] + 4.0 * p[1:-1:2].sum() + 2.0 * p[2:-1:2].sum())
    return float(2.0 * (body + x_max_nm * p[-1]))


def cumulative_pod(pods: ArrayLike, axis: int = -1) -> np.ndarray:
    """POD of independent searches (or glimpses) combined: ``1 - prod(1 - POD_i)``.

    >>> round(float(cumulative_pod([0.6, 0.6, 0.6])), 3), round(float(cumulative_pod([0.3] * 6)), 4)
    (0.936, 0.8824)
    """
    p = np.asarray(pods, dtype=float)
    return -np.expm1(np.sum(np.log1p(-p), axis=axis))


def probability_of_success(poc: ArrayLike, pod: ArrayLike) -> np.ndarray:
    """``POS = POC x POD`` [-] (reference §2.3)."""
    return np.asarray(poc, dtype=float) * np.asarray(pod, dtype=float)


def bayes_update_failed_search(poc: ArrayLike, pod: ArrayLike) -> tuple[np.ndarray, float]:
    """Posterior containment after a search that found nothing, and that search's POS.

    ``POC_i' = POC_i (1 - POD_i) / (1 - sum_j POC_j POD_j)`` (what SAROPS does to particles;
    reference §2.3). Cells not searched have ``POD = 0``.

    Returns
    -------
    new_poc : numpy.ndarray
    pos : float
        ``sum_j POC_j POD_j``, the probability the search had of succeeding.

    Examples
    --------
    >>> new, pos = bayes_update_failed_search([0.6, 0.4], [0.5, 0.0])
    >>> new.round(4).tolist(), round(pos, 2)
    ([0.4286, 0.5714], 0.3)
    """
    c = np.asarray(poc, dtype=float)
    d = np.broadcast_to(np.asarray(pod, dtype=float), c.shape)
    if np.any((d < 0.0) | (d > 1.0)) or np.any(c < 0.0):
        raise ValueError("poc must be >= 0 and pod in [0, 1]")
    pos = float(np.sum(c * d))
    if pos >= 1.0:
        raise ValueError("the search was certain to succeed (POS = 1): no posterior after failure")
    return c * (1.0 - d) / (1.0 - pos), pos
