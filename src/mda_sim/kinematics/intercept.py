"""Intercept and pursuit geometry against a constant-velocity target (closed form, vectorised).

Frame: nautical miles (x east, y north), hours, knots. The reference for every formula here is
``reference/theory-and-calibration.md`` §2.7 (the standard lead-pursuit solution by the law of
cosines) unless a docstring says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "InterceptSolution",
    "course_deg",
    "head_on_closing_time_h",
    "intercept_possible",
    "intercept_time_h",
    "pure_pursuit_capture_time_h",
    "solve_intercept",
    "tail_chase_time_h",
    "time_to_close_within_h",
]


def _vec(a: ArrayLike) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    if a.shape[-1:] != (2,):
        raise ValueError(
            f"expected planar vectors with a last axis of length 2, got shape {a.shape}"
        )
    return a


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[..., 0] * b[..., 0] + a[..., 1] * b[..., 1]


def _earliest_nonneg_root(a: np.ndarray, hb: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Smallest root ``t >= 0`` of ``a t^2 + 2 hb t + c = 0`` with ``c >= 0``; NaN if none.

    Uses the cancellation-free form ``q = -(hb + sign(hb) sqrt(hb^2 - a c))`` with roots ``q/a``
    and ``c/q``. When ``a = 0`` the first is infinite and the second is the linear root
    ``-c / (2 hb)``, so equal speeds need no special case.
    """
    a, hb, c = np.broadcast_arrays(a, hb, c)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        disc = hb * hb - a * c
        sq = np.sqrt(np.maximum(disc, 0.0))
        q = -(hb + np.where(hb >= 0.0, sq, -sq))
        r1 = q / a
        r2 = c / q
        r1 = np.where(r1 >= 0.0, r1, np.inf)
        r2 = np.where(r2 >= 0.0, r2, np.inf)
        t = np.minimum(r1, r2)
    t = np.where((disc >= 0.0) & np.isfinite(t), t, np.nan)
    return np.where(c == 0.0, 0.0, t)


def intercept_time_h(
    rel_position_nm: ArrayLike,
    target_velocity_kn: ArrayLike,
    pursuer_speed_kn: ArrayLike,
    launch_delay_h: ArrayLike = 0.0,
) -> np.ndarray:
    """Earliest time for a pursuer of given speed to meet a constant-velocity target.

    Parameters
    ----------
    rel_position_nm : array_like, shape (..., 2)
        Target position minus pursuer position at time 0 [nm].
    target_velocity_kn : array_like, shape (..., 2)
        Target velocity [kn].
    pursuer_speed_kn : array_like
        Pursuer's maximum speed [kn], >= 0.
    launch_delay_h : array_like
        Time the pursuer stays put before it moves [h], >= 0.

    Returns
    -------
    numpy.ndarray
        Total time from 0 to the meeting [h] (``launch_delay_h + tau``), NaN where no intercept.

    Notes
    -----
    With the delay folded into the start, ``r0' = r0 + v_T t0``, the meeting time ``tau`` solves

    ``(|v_T|^2 - s^2) tau^2 + 2 (r0'·v_T) tau + |r0'|^2 = 0``;

    the smallest non-negative root is taken (reference §2.7). If ``s > |v_T|`` there is always
    exactly one; if ``s < |v_T|`` only for a closing target with ``sin(theta) <= s/|v_T|``; if
    ``s = |v_T|`` then ``tau = -|r0'|^2 / (2 r0'·v_T)`` when ``r0'·v_T < 0``.

    Examples
    --------
    >>> round(float(intercept_time_h([0.0, 20.0], [30.0, 0.0], 40.0)), 4)
    0.7559
    """
    r0 = _vec(rel_position_nm)
    v = _vec(target_velocity_kn)
    s = np.asarray(pursuer_speed_kn, dtype=float)
    t0 = np.asarray(launch_delay_h, dtype=float)
    if np.any(s < 0.0) or np.any(t0 < 0.0):
        raise ValueError(
            f"pursuer_speed_kn and launch_delay_h must be >= 0, got {s.tolist()} and {t0.tolist()}"
        )
    r = r0 + v * t0[..., None]
    tau = _earliest_nonneg_root(_dot(v, v) - s * s, _dot(r, v), _dot(r, r))
    return t0 + tau


