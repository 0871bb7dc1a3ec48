"""The planar frame: round trips and distance error against the WGS84 geodesic."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_sim.geography import DEFAULT_FRAME, LocalFrame, geodesic_distance_nm

#: The JOA box of the reference brief [deg].
LON = st.floats(-72.0, -58.0)
LAT = st.floats(9.5, 21.0)


@settings(max_examples=200, deadline=None)
@given(lon=LON, lat=LAT)
def test_round_trip(lon, lat):
    x, y = DEFAULT_FRAME.to_xy(lon, lat)
    lon2, lat2 = DEFAULT_FRAME.to_lonlat(x, y)
    assert abs(float(lon2) - lon) < 1e-9
    assert abs(float(lat2) - lat) < 1e-9


@settings(max_examples=300, deadline=None)
@given(lon1=LON, lat1=LAT, lon2=LON, lat2=LAT)
def test_planar_distance_within_half_percent_of_geodesic(lon1, lat1, lon2, lat2):
    true_nm = float(geodesic_distance_nm(lon1, lat1, lon2, lat2))
    if true_nm < 0.1:
        return
    x1, y1 = DEFAULT_FRAME.to_xy(lon1, lat1)
    x2, y2 = DEFAULT_FRAME.to_xy(lon2, lat2)
    planar_nm = float(np.hypot(x2 - x1, y2 - y1))
    assert abs(planar_nm - true_nm) / true_nm < 0.005


def test_worst_corner_to_corner_error_is_small():
    """The box diagonals, where the distortion is largest, are still within 0.5 %."""
    lon = np.array([-72.0, -58.0, -72.0, -58.0])
    lat = np.array([9.5, 9.5, 21.0, 21.0])
    x, y = DEFAULT_FRAME.to_xy(lon, lat)
    for i, j in [(0, 3), (1, 2), (0, 1), (2, 3)]:
        true_nm = float(geodesic_distance_nm(lon[i], lat[i], lon[j], lat[j]))
        planar_nm = float(np.hypot(x[j] - x[i], y[j] - y[i]))
        assert abs(planar_nm - true_nm) / true_nm < 0.005


def test_centre_maps_to_origin_and_scalars_work():
    x, y = DEFAULT_FRAME.to_xy(DEFAULT_FRAME.lon0_deg, DEFAULT_FRAME.lat0_deg)
    assert x.shape == () and abs(float(x)) < 1e-9 and abs(float(y)) < 1e-9


def test_bad_centre_is_rejected_with_the_value():
    with pytest.raises(ValueError, match="lat0_deg = 95"):
        LocalFrame(0.0, 95.0)
