"""Sea routes: never across land, from the given start to the given end, not much too long."""

from __future__ import annotations

import time
from functools import cache

import numpy as np
import pytest
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mda_sim.geography import Geography, load_geography, routing
from mda_sim.geography.routing import route_length_nm, sea_route

#: The JOA box of the reference brief [deg].
LON = st.floats(-72.0, -58.0)
LAT = st.floats(9.5, 21.0)


@pytest.fixture(scope="module")
def geo() -> Geography:
    return load_geography()


def xy(geo, lon, lat) -> np.ndarray:
    x, y = geo.frame.to_xy(lon, lat)
    return np.array([float(x), float(y)])


def check_route(geo, route, start, end) -> float:
    """Assert the route's invariants; return its length [nm]."""
    assert route.ndim == 2 and route.shape[1] == 2 and len(route) >= 2
    assert np.array_equal(route[0], start) and np.array_equal(route[-1], end)
    assert not geo.segment_crosses_land(*route[:-1].T, *route[1:].T).any()
    # Independently of the geography's coastline index: shapely on the land union.
    legs = shapely.linestrings(np.stack([route[:-1], route[1:]], axis=1))
    assert not shapely.intersects(geo.land_nm, legs).any()
    length = route_length_nm(route)
    assert length >= float(np.hypot(*(end - start))) - 1e-9
    return length


def around_convex_hull_nm(land, a, b) -> float:
    """Shortest way from ``a`` to ``b`` around the convex hull of ``land`` (exact, both sides)."""
    hull, ab = shapely.convex_hull(land), shapely.LineString([a, b])
    normal = np.array([-(b - a)[1], (b - a)[0]]) * 100.0
    lengths = []
    for side in (normal, -normal):
        half = shapely.Polygon([a, b, b + side, a + side])
        part = shapely.union_all([hull.intersection(half), shapely.MultiPoint([a, b])])
        wrapped = shapely.convex_hull(part)
        lengths.append(wrapped.length - ab.length)
    return min(lengths)


# ------------------------------------------------------------------------------ properties


@settings(max_examples=60, deadline=None)
@given(lon1=LON, lat1=LAT, lon2=LON, lat2=LAT)
def test_random_sea_pairs(geo, lon1, lat1, lon2, lat2):
    start, end = xy(geo, lon1, lat1), xy(geo, lon2, lat2)
    assume(not geo.is_land(*start) and not geo.is_land(*end))
    route = sea_route(geo, start, end)
    length = check_route(geo, route, start, end)
    straight = float(np.hypot(*(end - start)))
    assert length <= max(3.0 * straight, straight + 150.0)
    if min(geo.distance_to_coast_nm(*np.array([start, end]).T)) > 20.0:  # the open area
        assert length <= 3.0 * straight


#: The finest clearance the router keeps for the default one [nm]: it promises a route to every
#: end that a disc of this radius can reach from the open sea (see ``reachable_sea``).
FINEST_NM = routing.CLEARANCE_NM * routing._FALLBACK_FRACTIONS[-1]


@cache
def reachable_sea(geo_: Geography):
    """The open sea at least ``FINEST_NM`` from land (prepared): its largest piece, so without the
    lagoons or creeks joined to the sea only by openings narrower than 2 x FINEST_NM.

    A point within ``FINEST_NM`` of it lies in a disc of that radius that can sail in from the
    open sea (the morphological opening of the sea by that disc).
    """
    x0, y0, x1, y1 = geo_.land_nm.bounds
    box = shapely.box(x0 - 50.0, y0 - 50.0, x1 + 50.0, y1 + 50.0)
    parts = shapely.get_parts(shapely.difference(box, shapely.buffer(geo_.land_nm, FINEST_NM)))
    sea = parts[np.argmax(shapely.area(parts))]
    shapely.prepare(sea)
    return sea


def reachable(geo_: Geography, q) -> bool:
    """Whether a disc of radius ``FINEST_NM`` can reach ``q`` from the open sea."""
    return bool(shapely.dwithin(reachable_sea(geo_), shapely.Point(q), FINEST_NM))


