"""Land, territories and maritime zones of the Eastern Caribbean in the planar frame, with fast queries.

:func:`load_geography` reads the data shipped in ``mda_sim/geography/data`` (GSHHG shorelines
attributed to territories with Natural Earth; see ``data/SOURCES.md``) once per process. All
coordinates are in the frame of :data:`~mda_sim.geography.frame.DEFAULT_FRAME` [nm]; the query
methods are vectorised over numpy arrays (shapely 2 ``contains_xy`` on prepared geometries behind an
STRtree) and accept scalars too, returning arrays of the broadcast shape (0-d for scalars).

Accuracy: land is the GSHHG full-resolution shoreline simplified by 0.02 nm; zone outlines are
simplified by 0.05 nm (territorial sea, contiguous zone) and 0.1 nm (EEZ). Zones follow the normal
baseline and equidistance only (see :mod:`mda_sim.geography.zones`), and are reliable only well
inside :attr:`Geography.bounds_deg`: land beyond the data box is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from types import MappingProxyType

import numpy as np
import shapely

from mda_sim.geography.frame import DEFAULT_FRAME, LocalFrame
from mda_sim.geography.store import read_store
from mda_sim.geography.zones import ZONE_FIELDS, Zone

__all__ = ["Geography", "Territory", "load_geography"]

#: Codes are packed with the zone into one integer key: zone * _KEY_BASE + territory index.
_KEY_BASE = 1024
#: Coastlines are indexed in pieces of at most this many segments (fast nearest/intersection queries).
_CHUNK_SEGMENTS = 16
#: Long segments are tested in pieces of at most this length [nm].
_PIECE_NM = 10.0


@dataclass(frozen=True, eq=False)
class Territory:
    """One territory (a state, or a dependency with its own zones) and its geometry [nm].

    Attributes
    ----------
    code : str
        ISO 3166-1 alpha-3 style code (``"LCA"``, ``"GLP"``, ``"BES"``, ``"PRI"`` ...).
    name : str
        English name.
    sovereign : str
        ISO alpha-3 code of the state responsible (``GLP`` → ``FRA``, ``BES`` → ``NLD``,
        ``PRI`` → ``USA``, ``VGB`` → ``GBR``; an independent state is its own sovereign).
    land : shapely geometry
        Land [nm, frame coordinates].
    territorial_sea, contiguous_zone, eez : shapely geometry
        Each zone's polygon [nm], including the zones inside it and the land (nested sets).
    """

    code: str
    name: str
    sovereign: str
    land: object = field(repr=False)
    territorial_sea: object = field(repr=False)
    contiguous_zone: object = field(repr=False)
    eez: object = field(repr=False)

    def zone(self, zone: Zone):
        """The polygon of ``zone`` (``LAND`` … ``EEZ``) [nm]; raises ``ValueError`` for ``HIGH_SEAS``."""
        zone = Zone(zone)
        if zone not in ZONE_FIELDS:
            raise ValueError(f"zone = {zone.name}: a territory has polygons for {[z.name for z in ZONE_FIELDS]}")
        return getattr(self, ZONE_FIELDS[zone])


def _xy(x_nm, y_nm) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    x, y = np.broadcast_arrays(np.asarray(x_nm, dtype=float), np.asarray(y_nm, dtype=float))
    return x.ravel(), y.ravel(), x.shape


class _PartIndex:
    """Polygon parts with an integer label each, prepared and indexed for point and line queries."""

    def __init__(self, geoms, labels) -> None:
        parts, index = shapely.get_parts(np.asarray(geoms, dtype=object), return_index=True)
        keep = ~shapely.is_empty(parts)
        self.parts = parts[keep]
        self.labels = np.asarray(labels, dtype=np.int64)[index[keep]]
        shapely.prepare(self.parts)
        self.tree = shapely.STRtree(self.parts)

    def point_hits(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(point index, label) for every part that contains a point (boundary excluded)."""
        if x.size == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        pi, gi = self.tree.query(shapely.points(x, y))
        inside = shapely.contains_xy(self.parts[gi], x[pi], y[pi])
        return pi[inside], self.labels[gi[inside]]


