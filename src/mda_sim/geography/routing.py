"""Sea routes that never cross land: short paths around the coasts in the planar frame.

:func:`sea_route` returns the waypoints of a voyage between two points at sea [nm, frame
coordinates]. A clear straight line is returned as it is; otherwise the route is a shortest path in
the visibility graph of the land buffered by a clearance (:data:`CLEARANCE_NM`):

1. *Obstacles* (built once per geography and clearance, cached; ~0.5 s): the land simplified,
   buffered by the clearance and simplified again, every ring oriented with the land on its left.
   The *nodes* are the obstacles' convex corners, pushed :data:`_NODE_OFFSET_NM` outwards so that
   a node sees along the coast it sits on. The open water left outside the obstacles falls into
   connected *pieces* (the ocean, and e.g. Lake Maracaibo, whose strait the buffer closes).
2. *Search*: A* over the nodes of the ends' piece inside the ellipse ``|p - start| + |p - end| <=
   bound`` (a route of length ``<= bound`` can use no other node). Edges are found lazily as nodes
   are expanded: only *bitangent* edges that bend towards the land (the only ones a shortest path
   uses) are offered, and a leg is tested against the prepared obstacle union only when its entry
   comes off the queue (see :meth:`_Graph.astar`). The bound grows until a path is found.
   What does not depend on the ends is kept on the obstacles for every later search: whether the
   leg between two corners is clear (a lazily filled table) and, per corner, which corners it is
   bitangent with. Many routes in one area thus cost little more than the legs from and to their
   ends (measured: 2000 baseline voyages ~1.6 x faster than without these memos, routes identical).
3. An end inside the buffer (a berth, a beach in a bay) joins the graph by legs to the nodes
   within :data:`_REACH_NM` that it sees across the *real* land. If it sees none, or the ends lie
   in different pieces, the search is repeated with a finer clearance (:data:`_FALLBACK_FRACTIONS`).
4. The route is string-pulled (waypoints whose neighbours see each other are dropped) and checked
   against the real land with :meth:`~mda_sim.geography.Geography.segment_crosses_land`.
5. *Escape* (only if steps 1-4 found no route at the finest clearance): the finest outline lies up to
   ~1.8 x its clearance off the coast, so it closes openings up to ~0.36 nm wide (by default), and
   now and then it leaves a pocket of water joined to the rest only by a sliver too thin for its
   nodes. An end that does not join the open sea at the finest clearance is routed over the
   obstacles of a much finer clearance (:data:`_ESCAPE_FRACTION`: outline 0.018–0.05 nm off the
   coast by default) towards the other end, up to the first node that joins that open sea; the
   route is then found from there as above (see :func:`_escape`). Any end a disc of radius the
   finest clearance (0.1 nm by default) can reach from the open sea should thus get a route (not
   proven: an end must see a node; measured: no failure over 1000 such ends sampled in passages
   0.2–0.4 nm wide and 600 near-coast pairs), and most ends in narrower creeks too.

Accuracy: the obstacle outline lies about 0.5–1.5 x the clearance from the coast (simplification;
measured at least 0.15 x at a few places), so a route may be a few tenths of a nm per headland
longer than one hugging the clearance exactly; legs never touch the real land whatever the outline;
the weighted heuristic (:data:`_HEURISTIC_WEIGHT`) may return a route up to 5 % longer than the
shortest (measured: 0.2 % on average, 2.6 % at most over 190 blocked random pairs). The planar frame
distorts distances by < 0.5 % (see :mod:`mda_sim.geography.frame`).

>>> from mda_sim.geography import load_geography
>>> from mda_sim.geography.routing import route_length_nm, sea_route
>>> geo = load_geography()
>>> x_nm, y_nm = geo.frame.to_xy([-61.12, -60.82], [13.88, 13.88])  # across Saint Lucia
>>> route = sea_route(geo, (x_nm[0], y_nm[0]), (x_nm[1], y_nm[1]))
>>> len(route) > 2, bool(geo.segment_crosses_land(*route[:-1].T, *route[1:].T).any())
(True, False)
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import shapely

if TYPE_CHECKING:
    from collections.abc import Callable

    from mda_sim.geography.geography import Geography

__all__ = ["CLEARANCE_NM", "route_length_nm", "sea_route"]

#: Default clearance kept from the coast where a route turns around land [nm].
CLEARANCE_NM = 0.5
#: Finer clearances tried, as fractions of the asked one, when the ends cannot be joined [-].
_FALLBACK_FRACTIONS = (0.2,)
#: Clearance, as a fraction of the asked one, of the obstacles used to get an end out of water
#: that the finest fallback closes (0.025 nm by default: outline 0.018–0.05 nm off the coast) [-].
_ESCAPE_FRACTION = 0.05
#: A node of the escape's obstacles is an exit if it sees a node of the finest fallback's open sea
#: this close [nm].
_EXIT_REACH_NM = 2.0
#: The land is simplified by half this fraction of the clearance, buffered by (1 + half of it) x
#: the clearance, and the outline simplified by half of it again [-].
_SIMPLIFY_FRACTION = 1.0
#: Nodes sit this far outside the obstacle corners [nm].
_NODE_OFFSET_NM = 0.01
#: First search bound: straight distance x _BOUND_FACTOR + _SLACK_NM; its excess x4 per retry.
_BOUND_FACTOR = 1.15
_SLACK_NM = 10.0
#: An end inside the buffer joins the nodes this close that it sees [nm] (last try: any node).
_REACH_NM = 10.0
#: Weight of the straight-line heuristic in A* (> 1: fewer expansions, routes up to x longer) [-],
#: and the larger one used with the finer clearances (many more nodes).
_HEURISTIC_WEIGHT = 1.05
_FALLBACK_HEURISTIC_WEIGHT = 1.3
#: Tolerance of the bitangent and bend tests (product of sines of angles) [-].
_TANGENT_TOL = 1e-6
#: Up to this many nodes, the node-to-node visibility memo is one dense n x n int8 table (11 MB for
#: the ~3400 nodes of the default clearance); above it (the finer fallback clearance, ~16 000
#: nodes) it is kept as rows of the nodes actually expanded [-].
_DENSE_MEMO_MAX_NODES = 6000


class _PairMemo:
    """Lazily filled, symmetric memo of whether the leg between two nodes is clear.

    Entries are int8 codes: 0 not yet known, 1 clear, 2 blocked. The nodes are fixed per obstacle
    set, so the memo lives on :class:`_Obstacles` and serves every later search. Whether a segment
    intersects the obstacles does not depend on its direction (GEOS predicates are exact), so one
    entry serves both ``i -> j`` and ``j -> i``.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.dense = np.zeros((n, n), dtype=np.int8) if n <= _DENSE_MEMO_MAX_NODES else None
        self.rows: dict[int, np.ndarray] = {}

    def get(self, i: int, js: np.ndarray) -> np.ndarray:
        """Codes of the legs from node ``i`` to nodes ``js``."""
        if self.dense is not None:
            return self.dense[i, js]
        row = self.rows.get(i)
        return np.zeros(len(js), dtype=np.int8) if row is None else row[js]

    def put_one(self, i: int, j: int, code: int) -> None:
        """Record the code of the leg between nodes ``i`` and ``j``."""
        if self.dense is not None:
            self.dense[i, j] = self.dense[j, i] = code
        else:
            self.put(i, np.array([j]), np.array([code], dtype=np.int8))

    def put(self, i: int, js: np.ndarray, codes: np.ndarray) -> None:
        """Record the codes of the legs from node ``i`` to nodes ``js``."""
        if self.dense is not None:
            self.dense[i, js] = codes
            self.dense[js, i] = codes
            return
        row = self.rows.get(i)
        if row is None:
            row = self.rows[i] = np.zeros(self.n, dtype=np.int8)
        row[js] = codes
        for j, c in zip(js.tolist(), codes.tolist()):
            other = self.rows.get(j)
            if other is not None:
                other[i] = c


