"""Piecewise constant-velocity tracks in the local planar frame.

A :class:`Track` is a list of legs. Leg ``k`` starts at time ``start_h[k]`` [h] at position
``start_nm[k]`` [nm] and moves with constant velocity ``velocity_kn[k]`` [kn] until the next leg
starts; the last leg lasts for ever (end a voyage with a zero-velocity leg, as
:meth:`Track.from_waypoints` does). Position at any time is closed form (DESIGN.md §3)::

    p(t) = start_nm[k] + velocity_kn[k] * (t - start_h[k]),   start_h[k] <= t < start_h[k+1]

Before the first leg starts the track waits at its first position (a vessel not yet departed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["CONTINUITY_TOL_NM", "Leg", "Track"]

#: Largest allowed jump between the end of one leg and the start of the next [nm].
CONTINUITY_TOL_NM = 1e-6


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Leg:
    """One constant-velocity leg clipped to a time window.

    Attributes
    ----------
    t_start_h, t_end_h : float
        The window [h]; ``t_end_h`` may be ``inf`` for the open last leg.
    position_nm : numpy.ndarray, shape (2,)
        Position at ``t_start_h`` [nm].
    velocity_kn : numpy.ndarray, shape (2,)
        Constant velocity over the window [kn].
    """

    t_start_h: float
    t_end_h: float
    position_nm: np.ndarray
    velocity_kn: np.ndarray


@dataclass(frozen=True, eq=False)
class Track:
    """A piecewise constant-velocity track (immutable; arrays are read-only).

    Parameters
    ----------
    start_h : array_like, shape (n,)
        Leg start times [h], strictly increasing.
    start_nm : array_like, shape (n, 2)
        Position at each leg start [nm] (x east, y north).
    velocity_kn : array_like, shape (n, 2)
        Velocity on each leg [kn].

    Raises
    ------
    ValueError
        If shapes disagree, times are not strictly increasing or not finite, or a leg does not start
        where the previous one ends (within :data:`CONTINUITY_TOL_NM`).

    Examples
    --------
    >>> tr = Track.from_waypoints([(0.0, 0.0), (10.0, 0.0)], speed_kn=20.0)
    >>> tr.position_at([0.25, 0.5, 2.0]).tolist()
    [[5.0, 0.0], [10.0, 0.0], [10.0, 0.0]]
    """

    start_h: np.ndarray
    start_nm: np.ndarray
    velocity_kn: np.ndarray

    def __post_init__(self) -> None:
        t = _readonly(np.atleast_1d(self.start_h))
        p = _readonly(np.reshape(self.start_nm, (-1, 2)))
        v = _readonly(np.reshape(self.velocity_kn, (-1, 2)))
        if t.ndim != 1 or t.size == 0:
            raise ValueError(f"start_h must be a non-empty 1-D array, got shape {t.shape}")
        if p.shape[0] != t.size or v.shape[0] != t.size:
            raise ValueError(
                f"start_h has {t.size} legs but start_nm has {p.shape[0]} and velocity_kn "
                f"{v.shape[0]}: all three must have one row per leg"
            )
        for name, arr in (("start_h", t), ("start_nm", p), ("velocity_kn", v)):
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"{name} must be finite, got {arr.tolist()}")
        steps = np.diff(t)
        if np.any(steps <= 0.0):
            k = int(np.argmax(steps <= 0.0))
            raise ValueError(
                f"start_h must be strictly increasing: leg {k + 1} starts at {t[k + 1]} h, "
                f"not after leg {k} at {t[k]} h"
            )
        ends = p[:-1] + v[:-1] * steps[:, None]
        gap = np.hypot(*(p[1:] - ends).T) if t.size > 1 else np.zeros(0)
        if np.any(gap > CONTINUITY_TOL_NM):
            k = int(np.argmax(gap))
            raise ValueError(
                f"leg {k + 1} starts at {p[k + 1].tolist()} nm but leg {k} ends at "
                f"{ends[k].tolist()} nm ({gap[k]:.3g} nm apart; allowed {CONTINUITY_TOL_NM} nm)"
            )
        object.__setattr__(self, "start_h", t)
        object.__setattr__(self, "start_nm", p)
        object.__setattr__(self, "velocity_kn", v)

    # ----------------------------------------------------------------------------- constructors
    @classmethod
    def stationary(cls, position_nm: ArrayLike, start_h: float = 0.0) -> Track:
        """A track that stays at ``position_nm`` [nm] from ``start_h`` [h] on."""
        return cls([start_h], [position_nm], [(0.0, 0.0)])

    @classmethod
    def constant_velocity(
        cls, position_nm: ArrayLike, velocity_kn: ArrayLike, start_h: float = 0.0
    ) -> Track:
        """One open leg from ``position_nm`` [nm] at ``start_h`` [h] at ``velocity_kn`` [kn]."""
        return cls([start_h], [position_nm], [velocity_kn])

    @classmethod
    def from_waypoints(
        cls,
        waypoints_nm: ArrayLike,
        speed_kn: ArrayLike,
        start_h: float = 0.0,
        hold_at_end: bool = True,
    ) -> Track:
        """Legs along straight lines between waypoints at the given speed(s).

        Parameters
        ----------
        waypoints_nm : array_like, shape (m, 2)
            Waypoints [nm], m >= 1. Repeated consecutive waypoints are skipped.
        speed_kn : float or array_like, shape (m - 1,)
            Speed over ground on each leg [kn], > 0.
        start_h : float
            Departure time from the first waypoint [h].
        hold_at_end : bool
            If True (default) the track stops at the last waypoint (a zero-velocity final leg);
            if False it carries on past it with the last leg's velocity.

        Notes
        -----
        Leg ``k`` lasts ``|w[k+1] - w[k]| / speed[k]`` hours.
        """
        w = np.reshape(np.asarray(waypoints_nm, dtype=float), (-1, 2))
        if w.shape[0] == 0:
            raise ValueError("from_waypoints needs at least one waypoint")
        if w.shape[0] == 1:
            return cls.stationary(w[0], start_h)
        seg = np.diff(w, axis=0)
        length = np.hypot(seg[:, 0], seg[:, 1])
        speed = np.broadcast_to(np.asarray(speed_kn, dtype=float), length.shape)
        if np.any(~(speed > 0.0)) or not np.all(np.isfinite(speed)):
            raise ValueError(f"speed_kn must be finite and > 0 on every leg, got {speed.tolist()}")
        keep = length > 0.0
        if not np.any(keep):
            return cls.stationary(w[0], start_h)
        seg, length, speed, starts = seg[keep], length[keep], speed[keep], w[:-1][keep]
        duration = length / speed
        t = start_h + np.concatenate(([0.0], np.cumsum(duration)))
        vel = seg / duration[:, None]
        # a leg too short to advance the clock in floating point is dropped (its length is below
        # speed x ulp(t), far inside CONTINUITY_TOL_NM)
        adv = np.diff(t) > 0.0
        if not np.any(adv):
            return cls.stationary(w[-1], start_h)
        t_legs, starts, vel = t[:-1][adv], starts[adv], vel[adv]
        if hold_at_end:
            return cls(
                np.append(t_legs, t[-1]), np.vstack([starts, w[-1]]), np.vstack([vel, (0.0, 0.0)])
            )
        return cls(t_legs, starts, vel)

    # ----------------------------------------------------------------------------- queries
    @property
    def n_legs(self) -> int:
        """Number of legs."""
        return int(self.start_h.size)

    @property
    def end_h(self) -> np.ndarray:
        """End time of each leg [h]: the next leg's start, ``inf`` for the last leg."""
        return np.append(self.start_h[1:], np.inf)

    def leg_index(self, t_h: ArrayLike) -> np.ndarray:
        """Index of the leg in force at time(s) ``t_h`` [h] (0 before the track starts)."""
        t = np.asarray(t_h, dtype=float)
        idx = np.searchsorted(self.start_h, t, side="right") - 1
        return np.clip(idx, 0, self.n_legs - 1)

    def position_at(self, t_h: ArrayLike) -> np.ndarray:
        """Position [nm] at time(s) ``t_h`` [h]; shape ``np.shape(t_h) + (2,)``.

        ``p(t) = start_nm[k] + velocity_kn[k] * max(t - start_h[k], 0)``, ``k`` the leg in force.
        """
        t = np.asarray(t_h, dtype=float)
        k = self.leg_index(t)
        dt = np.maximum(t - self.start_h[k], 0.0)
        return self.start_nm[k] + self.velocity_kn[k] * dt[..., None]

    def velocity_at(self, t_h: ArrayLike) -> np.ndarray:
        """Velocity [kn] at time(s) ``t_h`` [h] (zero before the track starts)."""
        t = np.asarray(t_h, dtype=float)
        k = self.leg_index(t)
        v = self.velocity_kn[k]
        return np.where((t < self.start_h[0])[..., None], 0.0, v)

    def speed_kn_at(self, t_h: ArrayLike) -> np.ndarray:
        """Speed over ground [kn] at time(s) ``t_h`` [h]."""
        v = self.velocity_at(t_h)
        return np.hypot(v[..., 0], v[..., 1])

    def legs_between(self, t_start_h: float, t_end_h: float) -> Iterator[Leg]:
        """The legs overlapping ``[t_start_h, t_end_h]``, each clipped to that window.

        A waiting period before the first leg is yielded as a zero-velocity leg.
        """
        if not t_end_h >= t_start_h:
            raise ValueError(f"window end {t_end_h} h is before its start {t_start_h} h")
        if t_start_h < self.start_h[0]:
            hi = min(float(self.start_h[0]), t_end_h)
            yield Leg(t_start_h, hi, self.start_nm[0].copy(), np.zeros(2))
            if hi >= t_end_h:
                return
            t_start_h = hi
        ends = self.end_h
        first = True
        for k in range(int(self.leg_index(t_start_h)), self.n_legs):
            lo = max(float(self.start_h[k]), t_start_h)
            hi = min(float(ends[k]), t_end_h)
            if hi > lo or first:
                pos = self.start_nm[k] + self.velocity_kn[k] * (lo - self.start_h[k])
                yield Leg(lo, hi, pos, self.velocity_kn[k].copy())
            first = False
            if hi >= t_end_h:
                break

    def breakpoints_h(self) -> np.ndarray:
        """Times where the velocity may change [h] (all leg starts)."""
        return self.start_h.copy()

    # ----------------------------------------------------------------------------- changes
    def then(self, t_h: float, velocity_kn: ArrayLike) -> Track:
        """A new track equal to this one before ``t_h`` [h], then moving at ``velocity_kn`` [kn].

        Legs starting at or after ``t_h`` are dropped (a course change, a stop, a new tasking).
        """
        keep = self.start_h < t_h
        if not np.any(keep):
            return Track([t_h], [self.position_at(t_h)], [velocity_kn])
        here = self.position_at(t_h)
        return Track(
            np.append(self.start_h[keep], t_h),
            np.vstack([self.start_nm[keep], here]),
            np.vstack([self.velocity_kn[keep], np.asarray(velocity_kn, dtype=float)]),
        )

    def __repr__(self) -> str:
        return (
            f"Track(n_legs={self.n_legs}, start_h={self.start_h[0]:g}, "
            f"start_nm={self.start_nm[0].tolist()})"
        )
