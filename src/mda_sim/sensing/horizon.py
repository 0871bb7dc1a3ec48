"""Radar and radio horizon over a smooth sea, with an effective-earth-radius factor.

Reference: ``reference/theory-and-calibration.md`` §2.4 (ATIS glossary, "radar horizon"; AFSIM's
default ``earth_radius_multiplier`` = 4/3).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from mda_sim.units import EARTH_RADIUS_M, M_PER_NM

__all__ = [
    "STANDARD_REFRACTION_K",
    "footprint_range_nm",
    "horizon_constant_m_per_sqrt_m",
    "radar_horizon_nm",
]

#: Effective earth-radius factor of the standard atmosphere (4/3 earth) [-].
STANDARD_REFRACTION_K = 4.0 / 3.0


def horizon_constant_m_per_sqrt_m(k: float = STANDARD_REFRACTION_K) -> float:
    """``sqrt(2 k R_e)`` [m / sqrt(m)]: horizon distance per square root of height.

    With k = 4/3 and R_e = 6,371 km this is 4,121.8 (reference §2.4 constant check).
    """
    if not k > 0.0:
        raise ValueError(f"earth-radius factor k = {k}: must be > 0")
    return float(np.sqrt(2.0 * k * EARTH_RADIUS_M))


def radar_horizon_nm(
    antenna_height_m: ArrayLike,
    target_height_m: ArrayLike = 0.0,
    k: float = STANDARD_REFRACTION_K,
) -> np.ndarray:
    """Largest range at which a target's top is above the radar horizon [nm].

    Parameters
    ----------
    antenna_height_m : array_like
        Antenna height above the sea [m], >= 0 (mast height, or aircraft altitude).
    target_height_m : array_like
        Height of the target's highest reflecting part above the sea [m], >= 0.
    k : float
        Effective earth-radius factor (4/3 for standard refraction; 1 for the geometric horizon).

    Returns
    -------
    numpy.ndarray
        ``d = (sqrt(2 k R_e h1) + sqrt(2 k R_e h2)) / 1852`` [nm]; about
        ``2.23 (sqrt(h1_m) + sqrt(h2_m))`` nm or ``1.23 (sqrt(h1_ft) + sqrt(h2_ft))`` nm.

    References
    ----------
    ATIS Telecom Glossary, "radar horizon"; reference §2.4.

    Examples
    --------
    >>> round(float(radar_horizon_nm(30.0, 3.0)), 2)
    16.04
    """
    h1 = np.asarray(antenna_height_m, dtype=float)
    h2 = np.asarray(target_height_m, dtype=float)
    if np.any(h1 < 0.0) or np.any(h2 < 0.0):
        raise ValueError(
            f"heights must be >= 0 m, got antenna {h1.tolist()} and target {h2.tolist()}"
        )
    c = horizon_constant_m_per_sqrt_m(k)
    return c * (np.sqrt(h1) + np.sqrt(h2)) / M_PER_NM


def footprint_range_nm(
    instrumented_range_nm: ArrayLike,
    antenna_height_m: ArrayLike,
    target_height_m: ArrayLike = 0.0,
    k: float = STANDARD_REFRACTION_K,
) -> np.ndarray:
    """Range of a sensor's footprint against a target: ``min(instrumented range, horizon)`` [nm].

    Gate on the horizon before any detection law is evaluated (reference §2.4: AFSIM logs
    horizon-masked attempts with Pd = 0).
    """
    return np.minimum(
        np.asarray(instrumented_range_nm, dtype=float),
        radar_horizon_nm(antenna_height_m, target_height_m, k),
    )
