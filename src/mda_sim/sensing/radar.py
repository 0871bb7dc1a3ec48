"""Radar range equation and single-look probability of detection (pure, vectorised).

These turn a radar's published parameters into the per-scan ``p(r)`` of a glimpse law, or check a
catalog's ``r50`` against physics. Formulas and worked values:
``reference/theory-and-calibration.md`` §2.5 (Stone Soup ``AESARadar``; Mahafza, *MATLAB
Simulations for Radar Systems Design*, eq. 2.75; MathWorks ``albersheim``).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "BOLTZMANN_J_PER_K",
    "albersheim_snr_db",
    "db",
    "from_db",
    "pd_north",
    "pd_swerling1",
    "snr_north_db",
    "snr_radar_equation",
]

#: Boltzmann constant [J/K] (exact, SI 2019).
BOLTZMANN_J_PER_K = 1.380649e-23

_erfc = np.frompyfunc(math.erfc, 1, 1)


def db(x: ArrayLike) -> np.ndarray:
    """Power ratio to decibels: ``10 log10(x)``."""
    return 10.0 * np.log10(np.asarray(x, dtype=float))


def from_db(x_db: ArrayLike) -> np.ndarray:
    """Decibels to power ratio: ``10^(x/10)``."""
    return 10.0 ** (np.asarray(x_db, dtype=float) / 10.0)


def snr_radar_equation(
    power_w: float,
    gain_db: float,
    wavelength_m: float,
    rcs_m2: ArrayLike,
    range_m: ArrayLike,
    bandwidth_hz: float,
    noise_figure_db: float,
    losses_db: float,
    temperature_k: float = 290.0,
) -> np.ndarray:
    """Single-pulse signal-to-noise ratio (linear) from the radar range equation.

    ``SNR = P_t G^2 lambda^2 sigma / ((4 pi)^3 R^4 k T0 B F L)``.

    Examples
    --------
    >>> round(float(db(snr_radar_equation(25e3, 30, 0.03191, 10, 20e3, 1e6, 4, 6))), 2)
    13.02
    """
    G = from_db(gain_db)
    num = power_w * G * G * wavelength_m**2 * np.asarray(rcs_m2, dtype=float)
    R = np.asarray(range_m, dtype=float)
    den = (4.0 * math.pi) ** 3 * R**4 * BOLTZMANN_J_PER_K * temperature_k * bandwidth_hz
    return num / (den * from_db(noise_figure_db) * from_db(losses_db))


def pd_north(snr: ArrayLike, pfa: float) -> np.ndarray:
    """Non-fluctuating target, North's approximation:
    ``Pd = erfc(sqrt(-ln Pfa) - sqrt(SNR + 1/2)) / 2``.

    >>> round(float(pd_north(20.03, 1e-6)), 3)
    0.875
    """
    x = math.sqrt(-math.log(pfa)) - np.sqrt(np.asarray(snr, dtype=float) + 0.5)
    return 0.5 * np.asarray(_erfc(x), dtype=float)


def pd_swerling1(snr: ArrayLike, pfa: float) -> np.ndarray:
    """Swerling I, single pulse: ``Pd = Pfa^(1 / (1 + SNR))`` (Mahafza eq. 2.75).

    >>> round(float(pd_swerling1(20.03, 1e-6)), 3)
    0.518
    """
    return pfa ** (1.0 / (1.0 + np.asarray(snr, dtype=float)))


def snr_north_db(pd: float, pfa: float) -> float:
    """SNR [dB] at which :func:`pd_north` reaches ``pd`` (bisection; North is monotone in SNR)."""
    if not 0.0 < pd < 1.0:
        raise ValueError(f"pd = {pd!r}: must be in (0, 1)")
    lo, hi = -30.0, 40.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if float(pd_north(from_db(mid), pfa)) < pd:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def albersheim_snr_db(pd: ArrayLike, pfa: float, n_pulses: int = 1) -> np.ndarray:
    """Albersheim's SNR [dB] needed for ``pd`` with ``n_pulses`` non-coherently integrated.

    ``SNR = -5 log10 N + (6.2 + 4.54 / sqrt(N + 0.44)) log10(A + 0.12 A B + 1.7 B)``,
    ``A = ln(0.62 / Pfa)``, ``B = ln(Pd / (1 - Pd))``.

    >>> [round(float(albersheim_snr_db(0.9, 1e-6, n)), 2) for n in (1, 10)]
    [13.11, 4.99]
    """
    p = np.asarray(pd, dtype=float)
    A = math.log(0.62 / pfa)
    B = np.log(p / (1.0 - p))
    N = float(n_pulses)
    return -5.0 * math.log10(N) + (6.2 + 4.54 / math.sqrt(N + 0.44)) * np.log10(
        A + 0.12 * A * B + 1.7 * B
    )
