"""Datum search patterns (pure geometry + search theory): worked cases, properties, bad inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_sim.assets.search import (
    expanding_square_pod,
    expanding_square_track_length_nm,
    expanding_square_waypoints,
    legs_to_cover,
    search_area_nm2,
    search_square_containment,
    sector_search_waypoints,
    track_length_nm,
)
from mda_sim.theory.search import (
    coverage_factor,
    pod_parallel_definite_range,
    pod_parallel_inverse_cube,
)


def _headings_deg(w: np.ndarray) -> np.ndarray:
    d = np.diff(w, axis=0)
    return np.degrees(np.arctan2(d[:, 0], d[:, 1])) % 360.0


def _right_turns_deg(w: np.ndarray) -> np.ndarray:
    h = _headings_deg(w)
    return (np.diff(h) + 180.0) % 360.0 - 180.0


# --- expanding square -------------------------------------------------------------------------


def test_expanding_square_worked_example_north_first_right_turns():
    # Hand-computed: N 1, E 1, S 2, W 2, N 3, E 3, S 4, W 4.
    expected = [(0, 0), (0, 1), (1, 1), (1, -1), (-1, -1), (-1, 2), (2, 2), (2, -2), (-2, -2)]
    w = expanding_square_waypoints((0.0, 0.0), 1.0, 8)
    assert w.shape == (9, 2)
    np.testing.assert_allclose(w, expected, atol=1e-12)


def test_expanding_square_offset_datum_spacing_and_heading_east():
    # First leg east from (10, 5), S = 2: E 2, S 2, W 4, N 4.
    w = expanding_square_waypoints((10.0, 5.0), 2.0, 4, first_heading_deg=90.0)
    np.testing.assert_allclose(w, [(10, 5), (12, 5), (12, 3), (8, 3), (8, 7)], atol=1e-12)


@given(
    s=st.floats(0.1, 10.0),
    n=st.integers(1, 40),
    h=st.floats(-360.0, 360.0),
    x=st.floats(-100, 100),
    y=st.floats(-100, 100),
)
@settings(max_examples=80, deadline=None)
def test_expanding_square_legs_lengths_and_turns(s, n, h, x, y):
    w = expanding_square_waypoints((x, y), s, n, first_heading_deg=h)
    assert w.shape == (n + 1, 2)
    np.testing.assert_allclose(w[0], (x, y))
    legs = np.hypot(*np.diff(w, axis=0).T)
    np.testing.assert_allclose(legs, s * np.ceil(np.arange(1, n + 1) / 2), rtol=1e-9)
    assert abs((_headings_deg(w)[0] - h + 180) % 360 - 180) < 1e-6
    if n > 1:
        np.testing.assert_allclose(_right_turns_deg(w), 90.0, atol=1e-6)
    total = s * sum(math.ceil(i / 2) for i in range(1, n + 1))
    assert track_length_nm(w) == pytest.approx(total, rel=1e-9)
    assert expanding_square_track_length_nm(s, n) == pytest.approx(total, rel=1e-12)


@pytest.mark.parametrize("m", [1, 2, 3, 5])
def test_expanding_square_bounding_box_grows_by_one_spacing_per_ring(m):
    s = 1.5
    after_ring = expanding_square_waypoints((0, 0), s, 4 * m)
    np.testing.assert_allclose(after_ring.min(axis=0), (-m * s, -m * s), atol=1e-9)
    np.testing.assert_allclose(after_ring.max(axis=0), (m * s, m * s), atol=1e-9)
    plus_one = expanding_square_waypoints((0, 0), s, 4 * m + 1)  # next leg north to y = (m+1) S
    np.testing.assert_allclose(plus_one.max(axis=0), (m * s, (m + 1) * s), atol=1e-9)


# --- coverage, legs_to_cover and POD -------------------------------------------------------------


def _swept(w: np.ndarray, s: float) -> shapely.Geometry:
    """Region swept by strips S wide along the track (lateral-range picture, W = S)."""
    return shapely.LineString(w).buffer(s / 2, cap_style="square", join_style="mitre")


@given(side=st.floats(0.2, 30.0), s=st.floats(0.3, 3.0))
@settings(max_examples=60, deadline=None)
def test_legs_to_cover_sweeps_the_centred_square_and_no_fewer_legs_would(side, s):
    n = legs_to_cover(side, s)
    assert n % 4 == 1
    h = side / 2 * (1 - 1e-9)
    square = shapely.box(-h, -h, h, h)
    assert _swept(expanding_square_waypoints((0, 0), s, n), s).buffer(1e-9).covers(square)
    if n > 1:
        fewer = expanding_square_waypoints((0, 0), s, n - 1)
        assert not _swept(fewer, s).covers(square)


@pytest.mark.parametrize(
    ("side", "legs"), [(1.0, 1), (0.5, 1), (3.0, 5), (3.01, 9), (5.0, 9), (7.0, 13)]
)
def test_legs_to_cover_worked_values(side, legs):
    assert legs_to_cover(side, 1.0) == legs
    assert legs_to_cover(side * 2.5, 2.5) == legs  # scale-free


@pytest.mark.parametrize("m", [0, 1, 2, 4])
def test_track_length_after_legs_to_cover_gives_coverage_w_over_s(m):
    s, w_nm = 2.0, 1.5
    side = (2 * m + 1) * s
    n = legs_to_cover(side, s)
    length = track_length_nm(expanding_square_waypoints((0, 0), s, n))
    assert length == pytest.approx(side**2 / s)  # L = A / S exactly
    assert float(coverage_factor(w_nm, length, side**2)) == pytest.approx(w_nm / s)


def test_pod_equals_theory_functions():
    s = np.array([0.5, 1.0, 2.0, 4.0, 8.0])
    w = 2.0
    np.testing.assert_allclose(expanding_square_pod(s, w), pod_parallel_definite_range(w / s))
    np.testing.assert_allclose(
        expanding_square_pod(s, w, "inverse_cube"), pod_parallel_inverse_cube(w / s)
    )
    # reference §2.2 worked value: C = 0.64 -> 0.64 definite range, 0.5775 inverse cube
    assert float(expanding_square_pod(6.25, 4.0)) == pytest.approx(0.64)
    assert float(expanding_square_pod(6.25, 4.0, "inverse_cube")) == pytest.approx(0.5775, abs=1e-4)


@pytest.mark.parametrize("sensor", ["definite_range", "inverse_cube"])
def test_pod_monotone_in_w_over_s_and_bounded(sensor):
    ratios = np.linspace(0.0, 3.0, 61)
    pod = expanding_square_pod(1.0, ratios, sensor)
    assert pod[0] == 0.0
    assert np.all(np.diff(pod) >= 0.0)
    assert np.all((pod >= 0.0) & (pod <= 1.0))
    # depends on W / S only
    np.testing.assert_allclose(expanding_square_pod(3.0, 3.0 * ratios, sensor), pod)


# --- search area ---------------------------------------------------------------------------------


def test_search_area_and_containment():
    assert float(search_area_nm2(1.5)) == pytest.approx(36.0)  # (2 * 2 * 1.5)^2
    assert float(search_area_nm2(1.0, k=3.0)) == pytest.approx(36.0)
    np.testing.assert_allclose(search_area_nm2([1.0, 2.0]), [16.0, 64.0])
    assert search_square_containment(2.0) == pytest.approx(0.9545**2, abs=1e-4)
    assert (
        search_square_containment(1.0)
        < search_square_containment(2.0)
        < search_square_containment(3.0)
    )


def test_containment_matches_monte_carlo():
    rng = np.random.default_rng(7)
    xy = rng.normal(0.0, 1.0, size=(200_000, 2))
    inside = np.mean(np.all(np.abs(xy) <= 2.0, axis=1))
    assert inside == pytest.approx(search_square_containment(2.0), abs=0.003)


# --- sector search -------------------------------------------------------------------------------


def test_sector_search_worked_example_north_first():
    r = 2.0
    w = sector_search_waypoints((0.0, 0.0), r)
    c, s = math.cos(math.radians(30)), math.sin(math.radians(30))
    # Hand-computed, headings clockwise from north; each triangle: out, turn 120 R, across, turn
    # 120 R, in to the datum and straight on out. Radials flown: 000, 060 | 240, 300 | 120, 180.
    o = (0, 0)
    tri1 = [(0, r), (r * c, r * s), o]  # out 000, across on 120, in on 240
    tri2 = [(-r * c, -r * s), (-r * c, r * s), o]  # out 240, across on 000, in on 120
    tri3 = [(r * c, -r * s), (0, -r), o]  # out 120, across on 240, in on 000
    expected = [o, *tri1, *tri2, *tri3]
    assert w.shape == (10, 2)
    np.testing.assert_allclose(w, expected, atol=1e-12)


@given(
    r=st.floats(0.2, 20.0),
    h=st.floats(-360.0, 360.0),
    x=st.floats(-100, 100),
    y=st.floats(-100, 100),
)
@settings(max_examples=60, deadline=None)
def test_sector_search_iamsar_geometry(r, h, x, y):
    d = np.array([x, y])
    w = sector_search_waypoints(d, r, first_heading_deg=h)
    assert w.shape == (10, 2)  # 9 legs
    np.testing.assert_allclose(w[[0, 3, 6, 9]], np.tile(d, (4, 1)), atol=1e-9)  # through the datum
    legs = np.hypot(*np.diff(w, axis=0).T)
    np.testing.assert_allclose(legs, r, rtol=1e-9)  # equilateral: every leg R
    turns = _right_turns_deg(w)
    outer = np.array([i for i in range(len(turns)) if (i + 1) % 3 != 0])  # turns at outer points
    through = np.array([2, 5])  # in-leg continues straight out through the datum
    np.testing.assert_allclose(turns[outer], 120.0, atol=1e-6)
    np.testing.assert_allclose(turns[through], 0.0, atol=1e-6)
    # six radials 60 deg apart, starting on the first heading; ends heading first_heading again
    radials = np.degrees(np.arctan2(*(w[[1, 2, 4, 5, 7, 8]] - d).T)) % 360.0
    rel = np.sort((radials - h) % 360.0)
    rel[rel > 359.999] -= 360.0
    np.testing.assert_allclose(np.sort(rel), np.arange(0.0, 360.0, 60.0), atol=1e-6)
    assert abs((_headings_deg(w)[-1] - h + 180) % 360 - 180) < 1e-6


def test_sector_search_five_sectors_radials_36_deg_apart():
    w = sector_search_waypoints((0, 0), 1.0, n_sectors=5)
    assert w.shape == (16, 2)
    outer = np.delete(w, np.arange(0, 16, 3), axis=0)
    radials = np.sort(np.degrees(np.arctan2(outer[:, 0], outer[:, 1])).round(6) % 360.0)
    np.testing.assert_allclose(radials, np.arange(0.0, 360.0, 36.0), atol=1e-6)
    np.testing.assert_allclose(np.hypot(*outer.T), 1.0)


# --- bad inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: expanding_square_waypoints((0, 0), 0.0, 4), "track_spacing_nm = 0.0: must be"),
        (lambda: expanding_square_waypoints((0, 0), -1.0, 4), "track_spacing_nm = -1.0"),
        (lambda: expanding_square_waypoints((0, 0), float("nan"), 4), "track_spacing_nm = nan"),
        (lambda: expanding_square_waypoints((0, 0), 1.0, 0), "n_legs = 0: must be an integer >= 1"),
        (lambda: expanding_square_waypoints((0, 0), 1.0, 2.5), "n_legs = 2.5"),
        (lambda: expanding_square_waypoints((0, 0, 0), 1.0, 3), "datum_nm"),
        (lambda: expanding_square_waypoints((0, 0), 1.0, 3, float("inf")), "first_heading_deg"),
        (lambda: sector_search_waypoints((0, 0), 0.0), "radius_nm = 0.0: must be"),
        (lambda: sector_search_waypoints((0, 0), -2.0), "radius_nm = -2.0"),
        (lambda: sector_search_waypoints((0, 0), 1.0, n_sectors=4), "n_sectors = 4: must be odd"),
        (
            lambda: sector_search_waypoints((0, 0), 1.0, n_sectors=1),
            "n_sectors = 1: must be an integer >= 3",
        ),
        (lambda: legs_to_cover(0.0, 1.0), "side_nm = 0.0"),
        (lambda: legs_to_cover(5.0, -1.0), "track_spacing_nm = -1.0"),
        (lambda: expanding_square_pod(0.0, 1.0), "track_spacing_nm"),
        (lambda: expanding_square_pod(1.0, -1.0), "sweep_width_nm"),
        (lambda: expanding_square_pod(1.0, 1.0, "radr"), "sensor 'radr' unknown"),
        (lambda: search_area_nm2(0.0), "sigma_nm"),
        (lambda: search_area_nm2(1.0, k=-1.0), "k = -1.0"),
        (lambda: expanding_square_track_length_nm(1.0, 0), "n_legs = 0"),
    ],
)
def test_bad_inputs_raise_clear_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_module_is_pure():
    import subprocess
    import sys

    code = (
        "import sys, mda_sim.assets.search; "
        "bad = [m for m in ('simpy', 'matplotlib') if m in sys.modules]; print(bad); assert not bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
