"""Land shadow of a fixed coastal site: the part of its footprint it can see past the islands.

:func:`visible_polygon` casts ``rays`` rays from the site, evenly spaced in bearing, out to the
site's reach; each stops at the first land it meets other than the island the site stands on (the
parts of land within :data:`OWN_ISLAND_NM` of the site: the antenna is assumed sited to see over
its own island, as coastal radars are). The polygon joining the ray ends is the visible footprint.

The first hit of every ray is found at once with numpy: each edge of the nearby land (clipped to
the footprint circle) is paired only with the rays whose bearing falls within the angle it spans
seen from the site, and the ray-edge crossing is solved for those pairs. The nearby land comes from
an STRtree of the land's polygons built once per geography. The land is used as shipped (not
simplified), so the result is the same polygon as intersecting each ray with the clipped land in
shapely (measured on the 39 radar-site footprints of the baseline scenario: symmetric difference
below 1e-15 of the area), about 20 x faster (~3 ms against ~60 ms a footprint).

Sources: ray casting for line-of-sight coverage is the usual method of radar coverage tools, e.g.
the viewshed analysis of GIS (Franklin & Ray 1994); radar horizon and siting over the own island:
see :func:`mda_sim.sensing.footprint.fixed_sensor_reach_nm`.

References
----------
Franklin, W. R. & Ray, C. (1994). Higher isn't necessarily better: visibility algorithms and
experiments. Advances in GIS Research: 6th Int. Symp. on Spatial Data Handling, 751–770.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import shapely

if TYPE_CHECKING:
    from mda_sim.geography.geography import Geography

__all__ = ["OWN_ISLAND_NM", "visible_polygon"]

#: Land closer than this to the site is the site's own island and casts no shadow [nm].
OWN_ISLAND_NM = 1.0
#: Quadrant segments of the footprint circle the land is clipped to (as the engine's circles) [-].
_CIRCLE_QUAD_SEGS = 64


@lru_cache(maxsize=4)
def _land_tree(geo: Geography) -> shapely.STRtree:
    """STRtree of the land's polygons [nm] (built once per geography)."""
    return shapely.STRtree(shapely.get_parts(geo.land_nm))


def _edges(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end points of every edge of the rings of polygons ``geoms`` [nm], shape (m, 2)."""
    rings = shapely.get_rings(geoms)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    same = ring_of[1:] == ring_of[:-1]  # consecutive vertices of one (closed) ring
    return coords[:-1][same], coords[1:][same]


def visible_polygon(geo: Geography, site_xy_nm, reach_nm: float, rays: int = 720):
    """The footprint of a fixed site less the land shadow, or None if no land shadows it.

    Parameters
    ----------
    geo : Geography
        The geography (see :func:`~mda_sim.geography.load_geography`).
    site_xy_nm : array_like, shape (2,)
        The site in frame coordinates [nm].
    reach_nm : float
        Footprint radius [nm], > 0.
    rays : int, optional
        Number of rays, evenly spaced in bearing from 0 (720: every 0.5°, 0.2 nm of arc at 25 nm).

    Returns
    -------
    shapely.Polygon or None
        The polygon joining the ends of the rays [nm], each ray stopping at the first land met
        other than the site's own island (land within :data:`OWN_ISLAND_NM`), made valid with
        ``buffer(0)``; None when no other land lies within ``reach_nm``.

    Notes
    -----
    Equivalent to clipping the land to the circle (64 segments a quadrant), dropping the parts
    within :data:`OWN_ISLAND_NM` of the site, intersecting each ray with the rest and taking the
    distance to the nearest intersection (the former ``LiveSensor._visible_polygon``), without
    simplifying the land. Cost ~3 ms a footprint (that method: ~60 ms).
    """
    x, y = (float(v) for v in np.asarray(site_xy_nm, dtype=float).reshape(2))
    reach_nm = float(reach_nm)
    if not reach_nm > 0.0:
        raise ValueError(f"visible_polygon reach_nm = {reach_nm}: must be > 0")
    site = shapely.Point(x, y)
    circle = site.buffer(reach_nm, quad_segs=_CIRCLE_QUAD_SEGS)
    tree = _land_tree(geo)
    near = tree.query(circle, predicate="intersects")
    if len(near) == 0:
        return None
    parts = shapely.get_parts(shapely.intersection(tree.geometries.take(near), circle))
    parts = parts[~shapely.is_empty(parts) & (shapely.area(parts) > 0.0)]
    others = parts[shapely.distance(site, parts) > OWN_ISLAND_NM]
    if len(others) == 0:
        return None

    # Edges relative to the site, and the bearings of their ends [rad].
    a, b = _edges(others)
    a, b = a - (x, y), b - (x, y)
    step = 2.0 * np.pi / rays
    ang_a, ang_b = np.arctan2(a[:, 1], a[:, 0]), np.arctan2(b[:, 1], b[:, 0])
    # The edge spans the bearings from ang_a turning by sweep (|sweep| < pi: the site is off it).
    sweep = (ang_b - ang_a + np.pi) % (2.0 * np.pi) - np.pi
    lo = np.minimum(ang_a, ang_a + sweep)
    hi = np.maximum(ang_a, ang_a + sweep)
    tol = 1e-9
    k_lo = np.ceil((lo - tol) / step).astype(np.int64)
    k_hi = np.floor((hi + tol) / step).astype(np.int64)
    count = np.maximum(k_hi - k_lo + 1, 0)
    edge = np.repeat(np.arange(len(a)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count) + k_lo[edge]
    k %= rays

    # Crossing of ray k (site + t * u_k) with edge a + s (b - a): t = (a x d) / (u x d).
    angles = np.linspace(0.0, 2.0 * np.pi, rays, endpoint=False)
    ux, uy = np.cos(angles), np.sin(angles)
    pa, d = a[edge], (b - a)[edge]
    denom = ux[k] * d[:, 1] - uy[k] * d[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (pa[:, 0] * d[:, 1] - pa[:, 1] * d[:, 0]) / denom
    # An edge along the ray (denom 0) is met first at its nearer end.
    along = np.abs(denom) <= 1e-12 * np.hypot(d[:, 0], d[:, 1])
    t = np.where(along, np.minimum(np.hypot(*pa.T), np.hypot(*(pa + d).T)), t)
    ok = np.isfinite(t) & (t >= 0.0) & (t <= reach_nm)
    dist = np.full(rays, reach_nm)
    np.minimum.at(dist, k[ok], t[ok])
    pts = np.column_stack([x + dist * ux, y + dist * uy])
    return shapely.Polygon(pts).buffer(0)
