"""Patrol patterns: the waypoints a patrol asset follows inside its area (pure; planar frame, nm).

Each pattern returns waypoints [nm] inside (or on the edge of) a patrol area given as a shapely
polygon. The engine flies them in order at the asset's cruise speed (ships route between them around
land). Patterns come from the US National SAR Supplement and IAMSAR search patterns as used for
law-enforcement patrol (reference "theory and calibration" §1):

- ``area_patrol`` and ``random_search``: uniformly random points in the area, visited in turn. A
  searcher that covers an area this way sweeps it at random, the assumption of Koopman's random-search
  formula ``P = 1 - exp(-W v t / A)`` (reference §1.1).
- ``barrier``: back and forth along the area's long axis (the middle line of its minimum rotated
  rectangle) — a barrier patrol across a transit lane or a passage.
- ``parallel_sweep``: a "lawnmower" over the minimum rotated rectangle, tracks along its long side
  ``track_spacing_nm`` apart (IAMSAR parallel sweep PS; spacing usually the sweep width).

Functions take a ``numpy.random.Generator`` where they draw, so the engine can give each asset its
own stream (common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely

__all__ = [
    "PATTERNS",
    "barrier_waypoints",
    "long_axis",
    "parallel_sweep_waypoints",
    "random_waypoints",
]

#: Attempts per random point before giving up (an area that is mostly excluded, e.g. all land).
MAX_TRIES = 1000


def random_waypoints(
    area: shapely.Geometry,
    n: int,
    rng: np.random.Generator,
    accept: Callable[[float, float], bool] | None = None,
) -> np.ndarray:
    """``n`` points uniformly at random in ``area`` [nm], shape (n, 2).

    ``accept(x, y)`` may reject points (e.g. land, for a ship). Raises ``ValueError`` when no
    acceptable point is found in :data:`MAX_TRIES` draws.
    """
    x0, y0, x1, y1 = area.bounds
    shapely.prepare(area)
    out = np.empty((n, 2))
    for i in range(n):
        for _ in range(MAX_TRIES):
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if shapely.contains_xy(area, x, y) and (accept is None or accept(x, y)):
                out[i] = x, y
                break
        else:
            raise ValueError(f"no acceptable point in the patrol area after {MAX_TRIES} tries (is it all land?)")
    return out


def long_axis(area: shapely.Geometry) -> tuple[np.ndarray, np.ndarray, float]:
    """The long axis of the area's minimum rotated rectangle: its two ends [nm] and the rectangle's
    width across it [nm]."""
    rect = shapely.minimum_rotated_rectangle(area)
    c = np.asarray(rect.exterior.coords)[:4]
    e0, e1 = c[1] - c[0], c[2] - c[1]
    if np.hypot(*e0) >= np.hypot(*e1):
        long_edge, short_edge, origin = e0, e1, c[0]
    else:
        long_edge, short_edge, origin = e1, -e0, c[1]  # from c1, -e0 leads back across to c0
    a = origin + 0.5 * short_edge
    return a, a + long_edge, float(np.hypot(*short_edge))


def barrier_waypoints(area: shapely.Geometry, n_legs: int) -> np.ndarray:
    """Back and forth along the long axis: ``n_legs + 1`` alternating ends [nm]."""
    a, b, _ = long_axis(area)
    return np.array([a if i % 2 == 0 else b for i in range(n_legs + 1)], dtype=float)


def parallel_sweep_waypoints(area: shapely.Geometry, track_spacing_nm: float) -> np.ndarray:
    """A lawnmower over the minimum rotated rectangle [nm].

    Tracks run along the long side, the first half a spacing in from one long edge, then every
    ``track_spacing_nm`` across; consecutive tracks are joined at alternating ends. At least one
    track is flown, along the middle, if the rectangle is narrower than the spacing.
    """
    if not track_spacing_nm > 0.0:
        raise ValueError(f"track_spacing_nm = {track_spacing_nm}: must be > 0")
    rect = shapely.minimum_rotated_rectangle(area)
    c = np.asarray(rect.exterior.coords)[:4]
    e0, e1 = c[1] - c[0], c[2] - c[1]
    if np.hypot(*e0) >= np.hypot(*e1):
        long_edge, across, origin = e0, e1, c[0]
    else:
        long_edge, across, origin = e1, -e0, c[1]
    width = float(np.hypot(*across))
    unit = across / width if width > 0 else np.zeros(2)
    n_tracks = max(1, int(width // track_spacing_nm))
    margin = 0.5 * (width - (n_tracks - 1) * track_spacing_nm)
    pts = []
    for k in range(n_tracks):
        start = origin + unit * (margin + k * track_spacing_nm)
        ends = (start, start + long_edge) if k % 2 == 0 else (start + long_edge, start)
        pts.extend(ends)
    return np.asarray(pts, dtype=float)


#: Pattern name → how its waypoints are made (the engine adds the arguments it knows).
PATTERNS = ("area_patrol", "random_search", "barrier", "parallel_sweep")
