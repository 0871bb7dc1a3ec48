"""Detection laws: pure probabilities and rates, the cumulative probability over a straight relative
leg, and an exact draw of the detection time. Plus the sea-state and day/night factors.

Every law works on one straight piece of relative motion: the target's position relative to the
sensor at the start of the piece ``d0`` [nm], the relative velocity ``w`` [kn] and the length of the
piece ``D`` [h] (normally the footprint interval from :mod:`mda_sim.sensing.coverage`). Range at
time ``tau`` is ``r(tau) = |d0 + w tau|``.

Detections are a (possibly inhomogeneous) Poisson process or independent glimpses, so the
probability of at least one detection by ``tau`` is ``P(tau) = 1 - exp(-H(tau))`` with the
cumulative hazard ``H(tau) = integral of gamma(r(u)) du`` (rate laws) or
``sum over scans of -ln(1 - p(r_j))`` (glimpse laws) (reference §2.1, §2.6). A detection time is
drawn exactly by inversion: draw a threshold ``E ~ Exp(1)`` and return the first ``tau`` with
``H(tau) >= E`` (NaN if ``H(D) < E``). Each draw uses exactly one standard exponential per pair (the
glimpse law one uniform more when the scan phase is not given), so common random numbers line up.

Degradation factors (sea state, night; :mod:`mda_sim.sensing.conditions`) scale the law's range
axis by ``f``: the lateral range curve becomes ``p(x / f)`` and the sweep width ``f W`` -- the
convention of the US National SAR Supplement sweep-width corrections (reference §2.3). For a
rate law ``gamma_f(r) = gamma(r / f) / f``.
"""

from __future__ import annotations

import difflib
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from mda_sim.sensing.coverage import time_in_range
from mda_sim.theory.search import sweep_width_numeric
from mda_sim.units import S_PER_H

__all__ = [
    "DETECTION_LAWS",
    "ConstantRate",
    "DefiniteRange",
    "DetectionLaw",
    "Glimpse",
    "InverseCube",
    "make_law",
]


def _geometry(rel_position_nm, rel_velocity_kn, duration_h):
    d0 = np.asarray(rel_position_nm, dtype=float)
    w = np.asarray(rel_velocity_kn, dtype=float)
    if d0.shape[-1:] != (2,) or w.shape[-1:] != (2,):
        raise ValueError(
            f"positions and velocities need a last axis of length 2, got {d0.shape} and {w.shape}"
        )
    D = np.asarray(duration_h, dtype=float)
    if np.any(D < 0.0):
        raise ValueError(f"duration_h must be >= 0, got {D.tolist()}")
    shape = np.broadcast_shapes(d0.shape[:-1], w.shape[:-1], D.shape)
    return (
        np.broadcast_to(d0, shape + (2,)),
        np.broadcast_to(w, shape + (2,)),
        np.broadcast_to(D, shape),
    )


def _check_factor(factor: float) -> float:
    if not (np.isfinite(factor) and factor > 0.0):
        raise ValueError(
            f"degradation factor {factor!r}: must be finite and > 0 (treat 0 as 'sensor off')"
        )
    return float(factor)