@dataclass(frozen=True, eq=False)
class _Obstacles:
    """The buffered land, its convex corners and the pieces of open water (see the module notes).

    Attributes
    ----------
    clearance_nm : float
        The buffer distance [nm].
    union : shapely geometry
        Buffered, simplified land [nm], prepared.
    corners : numpy.ndarray, shape (n, 2)
        Convex corners of its rings [nm].
    nodes : numpy.ndarray, shape (n, 2)
        The corners pushed outwards by :data:`_NODE_OFFSET_NM` [nm].
    to_prev, to_next : numpy.ndarray, shape (n, 2)
        Unit vectors from each corner to its ring neighbours [-].
    free_tree : shapely.STRtree
        Index of the connected pieces of open water outside ``union`` (within 1000 nm of land),
        each piece prepared.
    piece : numpy.ndarray of int, shape (n,)
        The piece of open water each node lies in (index into ``free_tree.geometries``).
    memo : _PairMemo
        Node-to-node visibility found so far by any search (filled lazily).
    bitangent_rows : dict of int to numpy.ndarray of bool, shape (n,)
        For each node expanded so far, the nodes ``j`` such that the line between the two corners
        keeps off the land at both (filled lazily; see :meth:`bitangent_row`).
    """

    clearance_nm: float
    union: object
    corners: np.ndarray
    nodes: np.ndarray
    to_prev: np.ndarray
    to_next: np.ndarray
    free_tree: shapely.STRtree
    piece: np.ndarray
    memo: _PairMemo = field(init=False, repr=False)
    bitangent_rows: dict = field(init=False, repr=False, default_factory=dict)
    nodes_x: np.ndarray = field(init=False, repr=False)
    nodes_y: np.ndarray = field(init=False, repr=False)
    _usable: dict = field(init=False, repr=False, default_factory=dict)
    _exits: dict = field(init=False, repr=False, default_factory=dict)
    _open_sea: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "memo", _PairMemo(len(self.nodes)))
        object.__setattr__(self, "nodes_x", self.nodes[:, 0].copy())
        object.__setattr__(self, "nodes_y", self.nodes[:, 1].copy())

    def usable(self, pieces: tuple[int, ...]) -> tuple[np.ndarray, int]:
        """The nodes lying in the given pieces of open water (read-only mask), and their count."""
        hit = self._usable.get(pieces)
        if hit is None:
            mask = np.isin(self.piece, np.asarray(pieces, dtype=int))
            mask.flags.writeable = False
            hit = self._usable[pieces] = (mask, int(mask.sum()))
        return hit

    def open_sea(self) -> tuple[object, np.ndarray]:
        """The open sea as the nodes can sail it, and whether each node lies in it.

        The largest piece of the open water left outside the obstacles buffered by
        :data:`_NODE_OFFSET_NM` (prepared): slivers between two obstacles too thin to hold a node
        (which :attr:`piece` counts as water) cut off the pockets beyond them. Built on first use
        (~0.2 s) and kept; used only to get ends out of narrow water (see :func:`_escape`).
        """
        hit = self._open_sea.get("sea")
        if hit is None:
            x0, y0, x1, y1 = shapely.bounds(self.union)
            box = shapely.box(x0 - 1e3, y0 - 1e3, x1 + 1e3, y1 + 1e3)
            buffered = shapely.buffer(self.union, _NODE_OFFSET_NM, quad_segs=2)
            free = shapely.get_parts(shapely.difference(box, buffered))
            sea = free[np.argmax(shapely.area(free))]
            shapely.prepare(sea)
            inside = shapely.intersects_xy(sea, self.nodes_x, self.nodes_y)
            inside.flags.writeable = False
            hit = self._open_sea["sea"] = (sea, inside)
        return hit

    def joins_open_sea(self, geo: Geography, p: np.ndarray, reach_nm: float) -> bool:
        """Whether a search from point ``p`` [nm] can use the nodes of the open sea
        (:meth:`open_sea`): ``p`` lies in it, or lies inside the obstacles and sees one of its nodes
        within ``reach_nm`` across the real land (a point in a pocket of open water cut off by a
        sliver cannot)."""
        sea, inside = self.open_sea()
        if self.piece_of(p) >= 0:
            return bool(shapely.intersects_xy(sea, p[0], p[1]))
        near = inside & (np.hypot(self.nodes_x - p[0], self.nodes_y - p[1]) <= reach_nm)
        q = self.nodes[near]
        return bool(len(q)) and not geo.segment_crosses_land(p[0], p[1], q[:, 0], q[:, 1]).all()

    def is_exit(self, geo: Geography, other: _Obstacles, i: int) -> bool:
        """Whether node ``i`` joins the open sea of ``other`` (obstacles of the same geography with
        a larger clearance; see :meth:`joins_open_sea`, within :data:`_EXIT_REACH_NM`). Kept per
        clearance of ``other``."""
        key = (other.clearance_nm, i)
        hit = self._exits.get(key)
        if hit is None:
            hit = self._exits[key] = other.joins_open_sea(geo, self.nodes[i], _EXIT_REACH_NM)
        return hit

    def piece_of(self, p: np.ndarray) -> int:
        """The piece of open water holding point ``p`` [nm]; -1 inside the buffer."""
        # Same answer as ``query(point, predicate="intersects")[0]``: the candidates come in the
        # same order, and the exact test runs on the prepared pieces rather than on the point.
        cand = self.free_tree.query(shapely.Point(p))
        if len(cand):
            pieces = self.free_tree.geometries.take(cand)
            cand = cand[shapely.intersects_xy(pieces, p[0], p[1])]
        return int(cand[0]) if len(cand) else -1

    def bitangent_row(self, i: int) -> np.ndarray:
        """Whether the line from corner ``i`` to each corner keeps off the land at both ends.

        The same test as :meth:`_Graph._tangent` in both directions, done once per corner over all
        corners and kept.
        """
        row = self.bitangent_rows.get(i)
        if row is None:
            c = self.corners
            d = _unit(c - c[i])
            ok = _cross(d, self.to_prev[i]) * _cross(d, self.to_next[i]) >= -_TANGENT_TOL
            d = _unit(c[i] - c)
            ok &= _cross(d, self.to_prev) * _cross(d, self.to_next) >= -_TANGENT_TOL
            row = self.bitangent_rows[i] = ok
        return row