@st.composite
def near_coast(draw, geo_: Geography):
    """A sea point 0.02–1.5 nm off the coast nearest a random point of the box, which a disc of
    radius ``FINEST_NM`` can reach from the open sea: not in water closed off from the sea (the
    shipped land has none), nor in a lagoon or creek joined to it only by an opening narrower than
    2 x FINEST_NM = 0.2 nm (the router routes most of those too, but does not promise to; see
    ``test_from_a_creek_of_a_lagoon_on_lake_maracaibo``)."""
    p = xy(geo_, draw(LON), draw(LAT))
    coast = np.asarray(shapely.shortest_line(geo_.land_nm.boundary, shapely.Point(p)).coords[0])
    away = p - coast
    assume(np.hypot(*away) > 1e-6)
    q = coast + away / np.hypot(*away) * draw(st.floats(0.02, 1.5))
    assume(not geo_.is_land(*q) and reachable(geo_, q))
    return q


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_pairs_near_the_coast(geo, data):
    """Ends inside the clearance buffer (berths, beaches) still get valid routes."""
    start = data.draw(near_coast(geo))
    end = data.draw(st.one_of(near_coast(geo), st.builds(lambda a, b: xy(geo, a, b), LON, LAT)))
    assume(not geo.is_land(*end) and reachable(geo, end))
    check_route(geo, sea_route(geo, start, end), start, end)


# ------------------------------------------------------------------------------ known cases


def test_open_sea_is_the_straight_line(geo):
    start, end = xy(geo, -64.0, 14.0), xy(geo, -66.0, 15.0)
    route = sea_route(geo, start, end)
    assert route.shape == (2, 2)
    assert np.array_equal(route, np.array([start, end]))


def test_guiria_to_puerto_rico_leaves_the_gulf_of_paria_by_the_dragons_mouths(geo):
    start, end = xy(geo, -62.25, 10.57), xy(geo, -66.6, 17.9)  # off Güiria; off Ponce
    route = sea_route(geo, start, end)
    length = check_route(geo, route, start, end)
    for code in ("TTO", "VEN"):
        assert not shapely.LineString(route).intersects(geo.territories[code].land)
    # Through the Bocas del Dragón, between Paria's tip and Trinidad's Chaguaramas peninsula.
    gate = shapely.LineString([xy(geo, -61.95, 10.70), xy(geo, -61.60, 10.70)])
    assert shapely.LineString(route).intersects(gate)
    assert length <= 1.1 * float(np.hypot(*(end - start)))


def test_across_saint_lucia_goes_around_it(geo):
    start, end = xy(geo, -61.12, 13.88), xy(geo, -60.82, 13.88)  # off the west and east coasts
    route = sea_route(geo, start, end)
    length = check_route(geo, route, start, end)
    around = around_convex_hull_nm(geo.territories["LCA"].land, start, end)
    assert len(route) > 2
    assert 0.99 * around <= length <= 1.5 * around


def test_leaving_a_beach_in_a_bay(geo):
    """Grand Anse beach, Grenada (0.3 nm off, inside the clearance) to Grenville on the far side."""
    start, end = xy(geo, -61.765, 12.03), xy(geo, -61.58, 12.12)
    assert geo.distance_to_coast_nm(*start) < 0.5 and not geo.is_land(*end)
    length = check_route(geo, sea_route(geo, start, end), start, end)
    assert length <= 2.5 * float(np.hypot(*(end - start)))


def test_through_a_strait_the_buffer_closes(geo):
    """Lake Maracaibo joins the Gulf of Venezuela by a strait the 0.5 nm clearance closes."""
    start, end = xy(geo, -71.27, 10.05), xy(geo, -71.0, 11.5)
    check_route(geo, sea_route(geo, start, end), start, end)


def test_from_a_creek_of_a_lagoon_on_lake_maracaibo(geo):
    """Regression: hypothesis found this pair (off Guyana; 0.001 nm off the west shore of Lake
    Maracaibo at 72.009 W, 9.516 N). The end lies at the head of a creek about 0.16 nm wide, in a
    lagoon joined to the lake by an opening about 0.18 nm wide: water the finest clearance (0.1 nm)
    closes, so the route gets out over the escape clearance (0.025 nm; it used to raise)."""
    start, end = np.array([349.3543746, -424.85136591]), np.array([-416.15612674, -336.6339479])
    assert geo.distance_to_coast_nm(*end) < 0.01 and not reachable(geo, end)
    length = check_route(geo, sea_route(geo, start, end), start, end)
    assert length <= 1.5 * float(np.hypot(*(end - start)))


def test_from_a_channel_the_finest_outline_closes(geo):
    """Regression: 0.15 nm off Providenciales (Turks and Caicos), in a channel a 0.1 nm disc can
    sail (wider than 0.2 nm) but which the finest clearance's outline (up to ~0.18 nm off the coast)
    closes; it used to raise."""
    start, end = np.array([-385.0379078320182, 402.4417519159718]), xy(geo, -72.2277, 22.0336)
    assert reachable(geo, start) and geo.distance_to_coast_nm(*start) < 0.2
    check_route(geo, sea_route(geo, start, end), start, end)