class DetectionLaw(ABC):
    """A detection law. Subclasses are small frozen dataclasses registered in DETECTION_LAWS."""

    model: ClassVar[str]

    # -- pure parts ----------------------------------------------------------------------------
    @abstractmethod
    def cumulative_hazard(
        self, rel_position_nm, rel_velocity_kn, duration_h, *, scan_phase_h=None
    ) -> np.ndarray:
        """``H(D)``: integrated hazard over the straight relative leg ``[0, D]`` [-]."""

    def cumulative_probability(
        self, rel_position_nm, rel_velocity_kn, duration_h, *, scan_phase_h=None
    ) -> np.ndarray:
        """Probability of at least one detection on the relative leg: ``1 - exp(-H(D))``."""
        H = self.cumulative_hazard(
            rel_position_nm, rel_velocity_kn, duration_h, scan_phase_h=scan_phase_h
        )
        return -np.expm1(-H)

    @abstractmethod
    def step_hazard(self, range_nm, t_start_h, t_end_h, scan_phase_h=0.0) -> np.ndarray:
        """Hazard accrued over one step ``[t_start, t_end)`` at range ``r`` (brute-force reference
        only; adjacent steps must share their boundary values exactly)."""

    @abstractmethod
    def scaled(self, factor: float) -> DetectionLaw:
        """The same law with its range axis scaled by ``factor`` (sweep width x ``factor``)."""

    def reach_nm(self) -> float:
        """A range beyond which detection is negligible (for numerical lateral ranges) [nm]."""
        return math.inf

    # -- the draw ------------------------------------------------------------------------------
    def draw_detection_time(
        self,
        rel_position_nm,
        rel_velocity_kn,
        duration_h,
        rng: np.random.Generator,
        *,
        scan_phase_h=None,
    ) -> np.ndarray:
        """Draw the detection time ``tau`` in ``[0, D]`` [h] since the leg start; NaN if none.

        Exact by inversion: ``E ~ Exp(1)``, ``tau = min{t : H(t) >= E}``.
        """
        d0, w, D = _geometry(rel_position_nm, rel_velocity_kn, duration_h)
        E = rng.standard_exponential(size=D.shape)
        return self._invert(d0, w, D, E, rng=rng, scan_phase_h=scan_phase_h)

    @abstractmethod
    def _invert(self, d0, w, D, E, *, rng, scan_phase_h) -> np.ndarray: ...

    # -- search-theory summaries ---------------------------------------------------------------
    def lateral_range(self, lateral_nm: ArrayLike, speed_kn: float) -> np.ndarray:
        """Lateral range curve ``p(x)``: probability of detection on an infinite straight pass at
        closest approach ``x`` [nm] with relative speed ``speed_kn`` [kn] (reference §2.2)."""
        x = np.asarray(lateral_nm, dtype=float)
        reach = self.reach_nm()
        y0 = -reach
        d0 = np.stack([x, np.full_like(x, y0)], axis=-1)
        w = np.broadcast_to(np.array([0.0, float(speed_kn)]), d0.shape)
        return self.cumulative_probability(d0, w, 2.0 * reach / speed_kn)

    def sweep_width(self, speed_kn: float, n: int = 401) -> float:
        """Sweep width ``W = integral of p(x) dx`` [nm] (Simpson's rule on ``[-reach, reach]``)."""
        reach = self.reach_nm()
        x = np.linspace(0.0, reach, n if n % 2 else n + 1)
        p = self.lateral_range(x, speed_kn)
        h = x[1] - x[0]
        simpson = h / 3.0 * (p[0] + p[-1] + 4.0 * p[1:-1:2].sum() + 2.0 * p[2:-1:2].sum())
        return float(2.0 * simpson)


# ==================================================================================================
@dataclass(frozen=True)
class DefiniteRange(DetectionLaw):
    """Cookie cutter: detection certain the moment the target is within ``range_nm``.

    ``p(r) = 1 if r <= R else 0``; lateral range ``p(x) = 1{|x| <= R}``; ``W = 2R`` (ref. §2.2).
    """

    range_nm: float
    model: ClassVar[str] = "definite_range"

    def __post_init__(self) -> None:
        if not (np.isfinite(self.range_nm) and self.range_nm >= 0.0):
            raise ValueError(
                f"definite_range.range_nm = {self.range_nm!r}: must be >= 0 and finite"
            )

    def p_detect(self, range_nm: ArrayLike) -> np.ndarray:
        """Probability of detection at range ``r`` [nm]: 1 inside the range, 0 outside."""
        return (np.asarray(range_nm, dtype=float) <= self.range_nm).astype(float)

    def cumulative_hazard(self, rel_position_nm, rel_velocity_kn, duration_h, *, scan_phase_h=None):
        d0, w, D = _geometry(rel_position_nm, rel_velocity_kn, duration_h)
        enter, _ = time_in_range(d0, w, self.range_nm, D)
        return np.where(np.isnan(enter), 0.0, np.inf)

    def _invert(self, d0, w, D, E, *, rng, scan_phase_h):
        enter, _ = time_in_range(d0, w, self.range_nm, D)
        return enter

    def step_hazard(self, range_nm, t_start_h, t_end_h, scan_phase_h=0.0):
        return np.where(np.asarray(range_nm) <= self.range_nm, np.inf, 0.0)

    def scaled(self, factor: float) -> DefiniteRange:
        return replace(self, range_nm=self.range_nm * _check_factor(factor))

    def reach_nm(self) -> float:
        return self.range_nm

    def lateral_range(self, lateral_nm, speed_kn):
        return (np.abs(np.asarray(lateral_nm, dtype=float)) <= self.range_nm).astype(float)

    def sweep_width(self, speed_kn: float, n: int = 401) -> float:
        return 2.0 * self.range_nm