def _coast_chunks(parts: np.ndarray, max_segments: int = _CHUNK_SEGMENTS) -> np.ndarray:
    """The rings of polygon ``parts`` cut into linestrings of at most ``max_segments`` segments each."""
    rings = shapely.get_rings(parts)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    if len(coords) == 0:
        return np.empty(0, dtype=object)
    starts = np.flatnonzero(np.r_[True, ring_of[1:] != ring_of[:-1]])
    ends = np.r_[starts[1:], len(coords)]  # exclusive
    vertex_ids, chunk_ids, n_chunks = [], [], 0
    for a, b in zip(starts.tolist(), ends.tolist()):
        first = np.arange(a, b - 1, max_segments)  # chunk k covers vertices first[k] .. first[k] + max_segments
        for f in first.tolist():
            ids = np.arange(f, min(f + max_segments, b - 1) + 1)
            vertex_ids.append(ids)
            chunk_ids.append(np.full(len(ids), n_chunks))
            n_chunks += 1
    return shapely.linestrings(coords[np.concatenate(vertex_ids)], indices=np.concatenate(chunk_ids))


class Geography:
    """Territories, land and maritime zones in a planar frame, with vectorised queries.

    Parameters
    ----------
    territories : Mapping[str, Territory]
        The territories by code; their geometry is in ``frame`` [nm].
    frame : LocalFrame
        The planar frame of the geometry.
    bounds_deg : tuple of float
        ``(lon_min, lon_max, lat_min, lat_max)`` of the data [deg].
    """

    def __init__(self, territories: Mapping[str, Territory], frame: LocalFrame, bounds_deg) -> None:
        self._territories = MappingProxyType(dict(territories))
        self._frame = frame
        self._bounds_deg = tuple(float(v) for v in bounds_deg)
        self._codes = np.array([*self._territories, ""], dtype="<U3")  # last: high seas
        if len(self._codes) > _KEY_BASE:
            raise ValueError(f"{len(self._codes)} territories: at most {_KEY_BASE - 1} supported")
        ts = list(self._territories.values())
        self._land = _PartIndex([t.land for t in ts], np.arange(len(ts)))
        zone_geoms, keys = [], []
        for zone, name in ZONE_FIELDS.items():
            for i, t in enumerate(ts):
                zone_geoms.append(getattr(t, name))
                keys.append(int(zone) * _KEY_BASE + i)
        self._zones = _PartIndex(zone_geoms, keys)
        self._coast = _coast_chunks(self._land.parts)
        self._coast_tree = shapely.STRtree(self._coast)

    # ------------------------------------------------------------------------------ properties

    @property
    def frame(self) -> LocalFrame:
        """The planar frame of all geometry and of the ``x_nm``, ``y_nm`` arguments."""
        return self._frame

    @property
    def territories(self) -> Mapping[str, Territory]:
        """The territories by code (read-only mapping, in code order)."""
        return self._territories

    @property
    def bounds_deg(self) -> tuple[float, float, float, float]:
        """``(lon_min, lon_max, lat_min, lat_max)`` of the data [deg]."""
        return self._bounds_deg  # type: ignore[return-value]

    @cached_property
    def land_nm(self):
        """Union of all land [nm], prepared (for plotting and whole-area geometry operations)."""
        land = shapely.union_all([t.land for t in self._territories.values()])
        shapely.prepare(land)
        return land

    @cache  # noqa: B019 - one Geography per process; the cache lives as long as it does
    def zone_union(self, zone: Zone):
        """Union over all territories of the polygons of ``zone`` (``LAND`` … ``EEZ``) [nm]."""
        zone = Zone(zone)
        if zone == Zone.LAND:
            return self.land_nm
        return shapely.union_all([t.zone(zone) for t in self._territories.values()])

    @cache  # noqa: B019
    def zone_outline(self, zone: Zone):
        """Outlines of every territory's ``zone`` polygon (``LAND`` … ``EEZ``) [nm], for plotting.

        For ``TERRITORIAL_SEA`` … ``EEZ`` this includes the equidistance lines between neighbours;
        for ``LAND`` it is the coastline (and the land borders inside shared islands).
        """
        zone = Zone(zone)
        lines = [shapely.boundary(t.zone(zone)) for t in self._territories.values()]
        return shapely.line_merge(shapely.union_all(lines))

    # ----------------------------------------------------------------------------------- queries

    def is_land(self, x_nm, y_nm) -> np.ndarray:
        """Whether each point is on land.

        Parameters
        ----------
        x_nm, y_nm : array_like
            Frame coordinates [nm]; broadcast against each other.

        Returns
        -------
        numpy.ndarray of bool
            True on land (points exactly on the coastline count as sea).
        """
        x, y, shape = _xy(x_nm, y_nm)
        out = np.zeros(x.size, dtype=bool)
        pi, _ = self._land.point_hits(x, y)
        out[pi] = True
        return out.reshape(shape)

    def distance_to_coast_nm(self, x_nm, y_nm) -> np.ndarray:
        """Planar distance from each point to the nearest land [nm]; 0 on land.

        Parameters
        ----------
        x_nm, y_nm : array_like
            Frame coordinates [nm]; broadcast against each other.

        Returns
        -------
        numpy.ndarray of float
            Distance to the nearest coastline for points at sea, 0 for points on land [nm]. Near the
            edge of :attr:`bounds_deg` land outside the data is not seen.
        """
        x, y, shape = _xy(x_nm, y_nm)
        if x.size == 0:
            return np.zeros(shape)
        (pi, _), dist = self._coast_tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
        out = np.empty(x.size)
        out[pi] = dist
        out[self.is_land(x, y)] = 0.0
        return out.reshape(shape)

    def waters(self, x_nm, y_nm) -> tuple[np.ndarray, np.ndarray]:
        """The innermost maritime zone at each point and the territory whose zone it is.

        Parameters
        ----------
        x_nm, y_nm : array_like
            Frame coordinates [nm]; broadcast against each other.

        Returns
        -------
        zone : numpy.ndarray of int8
            :class:`~mda_sim.geography.zones.Zone` values (``LAND`` … ``HIGH_SEAS``). Points outside
            :attr:`bounds_deg` are ``HIGH_SEAS`` (the data do not cover them).
        territory : numpy.ndarray of str
            Territory code (e.g. ``"LCA"``), ``""`` on the high seas.

        Notes
        -----
        Each zone is split between neighbours by equidistance, so at most one territory holds a
        point in a given zone; on the shared boundaries (and within the simplification tolerance of
        them) the territory with the lower index in :attr:`territories` wins.
        """
        x, y, shape = _xy(x_nm, y_nm)
        high = int(Zone.HIGH_SEAS) * _KEY_BASE + len(self._codes) - 1
        best = np.full(x.size, high, dtype=np.int64)
        pi, keys = self._zones.point_hits(x, y)
        np.minimum.at(best, pi, keys)
        zone = (best // _KEY_BASE).astype(np.int8)
        territory = self._codes[best % _KEY_BASE]
        return zone.reshape(shape), territory.reshape(shape)

    def waters_lonlat(self, lon_deg, lat_deg) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`waters` for geographic coordinates [deg] on WGS84."""
        return self.waters(*self._frame.to_xy(lon_deg, lat_deg))

    def segment_crosses_land(self, x0_nm, y0_nm, x1_nm, y1_nm) -> np.ndarray:
        """Whether the straight segment from (x0, y0) to (x1, y1) touches land, vectorised.

        Parameters
        ----------
        x0_nm, y0_nm, x1_nm, y1_nm : array_like
            Segment ends in frame coordinates [nm]; broadcast against each other.

        Returns
        -------
        numpy.ndarray of bool
            True where the segment intersects land (touching the coastline counts). A segment of
            zero length is tested as a point.
        """
        arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (x0_nm, y0_nm, x1_nm, y1_nm)))
        shape = arrays[0].shape
        x0, y0, x1, y1 = (a.ravel() for a in arrays)
        if x0.size == 0:
            return np.zeros(shape, dtype=bool)
        # A segment meets land iff it meets a coastline or lies wholly on land (then its start does).
        out = self.is_land(x0, y0)
        line = ~out & ((x0 != x1) | (y0 != y1))
        idx = np.flatnonzero(line)
        if idx.size:
            # Long segments are cut into pieces so that the index's bounding boxes stay tight.
            length = np.hypot(x1[idx] - x0[idx], y1[idx] - y0[idx])
            n = np.maximum(1, np.ceil(length / _PIECE_NM)).astype(np.int64)
            owner = np.repeat(idx, n)
            k = np.arange(owner.size) - np.repeat(np.cumsum(n) - n, n)
            f0, f1 = k / np.repeat(n, n), (k + 1) / np.repeat(n, n)
            dx, dy = x1[owner] - x0[owner], y1[owner] - y0[owner]
            start = np.column_stack([x0[owner] + f0 * dx, y0[owner] + f0 * dy])
            end = np.column_stack([x0[owner] + f1 * dx, y0[owner] + f1 * dy])
            pieces = shapely.linestrings(np.stack([start, end], axis=1))
            hit, _ = self._coast_tree.query(pieces, predicate="intersects")
            out[owner[hit]] = True
        return out.reshape(shape)

    def land_area_fraction(self, polygon_nm) -> float:
        """Share of a polygon's area that is land.

        Parameters
        ----------
        polygon_nm : shapely Polygon or MultiPolygon
            An area in frame coordinates [nm].

        Returns
        -------
        float
            Land area / polygon area, in [0, 1]; 0 for an empty or zero-area polygon.
        """
        area = float(shapely.area(polygon_nm))
        if area <= 0.0:
            return 0.0
        cand = self._land.tree.query(polygon_nm)
        land = float(np.sum(shapely.area(shapely.intersection(self._land.parts[cand], polygon_nm))))
        return min(max(land / area, 0.0), 1.0)

    def __repr__(self) -> str:
        lon0, lon1, lat0, lat1 = self._bounds_deg
        return f"Geography({len(self._territories)} territories, {lon0}..{lon1} E, {lat0}..{lat1} N)"


@cache
def load_geography() -> Geography:
    """The shipped Eastern Caribbean geography, read once per process.

    Returns
    -------
    Geography
        Territories (land and zones [nm]) in :data:`~mda_sim.geography.frame.DEFAULT_FRAME`.

    Raises
    ------
    ValueError
        If the data were built for another frame or format (rebuild with
        ``scripts/build_geography.py``).
    """
    store = read_store()
    frame_spec = store.index["frame"]
    frame = LocalFrame(float(frame_spec["lon0_deg"]), float(frame_spec["lat0_deg"]))
    if frame != DEFAULT_FRAME:
        raise ValueError(
            f"geography data: frame = {frame_spec}; the package frame is "
            f"({DEFAULT_FRAME.lon0_deg}, {DEFAULT_FRAME.lat0_deg}) (rebuild with scripts/build_geography.py)"
        )
    territories = {}
    for t in store.index["territories"]:
        g = store.geometries[t["code"]]
        territories[t["code"]] = Territory(code=t["code"], name=t["name"], sovereign=t["sovereign"], **g)
    return Geography(territories, frame, store.index["bounds_deg"])
