"""Patrol patterns (pure geometry): worked cases on rectangles, rotated and not."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
import shapely.affinity
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_sim.assets.patterns import (
    barrier_waypoints,
    long_axis,
    parallel_sweep_waypoints,
    random_waypoints,
)


def _rect(length: float, width: float, angle_deg: float, centre=(0.0, 0.0)) -> shapely.Polygon:
    box = shapely.box(-length / 2, -width / 2, length / 2, width / 2)
    return shapely.affinity.translate(shapely.affinity.rotate(box, angle_deg, origin=(0, 0)), *centre)

@given(length=st.floats(10, 100), ratio=st.floats(0.1, 0.9), angle=st.floats(-180, 180))
@settings(max_examples=60, deadline=None)
def test_long_axis_runs_through_the_middle_along_the_long_side(length, ratio, angle):

    area = _rect(length, ratio * length, angle, (5.0, -3.0))
    a, b, width = long_axis(area)
    assert float(np.hypot(*(b - a))) == pytest.approx(length, rel=1e-6)
    assert width == pytest.approx(ratio * length, rel=1e-6)
    assert np.allclose(0.5 * (a + b), [5.0, -3.0], atol=1e-6)
    heading = math.degrees(math.atan2(*(b - a)[::-1]))
    assert min(abs((heading - angle) % 180.0), 180.0 - abs((heading - angle) % 180.0)) < 1e-4

def test_barrier_alternates_between_the_ends():

    pts = barrier_waypoints(_rect(40.0, 10.0, 30.0), 4)
    assert len(pts) == 5
    assert np.allclose(pts[0], pts[2]) and np.allclose(pts[1], pts[3]) and not np.allclose(pts[0], pts[1])

def test_parallel_sweep_tracks_are_spaced_and_inside():

    area = _rect(60.0, 20.0, 0.0)
    pts = parallel_sweep_waypoints(area, 4.0)
    assert len(pts) == 2 * 5  # 20 nm wide, 4 nm apart: 5 tracks, 2 nm in from each edge
    ys = sorted({round(float(y), 9) for y in pts[:, 1]})
    assert np.allclose(np.diff(ys), 4.0) and ys[0] == pytest.approx(-8.0)
    assert all(area.buffer(1e-9).covers(shapely.Point(p)) for p in pts)
    # tracks alternate direction: a lawnmower, not a raster
    assert pts[0, 0] != pts[2, 0] or pts[1, 0] != pts[3, 0]
    with pytest.raises(ValueError, match="track_spacing_nm"):
        parallel_sweep_waypoints(area, 0.0)

def test_random_waypoints_are_inside_and_accepted():
    area = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)])
    rng = np.random.default_rng(3)
    pts = random_waypoints(area, 500, rng, accept=lambda x, y: x > 5.0)
    assert pts.shape == (500, 2) and np.all(pts[:, 0] > 5.0) and np.all(pts <= 10.0)
    # uniform in the accepted half: mean near its centre (se ~ 0.065 per axis)
    assert np.allclose(pts.mean(axis=0), [7.5, 5.0], atol=0.3)
    with pytest.raises(ValueError, match="no acceptable point"):
        random_waypoints(area, 1, rng, accept=lambda x, y: False)