# ==================================================================================================
@dataclass(frozen=True)
class ConstantRate(DetectionLaw):
    """Exponential law: constant rate ``gamma`` [1/h] inside ``range_nm``, zero outside.

    ``P = 1 - exp(-gamma T_in)`` for time ``T_in`` inside (reference §2.1); lateral range
    ``p(x) = 1 - exp(-2 gamma sqrt(R^2 - x^2) / V)`` for ``|x| <= R``.
    """

    rate_per_h: float
    range_nm: float
    model: ClassVar[str] = "constant_rate"

    def __post_init__(self) -> None:
        for name in ("rate_per_h", "range_nm"):
            v = getattr(self, name)
            if not (np.isfinite(v) and v >= 0.0):
                raise ValueError(f"constant_rate.{name} = {v!r}: must be finite and >= 0")

    def rate(self, range_nm: ArrayLike) -> np.ndarray:
        """Detection rate ``gamma(r)`` [1/h]."""
        return np.where(np.asarray(range_nm, dtype=float) <= self.range_nm, self.rate_per_h, 0.0)

    def p_detect(self, range_nm: ArrayLike, dwell_h: ArrayLike = 1.0) -> np.ndarray:
        """Probability of detection over a dwell of ``dwell_h`` [h] at fixed range."""
        return -np.expm1(-self.rate(range_nm) * np.asarray(dwell_h, dtype=float))

    def cumulative_hazard(self, rel_position_nm, rel_velocity_kn, duration_h, *, scan_phase_h=None):
        d0, w, D = _geometry(rel_position_nm, rel_velocity_kn, duration_h)
        enter, leave = time_in_range(d0, w, self.range_nm, D)
        inside = np.where(np.isnan(enter), 0.0, leave - enter)
        if self.rate_per_h == 0.0:
            return np.zeros(D.shape)
        return self.rate_per_h * inside

    def _invert(self, d0, w, D, E, *, rng, scan_phase_h):
        enter, leave = time_in_range(d0, w, self.range_nm, D)
        with np.errstate(divide="ignore"):
            tau = enter + E / self.rate_per_h
        return np.where(tau <= leave, tau, np.nan)

    def step_hazard(self, range_nm, t_start_h, t_end_h, scan_phase_h=0.0):
        return self.rate(range_nm) * (np.asarray(t_end_h) - np.asarray(t_start_h))

    def scaled(self, factor: float) -> ConstantRate:
        f = _check_factor(factor)
        return replace(self, range_nm=self.range_nm * f, rate_per_h=self.rate_per_h / f)

    def reach_nm(self) -> float:
        return self.range_nm

    def lateral_range(self, lateral_nm, speed_kn):
        x = np.asarray(lateral_nm, dtype=float)
        chord = 2.0 * np.sqrt(np.maximum(self.range_nm**2 - x * x, 0.0))
        p = -np.expm1(-self.rate_per_h * chord / speed_kn)
        return np.where(np.abs(x) <= self.range_nm, p, 0.0)

    def sweep_width(self, speed_kn: float, n: int = 2001) -> float:
        return DetectionLaw.sweep_width(self, speed_kn, n)