def _unit(v: np.ndarray) -> np.ndarray:
    """Unit vectors along the last axis (zero vectors stay zero)."""
    n = np.hypot(v[..., 0], v[..., 1])[..., None]
    return v / np.where(n > 0.0, n, 1.0)


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """z component of the cross product of 2-d vectors along the last axis."""
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


@lru_cache(maxsize=8)
def _obstacles(geo: Geography, clearance_nm: float) -> _Obstacles:
    """Build (once per geography and clearance) the obstacles, their corners and the open water."""
    half_tol = 0.5 * _SIMPLIFY_FRACTION * clearance_nm
    land = shapely.simplify(geo.land_nm, half_tol)
    union = shapely.simplify(shapely.buffer(land, clearance_nm + half_tol, quad_segs=2), half_tol)
    union = shapely.orient_polygons(shapely.make_valid(union))  # land on the left of every ring
    rings = shapely.get_rings(shapely.get_parts(union))
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    # Closed rings repeat their first vertex: drop it, then find neighbours within each ring.
    repeat = np.r_[ring_of[1:] != ring_of[:-1], True]
    coords, ring_of = coords[~repeat], ring_of[~repeat]
    first = np.flatnonzero(np.r_[True, ring_of[1:] != ring_of[:-1]])
    lengths = np.diff(np.r_[first, len(coords)])
    start, size = np.repeat(first, lengths), np.repeat(lengths, lengths)
    k = np.arange(len(coords)) - start
    prev, nxt = coords[start + (k - 1) % size], coords[start + (k + 1) % size]
    d_in, d_out = _unit(coords - prev), _unit(nxt - coords)
    convex = _cross(d_in, d_out) > 1e-9  # a left turn: the land on the inside
    outward = _unit(np.column_stack([d_in[:, 1] + d_out[:, 1], -d_in[:, 0] - d_out[:, 0]]))
    nodes = coords + _NODE_OFFSET_NM * outward
    shapely.prepare(union)
    keep = convex & ~shapely.intersects_xy(union, nodes[:, 0], nodes[:, 1])
    x0, y0, x1, y1 = shapely.bounds(union)
    box = shapely.box(x0 - 1e3, y0 - 1e3, x1 + 1e3, y1 + 1e3)
    free = shapely.get_parts(shapely.difference(box, union))
    shapely.prepare(free)
    free_tree = shapely.STRtree(free)
    nodes = nodes[keep]
    # As ``query(points, predicate="intersects")``, but the exact test runs on the prepared pieces
    # (the ocean piece has thousands of holes: testing it unprepared per point is slow).
    pi, fi = free_tree.query(shapely.points(nodes))
    hit = shapely.intersects_xy(free.take(fi), nodes[pi, 0], nodes[pi, 1])
    piece = np.full(len(nodes), -1)
    piece[pi[hit]] = fi[hit]
    return _Obstacles(
        clearance_nm=clearance_nm,
        union=union,
        corners=coords[keep],
        nodes=nodes,
        to_prev=_unit(prev - coords)[keep],
        to_next=_unit(nxt - coords)[keep],
        free_tree=free_tree,
        piece=piece,
    )