@dataclass(frozen=True)
class InterceptSolution:
    """A lead-pursuit intercept.

    Attributes
    ----------
    time_h : float
        Time from the order to the meeting, launch delay included [h].
    point_nm : numpy.ndarray, shape (2,)
        Meeting point [nm] (the aim point ``r0' + v_T tau`` in the absolute frame).
    pursuer_velocity_kn : numpy.ndarray, shape (2,)
        Velocity the pursuer steers after launch [kn] (its full speed toward the aim point).
    course_deg : float
        The pursuer's course [deg true, clockwise from north].
    launch_delay_h : float
        Delay before the pursuer moves [h].
    """

    time_h: float
    point_nm: np.ndarray
    pursuer_velocity_kn: np.ndarray
    course_deg: float
    launch_delay_h: float


def solve_intercept(
    pursuer_nm: ArrayLike,
    target_nm: ArrayLike,
    target_velocity_kn: ArrayLike,
    pursuer_speed_kn: float,
    launch_delay_h: float = 0.0,
) -> InterceptSolution | None:
    """The intercept of one target by one pursuer, or None if it cannot be caught.

    Parameters
    ----------
    pursuer_nm, target_nm : array_like, shape (2,)
        Positions at time 0 [nm].
    target_velocity_kn : array_like, shape (2,)
        Target velocity [kn].
    pursuer_speed_kn : float
        Pursuer's maximum speed [kn].
    launch_delay_h : float
        Time before the pursuer moves [h].

    Examples
    --------
    >>> sol = solve_intercept([0, 0], [0, 20], [30, 0], 40.0)
    >>> round(sol.time_h, 4), sol.point_nm.round(2).tolist()
    (0.7559, [22.68, 20.0])
    """
    p = _vec(pursuer_nm)
    x = _vec(target_nm)
    v = _vec(target_velocity_kn)
    t = float(intercept_time_h(x - p, v, pursuer_speed_kn, launch_delay_h))
    if not np.isfinite(t):
        return None
    point = x + v * t
    tau = t - launch_delay_h
    heading = point - p
    dist = float(np.hypot(*heading))
    # full speed toward the aim point (|heading| = s tau up to rounding)
    vel = heading * (pursuer_speed_kn / dist) if dist > 0.0 and tau > 0.0 else np.zeros(2)
    return InterceptSolution(
        time_h=t,
        point_nm=point,
        pursuer_velocity_kn=vel,
        course_deg=float(course_deg(vel)),
        launch_delay_h=float(launch_delay_h),
    )


def intercept_possible(
    rel_position_nm: ArrayLike, target_velocity_kn: ArrayLike, pursuer_speed_kn: ArrayLike
) -> np.ndarray:
    """Whether an intercept exists, by the angle test of reference §2.7.

    Returns True if ``s > |v_T|``; if ``s <= |v_T|``, True only when the target is closing
    (``r0·v_T < 0``) and ``sin(theta) <= s / |v_T|``, where ``theta`` is the angle between
    ``v_T`` and the line from target to pursuer (equivalent to a non-negative discriminant).
    A target already at the pursuer counts as caught.
    """
    r0 = _vec(rel_position_nm)
    v = _vec(target_velocity_kn)
    s = np.asarray(pursuer_speed_kn, dtype=float)
    vt2 = _dot(v, v)
    d2 = _dot(r0, r0)
    # sin^2(theta) <= s^2/|v|^2  <=>  cross^2 <= s^2 |r0|^2 (no division, robust at the limits)
    cross = r0[..., 0] * v[..., 1] - r0[..., 1] * v[..., 0]
    closing = _dot(r0, v) < 0.0
    slower = closing & (cross * cross <= s * s * d2 * (1.0 + 1e-12))
    return np.where(d2 == 0.0, True, np.where(s * s > vt2, True, slower))


