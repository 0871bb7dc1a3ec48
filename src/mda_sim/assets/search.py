"""Datum searches for a lost contact: IAMSAR expanding square and sector search (pure; planar, nm).

When a track is lost, a searcher goes to the datum (the contact's last estimated position) and flies
one of the IAMSAR datum patterns (IAMSAR Manual Vol. II ch. 5; US National SAR Supplement):

- ``expanding_square_waypoints`` (SS): legs of ``S, S, 2S, 2S, 3S, 3S, ...`` from the datum, turning
  90 deg right after each, so the tracks form a square spiral ``S`` apart.
- ``sector_search_waypoints`` (VS): equilateral triangles through the datum, 120 deg right turns at
  the outer points; three triangles fly six radials 60 deg apart and end at the datum.

The sizing helpers tie the pattern to search theory (reference "theory and calibration" §2.1-2.2):
the expanding square lays parallel tracks ``S`` apart, so its coverage is ``C = W / S`` (and after
``legs_to_cover`` legs the track length is exactly ``A / S``, so ``W L / A = W / S`` too), and its POD
is the parallel-sweep POD of :mod:`mda_sim.theory.search` for the sensor's lateral range curve.

Headings are degrees clockwise from north; x is east, y north; positions and lengths in nm.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from mda_sim.theory.search import pod_parallel_definite_range, pod_parallel_inverse_cube

__all__ = [
    "DEFAULT_SIGMA_MULTIPLE",
    "SWEEP_POD_MODELS",
    "expanding_square_pod",
    "expanding_square_track_length_nm",
    "expanding_square_waypoints",
    "legs_to_cover",
    "search_area_nm2",
    "search_square_containment",
    "sector_search_waypoints",
    "track_length_nm",
]

#: Half-side of the search square in standard deviations of the datum error (estimate; see
#: :func:`search_area_nm2`). k = 2 holds 91.1 % of a circular normal position error.
DEFAULT_SIGMA_MULTIPLE = 2.0

#: Sensor model -> parallel-sweep POD as a function of coverage ``C = W / S`` (reference §2.2).
SWEEP_POD_MODELS: dict[str, Callable[[ArrayLike], np.ndarray]] = {
    "definite_range": pod_parallel_definite_range,
    "inverse_cube": pod_parallel_inverse_cube,
}


def _positive(name: str, value: float) -> float:
    v = float(value)
    if not (math.isfinite(v) and v > 0.0):
        raise ValueError(f"{name} = {value!r}: must be a finite number > 0")
    return v


def _finite(name: str, value: float) -> float:
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} = {value!r}: must be finite")
    return v


def _datum(datum_nm: ArrayLike) -> np.ndarray:
    d = np.asarray(datum_nm, dtype=float)
    if d.shape != (2,) or not np.all(np.isfinite(d)):
        raise ValueError(f"datum_nm = {datum_nm!r}: must be a finite (x, y) pair [nm]")
    return d


def _unit(heading_deg: float) -> np.ndarray:
    """Unit vector of a heading measured clockwise from north (x east, y north)."""
    h = math.radians(heading_deg)
    return np.array([math.sin(h), math.cos(h)])


def _count(name: str, value: int, minimum: int) -> int:
    try:
        n = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} = {value!r}: must be an integer >= {minimum}") from None
    if isinstance(value, bool) or n < minimum:
        raise ValueError(f"{name} = {value!r}: must be an integer >= {minimum}")
    return n


def track_length_nm(waypoints_nm: ArrayLike) -> float:
    """Length of the polyline through ``waypoints_nm`` [nm], shape (n, 2)."""
    w = np.asarray(waypoints_nm, dtype=float)
    return float(np.sum(np.hypot(*np.diff(w, axis=0).T)))


def expanding_square_waypoints(
    datum_nm: ArrayLike,
    track_spacing_nm: float,
    n_legs: int,
    first_heading_deg: float = 0.0,
) -> np.ndarray:
    """IAMSAR expanding square (SS) from the datum: ``n_legs + 1`` waypoints [nm], shape (n+1, 2).

    Leg ``i`` (1-based) has length ``ceil(i / 2) S`` -- ``S, S, 2S, 2S, 3S, ...`` -- and the searcher
    turns 90 deg right after each leg. The first waypoint is the datum.

    Parameters
    ----------
    datum_nm : (x, y) [nm]
    track_spacing_nm : float
        ``S`` [nm], > 0; usually the sweep width ``W``.
    n_legs : int
        Number of legs, >= 1 (see :func:`legs_to_cover`).
    first_heading_deg : float
        Heading of the first leg [deg clockwise from north].

    References
    ----------
    IAMSAR Manual Vol. II, expanding square search (SS); US National SAR Supplement.

    Examples
    --------
    >>> expanding_square_waypoints((0, 0), 1.0, 6).round(12).tolist()
    [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, 2.0], [2.0, 2.0]]
    """
    d = _datum(datum_nm)
    s = _positive("track_spacing_nm", track_spacing_nm)
    n = _count("n_legs", n_legs, 1)
    u = _unit(_finite("first_heading_deg", first_heading_deg))
    out = np.empty((n + 1, 2))
    out[0] = d
    for i in range(1, n + 1):
        out[i] = out[i - 1] + ((i + 1) // 2) * s * u
        u = np.array([u[1], -u[0]])  # 90 deg right (clockwise): north -> east -> south -> west
    return out


def expanding_square_track_length_nm(track_spacing_nm: float, n_legs: int) -> float:
    """Total track of ``n_legs`` expanding-square legs: ``S sum_{i=1..n} ceil(i/2)`` [nm].

    >>> expanding_square_track_length_nm(1.0, 5)  # 1+1+2+2+3
    9.0
    """
    s = _positive("track_spacing_nm", track_spacing_nm)
    n = _count("n_legs", n_legs, 1)
    m = n // 2
    return s * (m * (m + 1) + (n % 2) * (m + 1))


def legs_to_cover(side_nm: float, track_spacing_nm: float) -> int:
    """Expanding-square legs that sweep a square of side ``side_nm`` centred on the datum.

    Each leg sweeps a strip ``S`` wide (the lateral-range picture, with ``W = S``). After
    ``4m + 1`` legs the strips cover the centred square of side ``(2m + 1) S`` and the track is
    ``(2m + 1)^2 S`` long, i.e. exactly ``A / S``; the three legs after that do not complete a new
    side. So the answer is ``4m + 1`` with ``m = max(0, ceil((side / S - 1) / 2))``.

    >>> legs_to_cover(1.0, 1.0), legs_to_cover(3.0, 1.0), legs_to_cover(3.5, 1.0)
    (1, 5, 9)
    """
    side = _positive("side_nm", side_nm)
    s = _positive("track_spacing_nm", track_spacing_nm)
    m = max(0, math.ceil((side / s - 1.0) / 2.0 - 1e-9))
    return 4 * m + 1


def expanding_square_pod(
    track_spacing_nm: ArrayLike,
    sweep_width_nm: ArrayLike,
    sensor: str = "definite_range",
) -> np.ndarray:
    """POD of an expanding square for a target uniform over the square it covers [-].

    Coverage is ``C = W / S`` (parallel tracks ``S`` apart), and the POD is the parallel-sweep POD
    for the sensor model in :data:`SWEEP_POD_MODELS`:

    - ``"definite_range"``: ``POD = min(1, C)`` (:func:`~mda_sim.theory.search.pod_parallel_definite_range`)
    - ``"inverse_cube"``: ``POD = erf(sqrt(pi) C / 2)`` (:func:`~mda_sim.theory.search.pod_parallel_inverse_cube`)

    Turn effects at the square's corners are ignored, as in the US National SAR Supplement's POD
    curves. Reference §2.2.

    >>> round(float(expanding_square_pod(4.0 / 0.64, 4.0, "inverse_cube")), 4)
    0.5775
    """
    model = SWEEP_POD_MODELS.get(sensor)
    if model is None:
        raise ValueError(f"sensor {sensor!r} unknown; choose one of {sorted(SWEEP_POD_MODELS)}")
    s = np.asarray(track_spacing_nm, dtype=float)
    w = np.asarray(sweep_width_nm, dtype=float)
    if np.any(~np.isfinite(s) | (s <= 0.0)):
        raise ValueError(f"track_spacing_nm = {np.ravel(s).tolist()}: must be finite and > 0")
    if np.any(~np.isfinite(w) | (w < 0.0)):
        raise ValueError(f"sweep_width_nm = {np.ravel(w).tolist()}: must be finite and >= 0")
    return model(w / s)


def search_area_nm2(sigma_nm: ArrayLike, k: float = DEFAULT_SIGMA_MULTIPLE) -> np.ndarray:
    """Area of the square to search around a datum: side ``2 k sigma``, area ``(2 k sigma)^2`` [nm^2].

    ``sigma_nm`` is the standard deviation of the contact's position error along each axis
    (circular normal). The choice ``k = 2`` (:data:`DEFAULT_SIGMA_MULTIPLE`) is an **estimate** of
    ours, not an IAMSAR figure: IAMSAR sizes the area as a radius ``f_s E`` (optimal search factor
    times total probable error), which needs effort planning this model does not do. The square's
    containment probability is :func:`search_square_containment`.

    >>> float(search_area_nm2(1.5))
    36.0
    """
    sg = np.asarray(sigma_nm, dtype=float)
    if np.any(~np.isfinite(sg) | (sg <= 0.0)):
        raise ValueError(f"sigma_nm = {np.ravel(sg).tolist()}: must be finite and > 0")
    kk = _positive("k", k)
    return (2.0 * kk * sg) ** 2


def search_square_containment(k: float = DEFAULT_SIGMA_MULTIPLE) -> float:
    """POC of the square of half-side ``k sigma`` for a circular normal error: ``erf(k / sqrt 2)^2``.

    >>> round(search_square_containment(2.0), 4)
    0.9111
    """
    kk = _positive("k", k)
    return math.erf(kk / math.sqrt(2.0)) ** 2


def sector_search_waypoints(
    datum_nm: ArrayLike,
    radius_nm: float,
    first_heading_deg: float = 0.0,
    n_sectors: int = 3,
) -> np.ndarray:
    """IAMSAR sector search (VS): ``3 n + 1`` waypoints [nm], starting and ending at the datum.

    The searcher flies ``n_sectors`` isosceles triangles with apex at the datum: out ``R`` on a
    radial, across to the next radial ``180/n`` deg clockwise, back in to the datum, and straight on
    through it to start the next triangle. Turns at the outer points are ``90 + 90/n`` deg right.
    With IAMSAR's ``n = 3`` the triangles are equilateral (every leg is ``R``), the turns are
    120 deg, nine legs fly six radials 60 deg apart, and the last leg returns to the datum heading
    ``first_heading_deg`` again. Other odd ``n`` are our generalisation (radials ``180/n`` apart);
    even ``n`` would fly some radials twice and is refused.

    Parameters
    ----------
    datum_nm : (x, y) [nm]
    radius_nm : float
        ``R`` [nm], > 0.
    first_heading_deg : float
        Heading of the first outbound leg [deg clockwise from north].
    n_sectors : int
        Number of triangles, odd and >= 3 (IAMSAR: 3).

    References
    ----------
    IAMSAR Manual Vol. II, sector search (VS); US National SAR Supplement.
    """
    d = _datum(datum_nm)
    r = _positive("radius_nm", radius_nm)
    h0 = _finite("first_heading_deg", first_heading_deg)
    n = _count("n_sectors", n_sectors, 3)
    if n % 2 == 0:
        raise ValueError(f"n_sectors = {n_sectors!r}: must be odd (3 for IAMSAR's sector search)")
    apex = 180.0 / n
    pts = [d]
    for k in range(n):
        out = h0 + k * apex + (k % 2) * 180.0
        pts.append(d + r * _unit(out))
        pts.append(d + r * _unit(out + apex))
        pts.append(d)
    return np.asarray(pts, dtype=float)