def route_length_nm(route_nm) -> float:
    """Length of a polyline [nm].

    Parameters
    ----------
    route_nm : array_like, shape (k, 2)
        Waypoints [nm].

    Returns
    -------
    float
        Sum of the planar leg lengths [nm].
    """
    r = np.asarray(route_nm, dtype=float)
    return float(np.sum(np.hypot(*np.diff(r, axis=0).T)))


def _point(name: str, p) -> np.ndarray:
    a = np.asarray(p, dtype=float).reshape(-1)
    if a.shape != (2,) or not np.all(np.isfinite(a)):
        raise ValueError(f"sea_route {name} = {p!r}: must be a finite (x_nm, y_nm) pair")
    return a


def sea_route(
    geo: Geography, start_nm, end_nm, *, clearance_nm: float = CLEARANCE_NM
) -> np.ndarray:
    """Waypoints of a short sea route from ``start_nm`` to ``end_nm`` whose legs never touch land.

    Parameters
    ----------
    geo : Geography
        The geography (see :func:`~mda_sim.geography.load_geography`).
    start_nm, end_nm : array_like, shape (2,)
        Ends of the voyage in frame coordinates [nm]; both must be at sea.
    clearance_nm : float, optional
        Nominal distance kept from the coast where the route turns around land [nm], > 0 (the
        outline used lies about 0.5–1.5 x this from the coast). Ends closer to the coast join the
        route by legs checked against the real coast; a finer clearance (x 0.2) is used where needed
        to join the ends (through a strait the buffer closes, out of a narrow inlet), and a much
        finer one (x 0.05) to get an end out of a creek or lagoon that one closes.

    Returns
    -------
    numpy.ndarray, shape (k, 2)
        Waypoints [nm], ``k >= 2``: the first is ``start_nm``, the last ``end_nm``. Exactly these
        two when the straight line is clear of land; otherwise a shortest route around the land
        buffered by the clearance (within the tolerances in the module notes). No leg touches land:
        :meth:`~mda_sim.geography.Geography.segment_crosses_land` is false for every leg.

    Raises
    ------
    ValueError
        If an end is on land or not a finite pair, if ``clearance_nm <= 0``, or if no route is found
        (an end in water closed off from the sea, or joined to it only by an opening narrower than
        about 4 x 0.05 x ``clearance_nm``, 0.1 nm by default).

    Notes
    -----
    Shortest paths among polygonal obstacles bend only at the obstacles' convex corners and use
    only bitangent edges (Lozano-Pérez & Wesley 1979; de Berg et al. 2008, ch. 15). A* with the
    (weighted) straight-line heuristic searches that visibility graph, built lazily and memoised
    across calls. Measured cost (one core): ~0.1 ms for a clear line, ~1–3 ms around an island
    once the memos are warm; a first call per process and clearance builds the obstacles (~0.6 s
    for the default clearance, ~1.2 s for the finer fallback one, ~3 s for the escape one, with
    ~53 000 nodes). An escape costs seconds cold (measured: 0.2–20 s, builds included, for 12
    voyages that needed one, most of it in the search at the finer clearance that follows).

    References
    ----------
    Lozano-Pérez, T. & Wesley, M. A. (1979). An algorithm for planning collision-free paths among
    polyhedral obstacles. Commun. ACM 22(10), 560–570.
    de Berg, M., Cheong, O., van Kreveld, M. & Overmars, M. (2008). Computational Geometry, 3rd ed.,
    ch. 15 (Visibility graphs). Springer.
    """
    s, e = _point("start_nm", start_nm), _point("end_nm", end_nm)
    if not clearance_nm > 0.0:
        raise ValueError(f"sea_route clearance_nm = {clearance_nm}: must be > 0")
    for name, p in (("start_nm", s), ("end_nm", e)):
        if geo.is_land(p[0], p[1]):
            lon, lat = geo.frame.to_lonlat(p[0], p[1])
            raise ValueError(
                f"sea_route {name} = ({p[0]:.3f}, {p[1]:.3f}) nm "
                f"(lon {float(lon):.4f}, lat {float(lat):.4f} deg) is on land: "
                "both ends must be at sea"
            )
    route = _search(geo, s, e, float(clearance_nm))
    if route is None:
        route = _escape(geo, s, e, float(clearance_nm))
    if route is None:
        narrow = float(clearance_nm) * _ESCAPE_FRACTION
        raise ValueError(
            f"sea_route: no route from ({s[0]:.3f}, {s[1]:.3f}) nm to ({e[0]:.3f}, {e[1]:.3f}) nm, "
            f"even with a clearance of {narrow:g} nm: is an end in water closed off from the sea, "
            f"or joined to it only by an opening narrower than about {4 * narrow:g} nm?"
        )
    return route


