"""Land shadow of fixed sites: islands hide what lies behind them, the site's own island does not."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from mda_sim.geography import Geography, load_geography
from mda_sim.geography.shadow import visible_polygon


@pytest.fixture(scope="module")
def geo() -> Geography:
    return load_geography()


def xy(geo, lon, lat) -> np.ndarray:
    x, y = geo.frame.to_xy(lon, lat)
    return np.array([float(x), float(y)])


def reference_polygon(geo, site_nm, reach_nm, rays=720):
    """The plain shapely method (one intersection per ray with the clipped land) to compare with."""
    x, y = site_nm
    site = shapely.Point(x, y)
    circle = site.buffer(reach_nm, quad_segs=64)
    blockers = geo.land_nm.intersection(circle)
    others = [g for g in shapely.get_parts(blockers) if g.distance(site) > 1.0]
    if not others:
        return None
    obstacle = shapely.union_all(others)
    angles = np.linspace(0.0, 2.0 * np.pi, rays, endpoint=False)
    ends = np.column_stack([x + reach_nm * np.cos(angles), y + reach_nm * np.sin(angles)])
    lines = shapely.linestrings(np.stack([np.broadcast_to([x, y], ends.shape), ends], axis=1))
    hits = shapely.intersection(lines, obstacle)
    dist = np.where(shapely.is_empty(hits), reach_nm, shapely.distance(site, hits))
    pts = np.column_stack([x + dist * np.cos(angles), y + dist * np.sin(angles)])
    return shapely.Polygon(pts).buffer(0)


def test_saint_vincent_site_sees_the_grenadines_shadow_behind_bequia(geo):
    site = xy(geo, -61.19, 13.14)  # on Saint Vincent's south coast
    assert geo.is_land(*site)
    poly = visible_polygon(geo, site, 30.0)
    assert poly is not None and poly.is_valid
    behind = xy(geo, -61.277, 12.85)  # sea beyond Bequia on the same bearing
    front = xy(geo, -61.215, 13.075)  # the channel between Saint Vincent and Bequia
    west = xy(geo, -61.5, 13.1)  # open sea to the west, nothing in between
    for p in (behind, front, west):
        assert not geo.is_land(*p) and np.hypot(*(p - site)) < 30.0
    assert not poly.covers(shapely.Point(behind))
    assert poly.covers(shapely.Point(front))
    assert poly.covers(shapely.Point(west))
    # Its own island casts no shadow: the area lost is the other islands' shadows only.
    assert 0.5 * np.pi * 30.0**2 < poly.area < np.pi * 30.0**2


def test_site_in_open_sea_far_from_land_has_no_shadow(geo):
    assert visible_polygon(geo, xy(geo, -64.0, 14.0), 30.0) is None


@pytest.mark.parametrize(
    ("lon", "lat", "reach_nm"),
    [
        (-61.19, 13.14, 30.0),  # Saint Vincent, the Grenadines to the south
        (-61.0, 14.08, 35.0),  # Saint Lucia's north end, Martinique to the north
        (-61.52, 10.68, 40.0),  # Port of Spain, the Bocas and Paria
        (-64.93, 18.34, 25.0),  # Saint Thomas among the Virgin Islands
    ],
)
def test_same_polygon_as_the_plain_shapely_method(geo, lon, lat, reach_nm):
    site = xy(geo, lon, lat)
    poly, ref = visible_polygon(geo, site, reach_nm), reference_polygon(geo, site, reach_nm)
    assert (poly is None) == (ref is None)
    if ref is not None:
        assert shapely.symmetric_difference(poly, ref).area / ref.area < 1e-6


def test_rays_argument_and_bad_reach(geo):
    site = xy(geo, -61.19, 13.14)
    coarse = visible_polygon(geo, site, 30.0, rays=90)
    assert len(coarse.exterior.coords) <= 91
    with pytest.raises(ValueError, match="reach_nm"):
        visible_polygon(geo, site, 0.0)
