"""Brute-force, time-stepped references for coverage and detection. FOR TESTS AND BENCHMARKS ONLY.

The engine never steps time (DESIGN.md §3). These functions answer the same questions as
:mod:`mda_sim.sensing.coverage` and the laws' closed forms by sampling the relative geometry on a
fine grid ``t_k = k dt``, so that the analytic scheduler can be checked against them and the
benchmark can report the speed ratio.

Accuracy: an endpoint found by stepping is late by less than one step ``dt`` [h], i.e. the position
error is below ``dt * |w|`` [nm]; a hazard summed at step midpoints has the midpoint rule's error
``O(dt^2)`` for smooth rates (first order for glimpse laws, whose scans are placed at step level).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from mda_sim.kinematics.legs import Track
from mda_sim.sensing.laws import DetectionLaw

__all__ = [
    "stepped_cumulative_hazard",
    "stepped_detection_time",
    "stepped_time_in_range",
    "stepped_track_coverage",
]


def _grid(duration_h: np.ndarray, dt_h: float) -> tuple[np.ndarray, np.ndarray]:
    if not dt_h > 0.0:
        raise ValueError(f"dt_h = {dt_h!r}: must be > 0")
    if not np.all(np.isfinite(duration_h)):
        raise ValueError("stepping needs finite durations")
    m = int(np.floor(np.max(duration_h, initial=0.0) / dt_h)) + 1
    t = dt_h * np.arange(m)
    valid = t[None, :] <= duration_h[:, None] + 1e-12
    return t, valid


def _pairs(rel_position_nm, rel_velocity_kn, duration_h):
    d0 = np.atleast_2d(np.asarray(rel_position_nm, dtype=float))
    w = np.atleast_2d(np.asarray(rel_velocity_kn, dtype=float))
    d0, w = np.broadcast_arrays(d0, w)
    D = np.broadcast_to(np.asarray(duration_h, dtype=float), d0.shape[:1]).copy()
    return d0, w, D


def _ranges(d0, w, t):
    x = d0[:, 0:1] + w[:, 0:1] * t[None, :]
    y = d0[:, 1:2] + w[:, 1:2] * t[None, :]
    return np.hypot(x, y)


def stepped_time_in_range(
    rel_position_nm: ArrayLike,
    rel_velocity_kn: ArrayLike,
    range_nm: ArrayLike,
    duration_h: ArrayLike,
    dt_h: float,
) -> tuple[np.ndarray, np.ndarray]:
    """First and last grid time ``k dt`` in ``[0, D]`` with ``|d0 + w t| <= R`` [h]; NaN if none.

    Reference for :func:`mda_sim.sensing.coverage.time_in_range` (pairs along the first axis).
    """
    d0, w, D = _pairs(rel_position_nm, rel_velocity_kn, duration_h)
    R = np.broadcast_to(np.asarray(range_nm, dtype=float), D.shape)
    t, valid = _grid(D, dt_h)
    inside = (_ranges(d0, w, t) <= R[:, None]) & valid
    any_in = inside.any(axis=1)
    first = np.argmax(inside, axis=1)
    last = inside.shape[1] - 1 - np.argmax(inside[:, ::-1], axis=1)
    return np.where(any_in, t[first], np.nan), np.where(any_in, t[last], np.nan)


def stepped_track_coverage(
    target: Track,
    sensor: Track,
    range_nm: float,
    t_start_h: float,
    t_end_h: float,
    dt_h: float,
) -> list[tuple[float, float]]:
    """Runs of grid times ``t_start + k dt`` when two tracks are within ``range_nm`` [h].

    Reference for :func:`mda_sim.sensing.coverage.track_coverage`; each run is reported as
    (first inside sample, last inside sample).
    """
    t, _ = _grid(np.array([t_end_h - t_start_h]), dt_h)
    t = t_start_h + t
    d = target.position_at(t) - sensor.position_at(t)
    inside = np.hypot(d[:, 0], d[:, 1]) <= range_nm
    edges = np.diff(np.concatenate([[0], inside.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1) - 1
    return [(float(t[a]), float(t[b])) for a, b in zip(starts, stops)]


def _step_hazards(law, d0, w, D, dt_h, scan_phase_h):
    t, valid = _grid(D, dt_h)
    t_next = dt_h * np.arange(1, t.size + 1)  # bitwise equal to the next step's start
    t_end = np.minimum(t_next[None, :], D[:, None])
    step = np.maximum(t_end - t[None, :], 0.0)
    mid = t[None, :] + step / 2.0
    x = d0[:, 0:1] + w[:, 0:1] * mid
    y = d0[:, 1:2] + w[:, 1:2] * mid
    r = np.hypot(x, y)
    ph = np.broadcast_to(np.asarray(scan_phase_h, dtype=float), D.shape)[:, None]
    with np.errstate(invalid="ignore"):
        h = law.step_hazard(r, t[None, :], np.maximum(t_end, t[None, :]), ph)
    h = np.where(valid, h, 0.0)
    return t, np.nan_to_num(h, nan=0.0, posinf=np.inf)


def stepped_cumulative_hazard(
    law: DetectionLaw,
    rel_position_nm: ArrayLike,
    rel_velocity_kn: ArrayLike,
    duration_h: ArrayLike,
    dt_h: float,
    scan_phase_h: ArrayLike = 0.0,
) -> np.ndarray:
    """Hazard over ``[0, D]`` summed step by step with :meth:`DetectionLaw.step_hazard`, ranges at
    step midpoints. Reference for ``law.cumulative_hazard``."""
    d0, w, D = _pairs(rel_position_nm, rel_velocity_kn, duration_h)
    _, h = _step_hazards(law, d0, w, D, dt_h, scan_phase_h)
    return h.sum(axis=1)


def stepped_detection_time(
    law: DetectionLaw,
    rel_position_nm: ArrayLike,
    rel_velocity_kn: ArrayLike,
    duration_h: ArrayLike,
    dt_h: float,
    rng: np.random.Generator,
    scan_phase_h: ArrayLike = 0.0,
) -> np.ndarray:
    """Detection time by a Bernoulli trial per step, ``p_k = 1 - exp(-h_k)``: the start of the first
    successful step [h], NaN if none. Reference for ``law.draw_detection_time``."""
    d0, w, D = _pairs(rel_position_nm, rel_velocity_kn, duration_h)
    t, h = _step_hazards(law, d0, w, D, dt_h, scan_phase_h)
    success = rng.random(size=h.shape) < -np.expm1(-h)
    first = np.argmax(success, axis=1)
    return np.where(success.any(axis=1), t[first], np.nan)