def _search(geo: Geography, s: np.ndarray, e: np.ndarray, clearance_nm: float) -> np.ndarray | None:
    """The route from ``s`` to ``e`` with the asked clearance, then the finer ones; None if none
    joins the ends (steps 1-4 of the module notes)."""
    if not geo.segment_crosses_land(s[0], s[1], e[0], e[1]):
        return np.array([s, e])
    fine = clearance_nm * _FALLBACK_FRACTIONS[-1]
    tries = [(clearance_nm, _REACH_NM, _HEURISTIC_WEIGHT)]
    for fraction in _FALLBACK_FRACTIONS:
        tries.append((clearance_nm * fraction, _REACH_NM, _FALLBACK_HEURISTIC_WEIGHT))
    for c_nm, reach_nm, weight in [*tries, (fine, np.inf, _FALLBACK_HEURISTIC_WEIGHT)]:
        route = _route(geo, _obstacles(geo, c_nm), s, e, reach_nm, weight)
        if route is not None:
            return route
    return None


def _escape(geo: Geography, s: np.ndarray, e: np.ndarray, clearance_nm: float) -> np.ndarray | None:
    """Step 5 of the module notes: get the ends out of narrow water, then route between the exits.

    An end that does not join the open sea of the finest clearance's obstacles (see
    :meth:`_Obstacles.joins_open_sea`: it sees none of their nodes, or only nodes of a lagoon or
    pocket their buffer closes) is routed over the obstacles of the escape clearance
    (:data:`_ESCAPE_FRACTION`) towards the other end, up to the first node that joins that open
    sea (its *exit*, see :meth:`_Obstacles.is_exit`), or to the other end if reached first. The
    exits are joined by :func:`_search`, and an exit is dropped where its neighbours see each other
    across the real land. None if an end has no way out, or none needed one (the failure lay
    elsewhere).
    """
    fine = _obstacles(geo, clearance_nm * _FALLBACK_FRACTIONS[-1])
    narrow = _obstacles(geo, clearance_nm * _ESCAPE_FRACTION)

    def goal(i: int) -> bool:
        return narrow.is_exit(geo, fine, i)

    head, tail = s[None, :], e[None, :]
    for which in (0, 1):
        here = head[-1] if which == 0 else tail[0]
        there = tail[0] if which == 0 else head[-1]
        if fine.joins_open_sea(geo, here, _REACH_NM):
            continue
        out = _route(geo, narrow, here, there, _REACH_NM, _FALLBACK_HEURISTIC_WEIGHT, goal)
        if out is None:
            return None
        if which == 1:
            out = out[::-1]
        if np.array_equal(out[-1] if which == 0 else out[0], there):  # met the other end
            return np.vstack([head[:-1], out, tail[1:]])
        if which == 0:
            head = out
        else:
            tail = out
    if len(head) == 1 and len(tail) == 1:
        return None
    middle = _search(geo, head[-1], tail[0], clearance_nm)
    if middle is None:
        return None
    route = np.vstack([head[:-1], middle, tail[1:]])
    keep = np.ones(len(route), dtype=bool)
    for k in (len(head) - 1, len(route) - len(tail)):  # the exits
        if 0 < k < len(route) - 1:
            prev = np.flatnonzero(keep[:k])[-1]
            if not geo.segment_crosses_land(*route[prev], *route[k + 1]):
                keep[k] = False
    return route[keep]