# ==================================================================================================
@dataclass(frozen=True)
class InverseCube(DetectionLaw):
    """Koopman's inverse-cube law: ``gamma(r) = c / (h^2 + r^2)^(3/2)`` [1/h].

    Parameters
    ----------
    coefficient_nm3_per_h : float
        ``c = k A h`` in Koopman's notation [nm^3/h].
    height_nm : float
        Sensor height above the target plane [nm] (0 for the flat limit ``gamma = c / r^3``).

    Notes
    -----
    On a straight pass at lateral range ``x``, speed ``V``, with ``a^2 = h^2 + x^2`` and along-track
    coordinate ``y``, ``H = (c / V) [F(y1) - F(y0)]``, ``F(y) = y / (a^2 sqrt(a^2 + y^2))``; an
    infinite pass gives the lateral range ``p(x) = 1 - exp(-2c / (V (h^2 + x^2)))`` and, for
    ``h -> 0``, ``K = 2c/V`` and ``W = 2 sqrt(pi K)`` (reference §2.2; Washburn, *Search and
    Detection*, ch. 2). The draw inverts ``F`` exactly: ``y* = a g / sqrt(1 - g^2)``, ``g = a^2 f``.
    """

    coefficient_nm3_per_h: float
    height_nm: float = 0.0
    model: ClassVar[str] = "inverse_cube"

    def __post_init__(self) -> None:
        if not (np.isfinite(self.coefficient_nm3_per_h) and self.coefficient_nm3_per_h >= 0.0):
            raise ValueError(
                f"inverse_cube.coefficient_nm3_per_h = {self.coefficient_nm3_per_h!r}: must be >= 0"
            )
        if not (np.isfinite(self.height_nm) and self.height_nm >= 0.0):
            raise ValueError(f"inverse_cube.height_nm = {self.height_nm!r}: must be >= 0")

    @classmethod
    def from_sweep_width(
        cls, sweep_width_nm: float, speed_kn: float, height_nm: float = 0.0
    ) -> InverseCube:
        """The law with sweep width ``W`` at relative speed ``V`` in the flat limit:
        ``K = W^2 / (4 pi)``, ``c = K V / 2`` (exact for ``h = 0``)."""
        K = sweep_width_nm**2 / (4.0 * math.pi)
        return cls(K * speed_kn / 2.0, height_nm)

    def rate(self, range_nm: ArrayLike) -> np.ndarray:
        """Detection rate ``gamma(r)`` [1/h]."""
        r = np.asarray(range_nm, dtype=float)
        with np.errstate(divide="ignore"):
            return self.coefficient_nm3_per_h / (self.height_nm**2 + r * r) ** 1.5

    def p_detect(self, range_nm: ArrayLike, dwell_h: ArrayLike = 1.0) -> np.ndarray:
        """Probability of detection over a dwell of ``dwell_h`` [h] at fixed range."""
        return -np.expm1(-self.rate(range_nm) * np.asarray(dwell_h, dtype=float))

    def _frame(self, d0, w):
        V = np.hypot(w[..., 0], w[..., 1])
        with np.errstate(invalid="ignore", divide="ignore"):
            ux, uy = w[..., 0] / V, w[..., 1] / V
        y0 = d0[..., 0] * ux + d0[..., 1] * uy
        x = d0[..., 0] * uy - d0[..., 1] * ux
        a2 = self.height_nm**2 + x * x
        return V, y0, a2

    @staticmethod
    def _F(y, a2):
        with np.errstate(divide="ignore", invalid="ignore"):
            finite = y / (a2 * np.sqrt(a2 + y * y))
            return np.where(np.isinf(y), np.sign(y) / a2, finite)

    def cumulative_hazard(self, rel_position_nm, rel_velocity_kn, duration_h, *, scan_phase_h=None):
        d0, w, D = _geometry(rel_position_nm, rel_velocity_kn, duration_h)
        V, y0, a2 = self._frame(d0, w)
        c = self.coefficient_nm3_per_h
        with np.errstate(invalid="ignore", divide="ignore"):
            y1 = y0 + V * D
            moving = c / V * (self._F(y1, a2) - self._F(y0, a2))
            through = (a2 == 0.0) & (y0 <= 0.0) & (y1 >= 0.0)
            moving = np.where(through, np.inf, moving)
            still = np.where(D > 0.0, self.rate(np.hypot(d0[..., 0], d0[..., 1])) * D, 0.0)
        return np.where(V > 0.0, moving, still)

    def _invert(self, d0, w, D, E, *, rng, scan_phase_h):
        V, y0, a2 = self._frame(d0, w)
        c = self.coefficient_nm3_per_h
        H = self.cumulative_hazard(d0, w, D)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            f = self._F(y0, a2) + E * V / c
            g = np.clip(a2 * f, -1.0, 1.0)
            y_star = np.sqrt(a2) * g / np.sqrt(1.0 - g * g)
            # flat law straight through the sensor: H = (c / 2V)(1/y0^2 - 1/y^2) before the crossing
            y_flat = -1.0 / np.sqrt(1.0 / (y0 * y0) + 2.0 * E * V / c)
            y_star = np.where(a2 == 0.0, np.where(y0 < 0.0, y_flat, y0), y_star)
            tau_moving = (y_star - y0) / V
            tau_still = E / self.rate(np.hypot(d0[..., 0], d0[..., 1]))
        tau = np.where(V > 0.0, tau_moving, tau_still)
        tau = np.clip(tau, 0.0, D)
        return np.where(H >= E, tau, np.nan)

    def step_hazard(self, range_nm, t_start_h, t_end_h, scan_phase_h=0.0):
        return self.rate(range_nm) * (np.asarray(t_end_h) - np.asarray(t_start_h))

    def scaled(self, factor: float) -> InverseCube:
        f = _check_factor(factor)
        return replace(
            self,
            coefficient_nm3_per_h=self.coefficient_nm3_per_h * f * f,
            height_nm=self.height_nm * f,
        )

    def lateral_range(self, lateral_nm, speed_kn):
        x = np.asarray(lateral_nm, dtype=float)
        with np.errstate(divide="ignore"):
            return -np.expm1(
                -2.0 * self.coefficient_nm3_per_h / (speed_kn * (self.height_nm**2 + x * x))
            )

    def reach_nm(self) -> float:
        # p(x) ~ K / x^2 beyond reach; 1e-6 of the flat-limit K
        return math.sqrt(2.0 * max(self.coefficient_nm3_per_h, 1e-300) * 1e6) + 10 * self.height_nm

    def sweep_width(self, speed_kn: float, n: int = 401) -> float:
        """``W = 2 sqrt(pi K)``, ``K = 2c / V``, exact for ``h = 0``; numerical for ``h > 0``."""
        K = 2.0 * self.coefficient_nm3_per_h / speed_kn
        if self.height_nm == 0.0:
            return 2.0 * math.sqrt(math.pi * K)
        # Simpson on [0, X] plus the tail K / (h^2 + x^2) beyond X (p ~ K / x^2 there)
        x_max = 100.0 * math.sqrt(K) + 10.0 * self.height_nm
        return sweep_width_numeric(lambda x: self.lateral_range(x, speed_kn), x_max, 20001)


