"""Piecewise constant-velocity tracks: construction, position at any time, continuity."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_sim.kinematics.legs import CONTINUITY_TOL_NM, Track

coord = st.floats(-500.0, 500.0).map(lambda a: round(a, 6))
speed = st.floats(1.0, 60.0)
waypoints = st.lists(st.tuples(coord, coord), min_size=2, max_size=8)


def test_from_waypoints_times_positions_and_hold():
    tr = Track.from_waypoints([(0, 0), (30, 0), (30, 40)], speed_kn=[10.0, 20.0], start_h=1.0)
    assert tr.start_h.tolist() == [1.0, 4.0, 6.0]
    np.testing.assert_allclose(
        tr.position_at([0.0, 1.0, 2.5, 4.0, 5.0, 6.0, 99.0]),
        [[0, 0], [0, 0], [15, 0], [30, 0], [30, 20], [30, 40], [30, 40]],
    )
    np.testing.assert_allclose(
        tr.velocity_at([0.5, 2.0, 5.0, 7.0]), [[0, 0], [10, 0], [0, 20], [0, 0]]
    )
    assert tr.speed_kn_at(5.0) == pytest.approx(20.0)


def test_open_last_leg_and_repeated_waypoints():
    tr = Track.from_waypoints([(0, 0), (0, 0), (10, 0)], 5.0, hold_at_end=False)
    assert tr.n_legs == 1
    np.testing.assert_allclose(tr.position_at(4.0), [20.0, 0.0])


def test_then_replans_from_current_position():
    tr = Track.from_waypoints([(0, 0), (100, 0)], 10.0).then(2.0, (0.0, -5.0))
    np.testing.assert_allclose(tr.position_at([1.0, 2.0, 4.0]), [[10, 0], [20, 0], [20, -10]])
    assert tr.n_legs == 2


def _legs(start_h, start_nm, velocity_kn):
    return {"start_h": start_h, "start_nm": start_nm, "velocity_kn": velocity_kn}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (_legs([0, 0], [(0, 0), (0, 0)], [(0, 0), (0, 0)]), "strictly"),
        (_legs([0, 1], [(0, 0), (5, 0)], [(1, 0), (0, 0)]), "apart"),
        (_legs([0], [(0, 0), (1, 1)], [(0, 0)]), "one row per leg"),
        (_legs([np.nan], [(0, 0)], [(0, 0)]), "finite"),
    ],
)
def test_bad_tracks_are_refused_with_the_value(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Track(**kwargs)


def test_negative_speed_refused():
    with pytest.raises(ValueError, match="speed_kn"):
        Track.from_waypoints([(0, 0), (1, 0)], -3.0)


def test_arrays_are_read_only():
    tr = Track.stationary((1.0, 2.0))
    with pytest.raises(ValueError):
        tr.start_nm[0, 0] = 5.0


def test_legs_between_clips_to_window():
    tr = Track.from_waypoints([(0, 0), (10, 0), (10, 10)], 10.0, start_h=1.0)
    legs = list(tr.legs_between(0.5, 2.5))
    assert [(lg.t_start_h, lg.t_end_h) for lg in legs] == [(0.5, 1.0), (1.0, 2.0), (2.0, 2.5)]
    np.testing.assert_allclose(legs[2].position_nm, [10, 0])
    np.testing.assert_allclose(legs[1].velocity_kn, [10, 0])


@settings(max_examples=60, deadline=None)
@given(waypoints, speed, st.floats(-10.0, 10.0))
def test_position_is_continuous_at_leg_boundaries(wps, v, t0):
    tr = Track.from_waypoints(wps, v, start_h=t0)
    eps = 1e-9
    before = tr.position_at(tr.start_h - eps)
    after = tr.position_at(tr.start_h + eps)
    at = tr.position_at(tr.start_h)
    tol = CONTINUITY_TOL_NM + 2 * eps * v
    assert np.all(np.hypot(*(before - at).T) <= tol)
    assert np.all(np.hypot(*(after - at).T) <= tol)
    # the track passes through every distinct waypoint, at its scheduled time
    distinct = [wps[0]] + [b for a, b in itertools.pairwise(wps) if a != b]
    np.testing.assert_allclose(at, np.array(distinct, dtype=float), atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(waypoints, speed)
def test_position_at_is_vectorised_and_matches_scalar(wps, v):
    tr = Track.from_waypoints(wps, v)
    t = np.linspace(-1.0, tr.start_h[-1] + 1.0, 37)
    many = tr.position_at(t)
    one = np.array([tr.position_at(x) for x in t])
    np.testing.assert_array_equal(many, one)
    assert tr.position_at(t.reshape(37, 1)).shape == (37, 1, 2)