def _links(geo: Geography, obs: _Obstacles, p: np.ndarray, reach_nm: float):
    """The pieces of open water a route from end ``p`` can use, and the nodes ``p`` joins.

    Returns
    -------
    pieces : numpy.ndarray of int
        The piece holding ``p`` or, for ``p`` inside the buffer, the pieces of the nodes it sees.
    seen : numpy.ndarray of bool, shape (n,), or None
        For ``p`` inside the buffer: the nodes within ``reach_nm`` seen across the real land.
    """
    own = obs.piece_of(p)
    if own >= 0:
        return np.array([own]), None
    near = np.flatnonzero(np.hypot(*(obs.nodes - p).T) <= reach_nm)
    q = obs.nodes[near]
    seen = np.zeros(len(obs.nodes), dtype=bool)
    seen[near] = ~geo.segment_crosses_land(p[0], p[1], q[:, 0], q[:, 1])
    return np.unique(obs.piece[seen]), seen


class _EndMemo:
    """Visibility found so far between the ends of one route and the nodes (int8 codes as in
    :class:`_PairMemo`), kept across the searches of that route (the bound grows between them)."""

    def __init__(self, n: int) -> None:
        self.from_start = np.zeros(n, dtype=np.int8)  # leg start -> node
        self.to_end = np.zeros(n, dtype=np.int8)  # leg node -> end
        self.start_end = np.zeros(1, dtype=np.int8)  # leg start -> end