# ==================================================================================================
@dataclass(frozen=True)
class Glimpse(DetectionLaw):
    """Scanning sensor: independent glimpses every ``scan_period_s`` with
    ``p(r) = p_max / (1 + (r / r50_nm)^steepness)``.

    ``P = 1 - prod_j (1 - p(r_j))`` over the scans in the interval (reference §2.6); the
    equivalent rate is ``gamma(r) = -ln(1 - p(r)) / T_scan``. ``scan_phase_h`` is the time of the
    first scan after the leg start, in ``[0, T_scan)`` [h]; when not given,
    :meth:`cumulative_probability` averages over a uniform phase (``n_phase`` midpoints) and
    :meth:`draw_detection_time` draws it uniformly.

    ``hazard_multiplier`` ``m`` (default 1) turns the per-scan probability into
    ``1 - (1 - p(r))^m``; only :meth:`scaled` sets it (see there).
    """

    scan_period_s: float
    p_max: float
    r50_nm: float
    steepness: float = 4.0
    n_phase: int = 32
    hazard_multiplier: float = 1.0
    model: ClassVar[str] = "glimpse"
    #: refuse legs with more scans than this (use a coarser law or split the leg)
    MAX_SCANS: ClassVar[int] = 2_000_000

    def __post_init__(self) -> None:
        for name, lo in (("scan_period_s", 0.0), ("r50_nm", 0.0), ("steepness", 0.0)):
            v = getattr(self, name)
            if not (np.isfinite(v) and v > lo):
                raise ValueError(f"glimpse.{name} = {v!r}: must be finite and > {lo}")
        if not 0.0 <= self.p_max <= 1.0:
            raise ValueError(f"glimpse.p_max = {self.p_max!r}: must be a probability in [0, 1]")
        if not (np.isfinite(self.hazard_multiplier) and self.hazard_multiplier > 0.0):
            raise ValueError(f"glimpse.hazard_multiplier = {self.hazard_multiplier!r}: must be > 0")

    @property
    def scan_period_h(self) -> float:
        """Scan period [h]."""
        return self.scan_period_s / S_PER_H

    def p_detect(self, range_nm: ArrayLike) -> np.ndarray:
        """Single-scan probability of detection ``p(r)`` at range ``r`` [nm]."""
        return -np.expm1(-self.glimpse_hazard(range_nm))

    def glimpse_hazard(self, range_nm: ArrayLike) -> np.ndarray:
        """One scan's hazard ``-m ln(1 - p0(r))``, ``p0(r) = p_max / (1 + (r / r50)^steepness)``."""
        r = np.asarray(range_nm, dtype=float)
        p0 = self.p_max / (1.0 + (r / self.r50_nm) ** self.steepness)
        with np.errstate(divide="ignore"):
            return -self.hazard_multiplier * np.log1p(-p0)

    def rate(self, range_nm: ArrayLike) -> np.ndarray:
        """Equivalent continuous rate ``gamma(r) = -ln(1 - p(r)) / T_scan`` [1/h] (ref. §2.6)."""
        return self.glimpse_hazard(range_nm) / self.scan_period_h

    def _scans(self, d0, w, D, phase):
        T = self.scan_period_h
        if not np.isfinite(D):
            if np.any(w != 0.0):
                raise ValueError("a glimpse law needs a finite leg when the target moves")
            # relative rest for ever: enough scans for a hazard of 50 (P misses < 2e-22)
            g = float(self.glimpse_hazard(np.hypot(*d0)))
            D = 0.0 if g == 0.0 else phase + T * math.ceil(50.0 / g)
        # scans at phase + j T <= D (a relative 1e-9 of a period absorbs rounding of D / T)
        n = math.floor((D - phase) / T + 1e-9) + 1 if phase <= D else 0
        if n > self.MAX_SCANS:
            raise ValueError(f"{n} scans on one leg (> {self.MAX_SCANS}); split the leg")
        t = phase + T * np.arange(max(n, 0))
        r = np.hypot(d0[0] + w[0] * t, d0[1] + w[1] * t)
        return t, self.glimpse_hazard(r)

    def _phases(self, shape, scan_phase_h):
        return np.broadcast_to(np.asarray(scan_phase_h, dtype=float), shape)

    def cumulative_hazard(self, rel_position_nm, rel_velocity_kn, duration_h, *, scan_phase_h=None):
        """Hazard summed over the scans in ``[0, D]`` for a given phase (required here)."""
        if scan_phase_h is None:
            raise ValueError("glimpse hazard depends on the scan phase: pass scan_phase_h")
        d0, w, D = _geometry(rel_position_nm, rel_velocity_kn, duration_h)
        ph = self._phases(D.shape, scan_phase_h)
        out = np.empty(D.shape)
        for i in np.ndindex(D.shape):
            out[i] = self._scans(d0[i], w[i], float(D[i]), float(ph[i]))[1].sum()
        return out

    def cumulative_probability(
        self, rel_position_nm, rel_velocity_kn, duration_h, *, scan_phase_h=None
    ):
        if scan_phase_h is not None:
            return super().cumulative_probability(
                rel_position_nm, rel_velocity_kn, duration_h, scan_phase_h=scan_phase_h
            )
        d0, w, D = _geometry(rel_position_nm, rel_velocity_kn, duration_h)
        phases = (np.arange(self.n_phase) + 0.5) / self.n_phase * self.scan_period_h
        total = np.zeros(D.shape)
        for ph in phases:
            total += -np.expm1(-self.cumulative_hazard(d0, w, D, scan_phase_h=ph))
        return total / self.n_phase

    def _invert(self, d0, w, D, E, *, rng, scan_phase_h):
        if scan_phase_h is None:
            ph = rng.random(size=D.shape) * self.scan_period_h
        else:
            ph = self._phases(D.shape, scan_phase_h)
        # All pairs' scans in one flat array: scan j of pair i at ph_i + j T. The running hazard is
        # one cumulative sum; pair i detects at the first of its scans where the sum, less what
        # the earlier pairs contributed, reaches its threshold E_i (a global searchsorted).
        shape = D.shape
        d0, w = d0.reshape(-1, 2), w.reshape(-1, 2)
        D, E, ph = D.ravel().astype(float), E.ravel(), np.asarray(ph, dtype=float).ravel()
        T = self.scan_period_h
        D = D.copy()
        for i in np.flatnonzero(~np.isfinite(D)).tolist():  # relative rest for ever (see _scans)
            if np.any(w[i] != 0.0):
                raise ValueError("a glimpse law needs a finite leg when the target moves")
            g = float(self.glimpse_hazard(np.hypot(*d0[i])))
            D[i] = 0.0 if g == 0.0 else ph[i] + T * math.ceil(50.0 / g)
        n = np.where(ph <= D, np.floor((D - ph) / T + 1e-9) + 1, 0).astype(np.int64)
        if n.size and n.max() > self.MAX_SCANS:
            raise ValueError(f"{int(n.max())} scans on one leg (> {self.MAX_SCANS}); split the leg")
        out = np.full(D.shape, np.nan)
        # Scans are enumerated in growing chunks (32, 128, 512 ...): a pair that detects early (most
        # do, once inside a radar's range) stops there instead of listing every scan of its pass.
        acc = np.zeros(D.shape)  # hazard of the scans already enumerated
        j0 = np.zeros(D.shape, dtype=np.int64)
        rem = np.flatnonzero(n > 0)
        chunk = 32
        while rem.size:
            m = np.minimum(n[rem] - j0[rem], chunk)
            start = np.cumsum(m) - m
            local = np.repeat(np.arange(rem.size), m)
            pair = rem[local]
            j = j0[pair] + np.arange(int(m.sum())) - start[local]
            t = ph[pair] + T * j
            r = np.hypot(d0[pair, 0] + w[pair, 0] * t, d0[pair, 1] + w[pair, 1] * t)
            # A certain scan (p = 1, infinite hazard) is capped at 700 (miss e^-700 = 0) so that the
            # running sum stays finite and the later pairs' thresholds stay meaningful.
            cum = np.cumsum(np.minimum(self.glimpse_hazard(r), 700.0))
            before = np.where(start > 0, cum[np.maximum(start - 1, 0)], 0.0)
            k = np.searchsorted(cum, E[rem] - acc[rem] + before, side="left")
            hit = k < start + m
            out[rem[hit]] = t[k[hit]]
            acc[rem] += cum[start + m - 1] - before
            j0[rem] += m
            rem = rem[~hit & (j0[rem] < n[rem])]
            chunk *= 4
        return out.reshape(shape)

    def step_hazard(self, range_nm, t_start_h, t_end_h, scan_phase_h=0.0):
        """Hazard of the scans falling in ``[t_start, t_end)``, all at range ``r`` (first order)."""
        T = self.scan_period_h

        def n_before(s):  # scans phase + j T (j >= 0) earlier than s
            return np.maximum(np.ceil((np.asarray(s, dtype=float) - scan_phase_h) / T), 0.0)

        return (n_before(t_end_h) - n_before(t_start_h)) * self.glimpse_hazard(range_nm)

    def scaled(self, factor: float) -> Glimpse:
        """Scale ``r50`` by ``f`` and the per-scan hazard by ``1/f``, keeping the scan period.

        This is the rate-law rule ``gamma_f(r) = gamma(r / f) / f`` applied to the equivalent rate,
        so the lateral range curve becomes ``p(x / f)`` and the sweep width ``f W``, exactly in the
        continuous limit ``V T << r50`` and approximately with coarse scans (the scan spacing
        ``V T`` is not scaled)."""
        f = _check_factor(factor)
        return replace(self, r50_nm=self.r50_nm * f, hazard_multiplier=self.hazard_multiplier / f)

    def reach_nm(self) -> float:
        # p0(reach) = 1e-6 p_max
        return self.r50_nm * (1e6) ** (1.0 / self.steepness)


#: Registry of detection laws by the ``model`` name used in sensor specs.
DETECTION_LAWS: dict[str, type[DetectionLaw]] = {
    cls.model: cls for cls in (DefiniteRange, ConstantRate, InverseCube, Glimpse)
}


def make_law(model: str, **params) -> DetectionLaw:
    """Build a detection law from its registry name and parameters.

    >>> make_law("definite_range", range_nm=8.0).sweep_width(20.0)
    16.0
    """
    try:
        cls = DETECTION_LAWS[model]
    except KeyError:
        hint = difflib.get_close_matches(model, DETECTION_LAWS, n=1)
        did = f"; did you mean '{hint[0]}'?" if hint else ""
        raise ValueError(
            f"detection law '{model}' unknown{did} (known: {', '.join(sorted(DETECTION_LAWS))})"
        ) from None
    return cls(**params)
