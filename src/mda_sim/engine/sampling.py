"""Drawing from the scenario's distributions (a registry keyed by spec class, no if/elif chains)."""

from __future__ import annotations

import math

import numpy as np

from mda_sim.scenario.specs.base import Exponential, Fixed, LogNormal, Normal, Triangular, Uniform

__all__ = ["draw", "mean_of"]

#: Rejection attempts for a truncated normal before falling back to clipping (only reached when the
#: window holds < ~1e-3 of the mass, which validation of sensible scenarios never produces).
_MAX_REJECTIONS = 64


def _normal(d: Normal, rng: np.random.Generator) -> float:
    lo = -math.inf if d.min is None else d.min
    hi = math.inf if d.max is None else d.max
    for _ in range(_MAX_REJECTIONS):
        x = rng.normal(d.mean, d.sd)
        if lo <= x <= hi:
            return float(x)
    return float(min(max(d.mean, lo), hi))


_DRAW = {
    Fixed: lambda d, rng: float(d.value),
    Uniform: lambda d, rng: float(rng.uniform(d.low, d.high)),
    Normal: _normal,
    LogNormal: lambda d, rng: float(d.median * math.exp(d.sigma * rng.standard_normal())),
    Exponential: lambda d, rng: float(rng.exponential(d.mean)),
    Triangular: lambda d, rng: float(d.low if d.low == d.high else rng.triangular(d.low, d.mode, d.high)),
}

_MEAN = {
    Fixed: lambda d: d.value,
    Uniform: lambda d: 0.5 * (d.low + d.high),
    Normal: lambda d: d.mean,  # of the untruncated normal
    LogNormal: lambda d: d.median * math.exp(0.5 * d.sigma**2),
    Exponential: lambda d: d.mean,
    Triangular: lambda d: (d.low + d.mode + d.high) / 3.0,
}


def draw(dist, rng: np.random.Generator) -> float:
    """One value from a scenario distribution spec, in the unit of the key that holds it."""
    return _DRAW[type(dist)](dist, rng)


def mean_of(dist) -> float:
    """The distribution's mean (the untruncated mean for a truncated normal)."""
    return float(_MEAN[type(dist)](dist))