class _Graph:
    """One search: start (node 0), end (node 1) and the corners ``idx`` of the obstacles.

    ``seen_s`` / ``seen_e`` (over all corners, or None) are the corners an end inside the buffer
    joins; legs between other nodes must not touch the buffered land. Legs already tested by an
    earlier search are looked up in ``obs.memo`` (between corners) or ``ends`` (from or to an end).
    ``goal`` (a test of a corner's index into the obstacles, or None): corners at which the search
    may also stop (an escape from narrow water, see :func:`_escape`).
    """

    def __init__(
        self,
        obs: _Obstacles,
        s: np.ndarray,
        e: np.ndarray,
        idx: np.ndarray,
        seen_s,
        seen_e,
        ends: _EndMemo,
        goal: Callable[[int], bool] | None = None,
    ) -> None:
        self.obs = obs
        self.union = obs.union
        self.ends = ends
        self.idx = idx
        # Global index of each node (the ends: -1); local node k >= 2 is corner idx[k - 2].
        self.gid = np.r_[-1, -1, idx]
        self.pts = np.vstack([s, e, obs.nodes[idx]])
        self.px, self.py = self.pts[:, 0].copy(), self.pts[:, 1].copy()
        # Tangency and bends are judged at the corners themselves (the nodes are pushed off them).
        self.anchor = np.vstack([s, e, obs.corners[idx]])
        self.ax, self.ay = self.anchor[:, 0].copy(), self.anchor[:, 1].copy()
        self.to_prev = np.vstack([np.zeros((2, 2)), obs.to_prev[idx]])
        self.to_next = np.vstack([np.zeros((2, 2)), obs.to_next[idx]])
        # The straight leg start -> end is known to be blocked.
        self.link = [None if a is None else np.r_[False, False, a[idx]] for a in (seen_s, seen_e)]
        self.goal = goal
        # Whether the line from each corner towards the end keeps off the land there.
        self.tangent_to_end = self._tangent(np.arange(len(self.pts)), e)

    def known(self, u: int, vs: np.ndarray) -> np.ndarray:
        """What is known so far of the legs from node ``u`` to nodes ``vs`` (not ``u``, not 0):
        int8 codes, 0 not yet tested, 1 clear, 2 blocked (the legs joining an end inside the
        buffer are known)."""
        if u == 0 and self.link[0] is not None:
            return np.where(self.link[0][vs], 1, 2).astype(np.int8)
        if u >= 2:
            code = self.obs.memo.get(int(self.gid[u]), self.gid[vs])
            to_end = self.ends.to_end[self.gid[u]]
        else:
            code = self.ends.from_start[self.gid[vs]]
            to_end = self.ends.start_end[0]
        # gid[1] = -1 picked a meaningless entry for the end: replace it.
        end = vs == 1
        if end.any():
            if self.link[1] is not None:
                to_end = 1 if self.link[1][u] else 2
            code[end] = to_end
        return code

    def _remember(self, u: int, vs: np.ndarray, code: np.ndarray) -> None:
        """Keep the codes of the legs just tested from node ``u`` to nodes ``vs`` (not 0)."""
        end = vs == 1
        if end.any():
            if u >= 2:
                self.ends.to_end[self.gid[u]] = code[end][0]
            elif u == 0:
                self.ends.start_end[0] = code[end][0]
            vs, code = vs[~end], code[~end]
        if u >= 2:
            self.obs.memo.put(int(self.gid[u]), self.gid[vs], code)
        elif u == 0:
            self.ends.from_start[self.gid[vs]] = code

    def visible(self, u: int, vs: np.ndarray) -> np.ndarray:
        """Whether the legs from node ``u`` to each of nodes ``vs`` (not ``u``, not 0) are clear.

        Legs not known yet are tested against the prepared obstacle union (all in one call) and
        remembered: between corners in ``obs.memo``, from or to an end in ``ends``.
        """
        vs = np.asarray(vs)
        code = self.known(u, vs)
        todo = code == 0
        if todo.any():
            w = vs[todo]
            a, b = self.pts[u], self.pts[w]
            lines = shapely.linestrings(np.stack([np.broadcast_to(a, b.shape), b], axis=1))
            code[todo] = new = np.where(shapely.intersects(self.union, lines), 2, 1).astype(np.int8)
            self._remember(u, w, new)
        return code == 1

    def _tangent(self, at: np.ndarray | int, towards: np.ndarray) -> np.ndarray:
        """Whether the line from corner(s) ``at`` towards points ``towards`` keeps off the land at
        ``at`` (both ring neighbours on one side of it); always true at the ends (nodes 0, 1)."""
        d = _unit(towards - self.anchor[at])
        ok = _cross(d, self.to_prev[at]) * _cross(d, self.to_next[at]) >= -_TANGENT_TOL
        return ok | (np.asarray(at) < 2)

    def _bends_to_land(self, p: int, u: int, vs: np.ndarray) -> np.ndarray:
        """Whether the path ``p -> u -> v`` turns towards the land at corner ``u`` (or goes on)."""
        a = _unit(self.anchor[u] - self.anchor[p])
        side = _cross(a, self.to_prev[u] + self.to_next[u])
        # _cross(a, _unit(anchor[vs] - anchor[u])) spelt out on the two columns (same operations).
        dx, dy = self.ax[vs] - self.ax[u], self.ay[vs] - self.ay[u]
        norm = np.hypot(dx, dy)
        norm[norm == 0.0] = 1.0
        turn = a[0] * (dy / norm) - a[1] * (dx / norm)
        return turn * side >= -_TANGENT_TOL

    def astar(self, bound_nm: float, weight: float) -> list[int] | None:
        """A short path (node indices) from node 0 to node 1 of length <= ``bound_nm``, or None.

        With a ``goal``, the path ends at the first goal corner (or node 1) closed.

        Weighted A* over the bitangent legs that bend towards the land (see the module notes).
        A leg whose visibility is not known yet is queued on trust and tested only when its entry
        comes off the queue (most never do). This returns exactly the path of the eager search
        (test every candidate leg as it is offered, queue the clear ones that lower a node's cost)
        because a node is closed by the first entry for it that comes off the queue with a clear
        leg: an entry of lower cost with a clear leg would have come off earlier (same heuristic,
        so a lower key), entries with equal keys come off in the order offered (``seq``), and
        entries whose leg is blocked or whose node is closed change nothing. ``g`` holds costs
        reached by clear legs only.
        """
        pts, px, py = self.pts, self.px, self.py
        n = len(pts)
        h = np.hypot(*(pts - pts[1]).T)
        g = np.full(n, np.inf)
        parent = np.full(n, -1)
        closed = np.zeros(n, dtype=bool)
        g[0] = 0.0
        # Entries (key, node, seq, parent, cost, leg known clear); seq breaks ties in offer order.
        heap = [(h[0], 0, 0, -1, 0.0, True)]
        seq = 1
        end_linked = self.link[1] is not None
        start_linked = self.link[0] is not None
        bitangent_row, idx = self.obs.bitangent_row, self.idx
        goal = self.goal
        while heap:
            _, u, _, p, cost_u, sure = heapq.heappop(heap)
            if closed[u] or not (sure or self._leg_clear(p, u)):
                continue
            closed[u] = True
            g[u], parent[u] = cost_u, p
            if u == 1 or (goal is not None and u >= 2 and goal(int(self.gid[u]))):
                path = [u]
                while path[-1] != 0:
                    path.append(int(parent[path[-1]]))
                return path[::-1]
            cost = cost_u + np.hypot(px - px[u], py - py[u])
            ok = ~closed & (cost < g)
            ok &= cost + h <= bound_nm
            if u >= 2 and not (p == 0 and start_linked):
                # Between corners, both tangencies at once from the kept row; to the end, the
                # tangency at u (none needed where the end joins by a leg over the buffer).
                ok[2:] &= bitangent_row(int(self.gid[u]))[idx]
                if not end_linked:
                    ok[1] &= self.tangent_to_end[u]
                cand = np.flatnonzero(ok)
                bends = self._bends_to_land(p, u, cand)
                if end_linked:
                    bends |= cand == 1
                cand = cand[bends]
            else:
                cand = np.flatnonzero(ok)
                if not (u == 0 and start_linked):
                    # A leg from or to an end inside the buffer runs over it: no tangency there.
                    cand = cand[self._tangent(cand, self.anchor[u])]
            code = self.known(u, cand)
            cand, code = cand[code != 2], code[code != 2]
            sure_v = code == 1
            g[cand[sure_v]] = cost[cand[sure_v]]
            c = cost[cand]
            for v, f, c_v, k in zip(
                cand.tolist(), (c + weight * h[cand]).tolist(), c.tolist(), sure_v.tolist()
            ):
                heapq.heappush(heap, (f, v, seq, u, c_v, k))
                seq += 1
        return None

    def _leg_clear(self, u: int, v: int) -> bool:
        """Test (and remember) the one leg from node ``u`` to node ``v`` not known yet."""
        code = 2 if self.union.intersects(shapely.linestrings(self.pts[[u, v]])) else 1
        if u >= 2:
            g_u = int(self.gid[u])
            if v == 1:
                self.ends.to_end[g_u] = code
            else:
                self.obs.memo.put_one(g_u, int(self.gid[v]), code)
        elif v == 1:
            self.ends.start_end[0] = code
        else:
            self.ends.from_start[self.gid[v]] = code
        return code == 1

    def string_pull(self, path: list[int]) -> list[int]:
        """Drop waypoints whose neighbours see each other (greedy: farthest visible first)."""
        out, i = [path[0]], 0
        while i < len(path) - 1:
            seen = np.flatnonzero(self.visible(path[i], np.asarray(path[i + 1 :])))
            i += 1 + (int(seen[-1]) if len(seen) else 0)
            out.append(path[i])
        return out


