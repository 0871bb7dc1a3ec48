"""The shipped geography: API, known places, islands, and properties of the zones."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pyproj
import pytest
import shapely

from mda_sim.geography import DEFAULT_FRAME, Geography, Zone, load_geography
from mda_sim.geography.store import decode_geometries, encode_geometries, read_store
from mda_sim.units import M_PER_NM

GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def geo() -> Geography:
    return load_geography()


def xy(geo, lon, lat):
    return geo.frame.to_xy(lon, lat)


def nearest_land_owner(geo, x, y) -> tuple[str, float]:
    """Slow reference: the territory with the nearest land, and that distance [nm]."""
    p = shapely.Point(float(x), float(y))
    d, code = min((t.land.distance(p), c) for c, t in geo.territories.items())
    return code, d


# -------------------------------------------------------------------------------------- the API


def test_loads_fast_and_is_cached():
    load_geography.cache_clear()
    t0 = time.perf_counter()
    geo = load_geography()
    assert time.perf_counter() - t0 < 1.0
    assert load_geography() is geo
    assert geo.frame == DEFAULT_FRAME


def test_bounds_and_territories(geo):
    assert geo.bounds_deg == (-76.0, -54.5, 6.0, 25.0)
    expected = {
        "PRI": "USA", "VIR": "USA", "UMI": "USA", "VGB": "GBR", "AIA": "GBR", "MSR": "GBR", "TCA": "GBR",
        "GLP": "FRA", "MTQ": "FRA", "MAF": "FRA", "BLM": "FRA", "SXM": "NLD", "BES": "NLD", "CUW": "NLD",
        "ABW": "NLD", "ATG": "ATG", "KNA": "KNA", "DMA": "DMA", "LCA": "LCA", "VCT": "VCT", "GRD": "GRD",
        "BRB": "BRB", "TTO": "TTO", "DOM": "DOM", "HTI": "HTI", "CUB": "CUB", "BHS": "BHS", "VEN": "VEN",
        "COL": "COL", "GUY": "GUY",
    }  # fmt: skip
    for code, sovereign in expected.items():
        t = geo.territories[code]
        assert (t.code, t.sovereign) == (code, sovereign)
        assert t.name and not t.land.is_empty
    assert "FRA" not in geo.territories and "NLD" not in geo.territories


def test_zone_values():
    assert [int(z) for z in Zone] == [0, 1, 2, 3, 4]
    assert [z.name for z in Zone] == ["LAND", "TERRITORIAL_SEA", "CONTIGUOUS_ZONE", "EEZ", "HIGH_SEAS"]


def test_scalars_arrays_and_empty_inputs(geo):
    x, y = xy(geo, -60.95, 13.9)  # on Saint Lucia
    assert geo.is_land(x, y).shape == () and bool(geo.is_land(x, y))
    zone, terr = geo.waters(float(x), float(y))
    assert zone.dtype == np.int8 and int(zone) == Zone.LAND and str(terr) == "LCA"
    assert float(geo.distance_to_coast_nm(x, y)) == 0.0
    grid_x, grid_y = np.meshgrid(np.linspace(-100, 100, 4), np.linspace(-50, 50, 3))
    zone, terr = geo.waters(grid_x, grid_y)
    assert zone.shape == terr.shape == (3, 4)
    assert geo.is_land(np.array([]), np.array([])).shape == (0,)
    assert geo.waters(np.array([]), np.array([]))[0].shape == (0,)
    assert geo.segment_crosses_land([], [], [], []).shape == (0,)
    assert geo.distance_to_coast_nm(np.array([]), np.array([])).shape == (0,)


def test_waters_lonlat_matches_waters(geo):
    lon, lat = np.array([-61.07, -56.0, -63.08]), np.array([14.01, 15.0, 18.15])
    z1, t1 = geo.waters_lonlat(lon, lat)
    z2, t2 = geo.waters(*geo.frame.to_xy(lon, lat))
    assert (z1 == z2).all() and (t1 == t2).all()


# ---------------------------------------------------------------------------------- known places


def test_five_nm_off_castries_is_saint_lucia_territorial_sea(geo):
    lon, lat, _ = GEOD.fwd(-60.99, 14.01, 270.0, 5 * M_PER_NM)
    zone, terr = geo.waters_lonlat(lon, lat)
    assert (int(zone), str(terr)) == (Zone.TERRITORIAL_SEA, "LCA")


@pytest.mark.parametrize("lon, lat", [(-67.88, 18.50), (-67.6, 18.2)])  # centre [S55]; brief's point
def test_mona_passage_is_beyond_the_territorial_sea_and_split_by_equidistance(geo, lon, lat):
    x, y = xy(geo, lon, lat)
    zone, terr = geo.waters(x, y)
    owner, d = nearest_land_owner(geo, x, y)
    assert d > 12.0
    assert int(zone) in (Zone.CONTIGUOUS_ZONE, Zone.EEZ)
    assert str(terr) == owner == "PRI"  # Desecheo / Mona are nearer than Hispaniola


def test_anguilla_channel_is_territorial_sea(geo):
    zone, terr = geo.waters_lonlat(-63.08, 18.15)
    assert int(zone) == Zone.TERRITORIAL_SEA
    assert str(terr) in ("AIA", "MAF")
    assert str(terr) == nearest_land_owner(geo, *xy(geo, -63.08, 18.15))[0]


def test_far_atlantic_is_high_seas(geo):
    x, y = xy(geo, -56.0, 15.0)
    zone, terr = geo.waters(x, y)
    assert (int(zone), str(terr)) == (Zone.HIGH_SEAS, "")
    assert float(geo.distance_to_coast_nm(x, y)) > 200.0


def test_caribbean_sea_west_of_the_windwards_is_an_eez(geo):
    zone, terr = geo.waters_lonlat(-62.5, 14.5)  # between Martinique and Isla de Aves
    assert int(zone) == Zone.EEZ and str(terr) != ""


# -------------------------------------------------------------------------------------- islands

#: (island, reference (lon, lat) [deg], a point on the island in the data (lon, lat) [deg], territory).
#: References: reference/treaty-partners-threats-geography.md §5.3 (Sombrero [S56]; Saba and Sint
#: Eustatius "est."); the others are approximate island centres. The on-island points were checked
#: against the GSHHG shoreline (small islets are offset by up to ~2 nm there).
ISLANDS = [
    ("Saba", (-63.24, 17.63), (-63.2402, 17.6297), "BES"),
    ("Sint Eustatius", (-62.98, 17.49), (-62.975, 17.49), "BES"),
    ("Montserrat", (-62.19, 16.74), (-62.19, 16.74), "MSR"),
    ("Sombrero", (-63.427, 18.587), (-63.4245, 18.6001), "AIA"),
    ("Redonda", (-62.346, 16.939), (-62.3500, 16.9387), "ATG"),
    ("Desecheo", (-67.483, 18.382), (-67.4794, 18.3819), "PRI"),
    ("Monito", (-67.947, 18.161), (-67.9532, 18.1561), "PRI"),
    ("Mona", (-67.89, 18.09), (-67.8945, 18.0895), "PRI"),
    ("Bequia", (-61.23, 13.01), (-61.23, 13.01), "VCT"),
    ("Carriacou", (-61.45, 12.48), (-61.45, 12.48), "GRD"),
    ("Mustique", (-61.19, 12.875), (-61.19, 12.875), "VCT"),
    ("Union Island", (-61.43, 12.60), (-61.43, 12.60), "VCT"),
    ("Barbuda", (-61.80, 17.63), (-61.80, 17.63), "ATG"),
    ("Isla de Aves", (-63.618, 15.672), (-63.6377, 15.6988), "VEN"),
    ("Marie-Galante", (-61.27, 15.94), (-61.27, 15.94), "GLP"),
    ("Navassa", (-75.012, 18.402), (-75.0153, 18.4075), "UMI"),
    ("Saint-Barthélemy", (-62.852, 17.896), (-62.84, 17.90), "BLM"),
    ("Bonaire", (-68.27, 12.15), (-68.27, 12.15), "BES"),
]


@pytest.mark.parametrize("name, ref, on_island, code", ISLANDS, ids=[i[0] for i in ISLANDS])
def test_island_present_and_attributed(geo, name, ref, on_island, code):
    x, y = xy(geo, *on_island)
    assert bool(geo.is_land(x, y)), f"{name}: {on_island} is not land"
    zone, terr = geo.waters(x, y)
    assert (int(zone), str(terr)) == (Zone.LAND, code)
    rx, ry = xy(geo, *ref)
    assert float(geo.distance_to_coast_nm(rx, ry)) < 2.5, f"{name}: reference point far from land"
    zone, terr = geo.waters(rx, ry)
    assert int(zone) in (Zone.LAND, Zone.TERRITORIAL_SEA) and str(terr) == code


# ----------------------------------------------------------------------------------- properties


def test_zones_nest_and_contain_land(geo):
    for t in geo.territories.values():
        chain = [t.land, t.territorial_sea, t.contiguous_zone, t.eez]
        for inner, outer in itertools.pairwise(chain):
            assert inner.difference(outer).area < 0.05, t.code  # [nm²]; exact up to the 0.001 nm grid
        assert t.territorial_sea.area > t.land.area


def test_eezs_of_different_territories_do_not_overlap(geo):
    ts = list(geo.territories.values())
    tree = shapely.STRtree([t.eez for t in ts])
    left, right = tree.query([t.eez for t in ts], predicate="intersects")
    for i, j in zip(left, right):
        if i < j:
            overlap = ts[i].eez.intersection(ts[j].eez)
            # Only slivers from simplifying each side of a shared line (EEZ tolerance 0.1 nm):
            # a small area, and nowhere wider than twice the tolerance.
            assert overlap.area < 10.0, (ts[i].code, ts[j].code, overlap.area)  # [nm²]
            assert overlap.buffer(-0.2).is_empty, (ts[i].code, ts[j].code)


def test_waters_agrees_with_a_slow_per_polygon_reference(geo):
    rng = np.random.default_rng(20240601)
    x0, y0 = geo.frame.to_xy(-72.0, 9.5)
    x1, y1 = geo.frame.to_xy(-58.0, 21.0)
    x = rng.uniform(min(x0, x1), max(x0, x1), 400)
    y = rng.uniform(y0, y1, 400)
    zone, terr = geo.waters(x, y)
    fields = ["land", "territorial_sea", "contiguous_zone", "eez"]
    checked = 0
    for k in range(len(x)):
        p = shapely.Point(x[k], y[k])
        hits = [(z, c) for c, t in geo.territories.items() for z, f in enumerate(fields) if getattr(t, f).contains(p)]
        near_edge = any(getattr(t, f).boundary.distance(p) < 0.5 for t in geo.territories.values() for f in fields)
        if near_edge:
            continue
        expected = min(hits) if hits else (int(Zone.HIGH_SEAS), "")
        assert (int(zone[k]), str(terr[k])) == expected
        checked += 1
    assert checked > 300
    assert set(zone.tolist()) >= {int(Zone.LAND), int(Zone.EEZ), int(Zone.HIGH_SEAS)}


def test_sea_zone_follows_distance_and_nearest_coast(geo):
    """Away from the box edges, the zone and owner follow the distance to the nearest coast."""
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(-70.0, -60.0, 150), rng.uniform(11.0, 19.5, 150)
    x, y = geo.frame.to_xy(lon, lat)
    zone, terr = geo.waters(x, y)
    dist = geo.distance_to_coast_nm(x, y)
    for k in range(len(x)):
        if min(abs(dist[k] - b) for b in (0.0, 12.0, 24.0, 200.0)) < 0.5:
            continue
        expected_zone = np.searchsorted([0.0, 12.0, 24.0, 200.0], dist[k]) if dist[k] > 0 else 0
        assert int(zone[k]) == expected_zone, (lon[k], lat[k], dist[k])
        if 0 < dist[k] < 200:
            owner, d = nearest_land_owner(geo, x[k], y[k])
            if abs(d - dist[k]) < 1e-6:
                assert str(terr[k]) == owner or zone[k] == Zone.EEZ  # EEZ split lines are simplified


def test_distance_to_coast_matches_shapely(geo):
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-400, 400, 300), rng.uniform(-300, 300, 300)
    expected = shapely.distance(geo.land_nm, shapely.points(x, y))
    assert np.allclose(geo.distance_to_coast_nm(x, y), expected, atol=1e-9)


def test_is_land_matches_land_union(geo):
    rng = np.random.default_rng(4)
    x, y = rng.uniform(-400, 400, 2000), rng.uniform(-300, 300, 2000)
    assert (geo.is_land(x, y) == shapely.contains_xy(geo.land_nm, x, y)).all()


def test_segment_crosses_land_known_lines(geo):
    def crosses(a, b):
        return bool(geo.segment_crosses_land(*xy(geo, *a), *xy(geo, *b)))

    assert crosses((-61.2, 14.0), (-60.7, 14.0))  # across Saint Lucia
    assert not crosses((-61.5, 14.3), (-60.5, 14.3))  # through the Saint Lucia Channel
    assert not crosses((-64.0, 14.0), (-63.0, 13.0))  # open Caribbean
    assert crosses((-68.0, 18.5), (-65.0, 18.2))  # over Puerto Rico


def test_segment_crosses_land_matches_shapely(geo):
    rng = np.random.default_rng(5)
    n = 500
    x0, y0 = rng.uniform(-400, 400, n), rng.uniform(-300, 300, n)
    length, bearing = rng.uniform(0, 150, n), rng.uniform(0, 2 * np.pi, n)
    x1, y1 = x0 + length * np.sin(bearing), y0 + length * np.cos(bearing)
    got = geo.segment_crosses_land(x0, y0, x1, y1)
    lines = shapely.linestrings(np.stack([np.c_[x0, y0], np.c_[x1, y1]], axis=1))
    assert (got == shapely.intersects(geo.land_nm, lines)).all()
    assert 0 < got.mean() < 1


def test_land_area_fraction(geo):
    x, y = xy(geo, -60.97, 13.9)  # Saint Lucia's centre
    assert geo.land_area_fraction(shapely.Point(float(x), float(y)).buffer(3.0)) > 0.98
    x, y = xy(geo, -63.0, 14.0)
    assert geo.land_area_fraction(shapely.Point(float(x), float(y)).buffer(20.0)) == 0.0
    box = shapely.box(-150, -100, 150, 100)
    expected = geo.land_nm.intersection(box).area / box.area
    assert geo.land_area_fraction(box) == pytest.approx(expected, rel=1e-3)
    assert geo.land_area_fraction(shapely.Polygon()) == 0.0


def test_zone_outline_and_union(geo):
    assert geo.zone_outline(Zone.TERRITORIAL_SEA).geom_type in ("LineString", "MultiLineString")
    assert geo.zone_union(Zone.EEZ).area > geo.zone_union(Zone.TERRITORIAL_SEA).area > geo.land_nm.area
    with pytest.raises(ValueError, match="HIGH_SEAS"):
        geo.territories["LCA"].zone(Zone.HIGH_SEAS)


# -------------------------------------------------------------------------------------- storage


def test_store_round_trip_is_exact_and_deterministic():
    polys = [shapely.box(0, 0, 1.5, 2.25), shapely.Point(10, -3).buffer(2.0).difference(shapely.Point(10, -3).buffer(1.0))]
    polys = [shapely.set_precision(p, 0.001) for p in polys]
    blob, lengths = encode_geometries(polys, 0.001)
    assert encode_geometries(polys, 0.001)[0] == blob
    back = decode_geometries(blob, lengths, 0.001)
    for a, b in zip(polys, back):
        assert b.geom_type == "MultiPolygon"
        assert shapely.equals_exact(shapely.MultiPolygon([a]), b, tolerance=1e-9)


def test_shipped_data_is_small_and_documented():
    from importlib import resources

    root = resources.files("mda_sim.geography") / "data"
    total = sum(p.stat().st_size for p in root.iterdir() if p.is_file())  # type: ignore[attr-defined]
    assert total < 5_000_000
    sources = (root / "SOURCES.md").read_text(encoding="utf-8")
    assert "LGPL" in sources and "Natural Earth" in sources and "build_geography.py" in sources
    assert read_store().index["sources"]["gshhs_resolution"] == "f"