def course_deg(velocity_kn: ArrayLike) -> np.ndarray:
    """Course of a velocity [deg true, 0 = north, clockwise, in [0, 360)]."""
    v = _vec(velocity_kn)
    return np.mod(np.degrees(np.arctan2(v[..., 0], v[..., 1])), 360.0)


def tail_chase_time_h(gap_nm: ArrayLike, pursuer_speed_kn: ArrayLike, target_speed_kn: ArrayLike):
    """Time to close a gap astern of a target on the same course [h].

    ``t = gap / (s - v)``; ``inf`` when the pursuer is not faster (``s <= v``).
    """
    gap = np.asarray(gap_nm, dtype=float)
    closing = np.asarray(pursuer_speed_kn, dtype=float) - np.asarray(target_speed_kn, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(closing > 0.0, gap / np.where(closing > 0.0, closing, 1.0), np.inf)


def head_on_closing_time_h(
    gap_nm: ArrayLike, pursuer_speed_kn: ArrayLike, target_speed_kn: ArrayLike
) -> np.ndarray:
    """Time for two craft heading straight at each other to meet [h]: ``t = gap / (s + v)``."""
    total = np.asarray(pursuer_speed_kn, dtype=float) + np.asarray(target_speed_kn, dtype=float)
    gap = np.asarray(gap_nm, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0.0, gap / total, np.where(gap == 0.0, 0.0, np.inf))


def pure_pursuit_capture_time_h(
    rel_position_nm: ArrayLike, target_velocity_kn: ArrayLike, pursuer_speed_kn: ArrayLike
) -> np.ndarray:
    """Capture time when the pursuer always steers straight at the target (pure pursuit) [h].

    ``T = d (s + v cos(phi)) / (s^2 - v^2)``, where ``d`` is the initial range, ``v = |v_T|`` and
    ``phi`` the angle between the target's velocity and the line of sight from pursuer to target;
    ``inf`` when ``s <= v`` (except a head-on closing target). Pure pursuit never beats the lead
    (intercept) course of :func:`intercept_time_h`; the difference is the price of not leading.

    References
    ----------
    P. Bouguer (1732) pursuit curve; P. J. Nahin, *Chases and Escapes* (Princeton, 2007), ch. 1.
    Reduces to the tail chase ``d / (s - v)`` for ``phi = 0`` and to ``d / (s + v)`` head on.
    """
    r0 = _vec(rel_position_nm)
    v = _vec(target_velocity_kn)
    s = np.asarray(pursuer_speed_kn, dtype=float)
    d = np.hypot(r0[..., 0], r0[..., 1])
    vt = np.hypot(v[..., 0], v[..., 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        cos_phi = np.where(d * vt > 0.0, _dot(r0, v) / (d * vt), 0.0)
        t = d * (s + vt * cos_phi) / (s * s - vt * vt)
    head_on = np.isclose(cos_phi, -1.0, rtol=0.0, atol=1e-12) & (s + vt > 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(head_on, d / (s + vt), t)
    t = np.where((s > vt) | head_on, t, np.inf)
    return np.where(d == 0.0, 0.0, t)


def time_to_close_within_h(
    rel_position_nm: ArrayLike, rel_velocity_kn: ArrayLike, range_nm: ArrayLike
) -> np.ndarray:
    """Earliest ``t >= 0`` at which ``|r0 + w t| <= R`` (two craft on fixed courses) [h].

    Used for "when does the cutter come within boarding / sensor / weapon range". ``0`` if already
    within; NaN if never. Root of ``|w|^2 t^2 + 2 (r0·w) t + |r0|^2 - R^2 = 0``.
    """
    r0 = _vec(rel_position_nm)
    w = _vec(rel_velocity_kn)
    R = np.asarray(range_nm, dtype=float)
    a = _dot(w, w)
    hb = _dot(r0, w)
    c = _dot(r0, r0) - R * R
    disc = hb * hb - a * c
    with np.errstate(divide="ignore", invalid="ignore"):
        sq = np.sqrt(np.maximum(disc, 0.0))
        t = (-hb - sq) / a
    ok = (disc >= 0.0) & (a > 0.0) & (hb < 0.0)
    return np.where(c <= 0.0, 0.0, np.where(ok, t, np.nan))