def _route(
    geo: Geography,
    obs: _Obstacles,
    s: np.ndarray,
    e: np.ndarray,
    reach_nm: float,
    weight: float,
    goal: Callable[[int], bool] | None = None,
) -> np.ndarray | None:
    """The route from ``s`` to ``e`` around ``obs`` [nm], or None if these obstacles allow none.

    Legs between nodes stay outside the buffer, so a route uses the nodes of one piece of open
    water, which both ends must reach (see :func:`_links`); otherwise None is returned at once.
    With ``goal`` (a test of a node's index), the route ends at the first goal node the search
    closes, or at ``e``, and may use every node ``s`` reaches.
    """
    pieces_s, seen_s = _links(geo, obs, s, reach_nm)
    pieces_e, seen_e = _links(geo, obs, e, reach_nm)
    pieces = pieces_s if goal is not None else np.intersect1d(pieces_s, pieces_e)
    usable, n_usable = obs.usable(tuple(pieces.tolist()))
    if n_usable == 0:
        return None
    straight = float(np.hypot(*(e - s)))
    nx, ny = obs.nodes_x, obs.nodes_y
    ends_sum = np.hypot(nx - s[0], ny - s[1]) + np.hypot(nx - e[0], ny - e[1])
    ends_sum[~usable] = np.inf
    bound = _BOUND_FACTOR * straight + _SLACK_NM
    ends = _EndMemo(len(obs.nodes))
    while True:
        inside = np.flatnonzero(ends_sum <= bound)
        graph = _Graph(obs, s, e, inside, seen_s, seen_e, ends, goal)
        path = graph.astar(bound, weight)
        if path is not None:
            break
        if len(inside) == n_usable:
            return None
        bound = straight + 4.0 * (bound - straight)
    route = graph.pts[graph.string_pull(path)]
    if np.any(geo.segment_crosses_land(*route[:-1].T, *route[1:].T)):
        return None
    return route