def test_from_a_pocket_cut_off_by_a_sliver(geo):
    """Regression: 0.17 nm off the north coast of Antigua, in open water the finest clearance's
    outline leaves joined to the sea only by a sliver too thin for its nodes; it used to raise."""
    start, end = np.array([188.14045270862223, 112.07815499550475]), xy(geo, -61.9338, 17.3017)
    assert reachable(geo, start) and geo.distance_to_coast_nm(*start) < 0.2
    check_route(geo, sea_route(geo, start, end), start, end)


def test_is_deterministic(geo):
    start, end = xy(geo, -61.5, 9.9), xy(geo, -66.5, 18.7)
    assert np.array_equal(sea_route(geo, start, end), sea_route(geo, start, end))


def test_is_fast(geo):
    """Well under 10 ms around one island, < 100 ms across the area (generous margins for CI)."""
    cases = [
        (xy(geo, -61.12, 13.88), xy(geo, -60.82, 13.88), 0.02),  # around Saint Lucia
        (xy(geo, -61.5, 9.9), xy(geo, -66.5, 18.7), 0.15),  # south of Trinidad to north of PR
    ]
    for start, end, limit_s in cases:
        sea_route(geo, start, end)  # warm the caches
        t0 = time.perf_counter()
        for _ in range(5):
            sea_route(geo, start, end)
        assert (time.perf_counter() - t0) / 5 < limit_s


def test_memoised_legs_match_shapely(geo):
    """Legs looked up in the memos (any order of nodes, the end anywhere) are those shapely finds."""
    start, end = xy(geo, -61.5, 9.9), xy(geo, -66.5, 18.7)
    sea_route(geo, start, end)  # fills the memos
    obs = routing._obstacles(geo, routing.CLEARANCE_NM)
    ends_sum = np.hypot(*(obs.nodes - start).T) + np.hypot(*(obs.nodes - end).T)
    idx = np.flatnonzero(ends_sum <= 1.15 * float(np.hypot(*(end - start))) + 10.0)
    graph = routing._Graph(obs, start, end, idx, None, None, routing._EndMemo(len(obs.nodes)))
    rng = np.random.default_rng(3)
    for _ in range(40):
        u = int(rng.choice([0, *rng.integers(2, len(graph.pts), size=3)]))
        vs = rng.permutation(np.r_[rng.choice(np.arange(2, len(graph.pts)), 8, replace=False), 1])
        vs = vs[vs != u]
        a = np.broadcast_to(graph.pts[u], (len(vs), 2))
        expected = ~shapely.intersects(obs.union, shapely.linestrings(np.stack([a, graph.pts[vs]], 1)))
        for _ in range(2):  # tested, then looked up
            assert np.array_equal(graph.visible(u, vs), expected)


def test_routes_do_not_depend_on_earlier_routes(geo):
    """The memos filled by earlier routes change no waypoint (the engine's logs must not move)."""
    rng = np.random.default_rng(11)
    pairs = []
    while len(pairs) < 30:
        p, q = (xy(geo, *rng.uniform([-62.0, 12.0], [-60.5, 15.0])) for _ in range(2))
        if not geo.is_land(*p) and not geo.is_land(*q):
            pairs.append((p, q))
    first = [sea_route(geo, p, q) for p, q in pairs]
    again = [sea_route(geo, p, q) for p, q in pairs[::-1]][::-1]
    routing._obstacles.cache_clear()  # cold memos
    cold = [sea_route(geo, p, q) for p, q in pairs[::-1]][::-1]
    for a, b, c in zip(first, again, cold):
        assert np.array_equal(a, b) and np.array_equal(a, c)


# ------------------------------------------------------------------------------ errors


def test_ends_on_land_are_named(geo):
    land, sea = xy(geo, -61.0, 13.9), xy(geo, -64.0, 14.0)  # inland Saint Lucia; open sea
    with pytest.raises(ValueError, match="start_nm .* on land"):
        sea_route(geo, land, sea)
    with pytest.raises(ValueError, match="end_nm .* on land"):
        sea_route(geo, sea, land)


def test_bad_arguments(geo):
    sea = xy(geo, -64.0, 14.0)
    with pytest.raises(ValueError, match="start_nm"):
        sea_route(geo, (np.nan, 0.0), sea)
    with pytest.raises(ValueError, match="end_nm"):
        sea_route(geo, sea, (1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="clearance_nm = 0"):
        sea_route(geo, sea, sea, clearance_nm=0)
