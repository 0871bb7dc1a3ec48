"""Tasking policy: worked intercepts, feasibility, priorities, re-tasking, determinism."""

from __future__ import annotations

import doctest
import math
from dataclasses import replace

import pytest

import mda_sim.command.priorities as priorities_mod
import mda_sim.command.tasking as tasking_mod
from mda_sim.command import (
    POLICIES,
    AssetView,
    NearestFeasible,
    TaskingPolicy,
    TrackView,
    default_priority,
    fuel_needed_h,
    make_policy,
)


def track(tid, pos, vel=(0.0, 0.0), priority=1.0, label=None):
    return TrackView(tid, None, pos, vel, 0.5, label, priority)


def asset(
    aid,
    pos,
    *,
    speed=30.0,
    cruise=15.0,
    endurance=100.0,
    factor=2.0,
    board=True,
    delay=0.0,
    home=None,
    busy=None,
    busy_priority=-math.inf,
):
    return AssetView(
        aid,
        pos,
        speed,
        cruise,
        endurance,
        factor,
        board,
        delay,
        pos if home is None else home,
        busy,
        busy_priority,
    )


POLICY = NearestFeasible()


# --- worked intercepts -------------------------------------------------------------------


def test_stationary_target_30nm_at_30kn_with_half_hour_delay_takes_1_5_h():
    orders = POLICY.assign([track("T1", (30.0, 0.0))], [asset("A", (0.0, 0.0), delay=0.5)], 0.0)
    assert len(orders) == 1
    o = orders[0]
    assert (o.asset, o.track) == ("A", "T1")
    assert o.intercept_h == pytest.approx(1.5, abs=1e-12)
    assert o.intercept_point_nm == pytest.approx((30.0, 0.0))
    assert o.reason == "nearest feasible"


def test_reference_worked_case_target_crossing_ahead():
    """Reference §2.7: target 20 nm north heading east at 30 kn, pursuer 40 kn → 0.7559 h."""
    (o,) = POLICY.assign(
        [track("T", (0.0, 20.0), (30.0, 0.0))], [asset("A", (0.0, 0.0), speed=40.0)], 0.0
    )
    assert o.intercept_h == pytest.approx(0.7559, abs=1e-4)
    assert o.intercept_point_nm == pytest.approx((22.68, 20.0), abs=1e-2)


def test_latencies_add_to_the_launch_delay():
    policy = NearestFeasible(decision_latency_h=0.25, comms_latency_h=0.25)
    (o,) = policy.assign([track("T1", (30.0, 0.0))], [asset("A", (0.0, 0.0))], 0.0)
    assert o.intercept_h == pytest.approx(1.5)


# --- feasibility ---------------------------------------------------------------------------


def test_faster_target_running_away_cannot_be_caught():
    tracks = [track("T", (30.0, 0.0), (40.0, 0.0))]
    assert POLICY.assign(tracks, [asset("A", (0.0, 0.0), speed=30.0)], 0.0) == []
    # the same geometry with a faster pursuer is caught: the gap 30 nm closes at 10 kn
    (o,) = POLICY.assign(tracks, [asset("B", (0.0, 0.0), speed=50.0)], 0.0)
    assert o.intercept_h == pytest.approx(3.0)


def test_endurance_limit_includes_sprint_factor_and_return_leg():
    # 0.5 h waiting + 1.0 h sprint x 2 + 30 nm home at 15 kn (2 h) = 4.5 h
    assert fuel_needed_h(0.5, 1.5, 30.0, 15.0, 2.0) == pytest.approx(4.5)
    tracks = [track("T1", (30.0, 0.0))]
    short = asset("A", (0.0, 0.0), delay=0.5, endurance=4.49)
    enough = asset("A", (0.0, 0.0), delay=0.5, endurance=4.5)
    assert POLICY.assign(tracks, [short], 0.0) == []
    assert len(POLICY.assign(tracks, [enough], 0.0)) == 1
    # a reserve eats into the same budget
    assert NearestFeasible(reserve_h=0.1).assign(tracks, [enough], 0.0) == []


def test_return_leg_is_to_home_not_to_start():
    tracks = [track("T1", (30.0, 0.0))]
    # home 30 nm beyond the start: return leg 60 nm = 4 h, total 1 x 2 + 4 = 6 h
    far_home = asset("A", (0.0, 0.0), endurance=5.9, home=(-30.0, 0.0))
    assert POLICY.assign(tracks, [far_home], 0.0) == []
    assert len(POLICY.assign(tracks, [replace(far_home, endurance_left_h=6.0)], 0.0)) == 1


def test_aircraft_that_cannot_board_is_never_tasked():
    tracks = [track("T1", (10.0, 0.0))]
    plane = asset("P", (0.0, 0.0), speed=200.0, board=False)
    boat = asset("B", (0.0, 0.0), speed=30.0)
    orders = POLICY.assign(tracks, [plane, boat], 0.0)
    assert [o.asset for o in orders] == ["B"]


def test_nearest_means_earliest_intercept_not_smallest_range():
    tracks = [track("T1", (0.0, 0.0))]
    near_slow = asset("near", (10.0, 0.0), speed=10.0, cruise=8.0)  # 1 h
    far_fast = asset("far", (-30.0, 0.0), speed=60.0)  # 0.5 h
    (o,) = POLICY.assign(tracks, [near_slow, far_fast], 0.0)
    assert o.asset == "far" and o.intercept_h == pytest.approx(0.5)


# --- priorities ----------------------------------------------------------------------------


def test_higher_priority_track_gets_the_only_asset():
    tracks = [track("low", (10.0, 0.0), priority=1.0), track("high", (20.0, 0.0), priority=5.0)]
    orders = POLICY.assign(tracks, [asset("A", (0.0, 0.0))], 0.0)
    assert [(o.asset, o.track) for o in orders] == [("A", "high")]


def test_orders_are_made_in_descending_priority_and_each_takes_its_best_asset():
    tracks = [track("t_low", (0.0, 0.0), priority=1.0), track("t_high", (100.0, 0.0), priority=9.0)]
    assets = [asset("west", (-5.0, 0.0)), asset("east", (95.0, 0.0))]
    orders = POLICY.assign(tracks, assets, 0.0)
    assert [(o.track, o.asset) for o in orders] == [("t_high", "east"), ("t_low", "west")]


def test_default_priority_orders_threats_and_amounts():
    order = ["cocaine", "firearms", "migrants", "fuel", "iuu_catch"]
    values = [default_priority(k, 10.0) for k in order]
    assert values == sorted(values, reverse=True)
    assert default_priority("cocaine", 1000.0) > default_priority("cocaine", 100.0)
    assert default_priority("firearms", 1e9) < default_priority("cocaine", 0.0)
    assert default_priority(None) < default_priority("iuu_catch", 0.0)
    assert default_priority("cocaine", 500.0) == pytest.approx(6.5)
    with pytest.raises(ValueError, match="did you mean 'cocaine'"):
        default_priority("cocain")
    with pytest.raises(ValueError, match="amount"):
        default_priority("fuel", -1.0)


# --- re-tasking ----------------------------------------------------------------------------


def test_busy_asset_is_retasked_to_a_higher_priority_track():
    busy = asset("A", (0.0, 0.0), busy="old", busy_priority=2.0)
    (o,) = POLICY.assign([track("new", (15.0, 0.0), priority=6.0)], [busy], 0.0)
    assert (o.asset, o.track) == ("A", "new")
    assert o.intercept_h == pytest.approx(0.5)
    assert "re-tasked from 'old'" in o.reason


def test_busy_asset_is_not_retasked_to_a_lower_or_equal_priority_track():
    busy = asset("A", (0.0, 0.0), busy="old", busy_priority=6.0)
    assert POLICY.assign([track("new", (15.0, 0.0), priority=2.0)], [busy], 0.0) == []
    assert POLICY.assign([track("new", (15.0, 0.0), priority=6.0)], [busy], 0.0) == []


def test_retasking_can_be_switched_off():
    busy = asset("A", (0.0, 0.0), busy="old", busy_priority=2.0)
    policy = NearestFeasible(retask=False)
    assert policy.assign([track("new", (15.0, 0.0), priority=6.0)], [busy], 0.0) == []


def test_track_already_prosecuted_gets_no_second_asset():
    tracks = [track("old", (15.0, 0.0), priority=2.0)]
    assets = [asset("A", (0.0, 0.0), busy="old", busy_priority=2.0), asset("B", (0.0, 0.0))]
    assert POLICY.assign(tracks, assets, 0.0) == []


def test_abandoned_track_is_handed_to_another_asset():
    # A is on "old" but is the only one that can reach "new" quickly; B then covers "old".
    tracks = [track("old", (-20.0, 0.0), priority=2.0), track("new", (20.0, 0.0), priority=6.0)]
    assets = [asset("A", (10.0, 0.0), busy="old", busy_priority=2.0), asset("B", (-30.0, 0.0))]
    orders = POLICY.assign(tracks, assets, 0.0)
    assert [(o.asset, o.track) for o in orders] == [("A", "new"), ("B", "old")]


def test_free_asset_preferred_over_retasking_at_equal_intercept_time():
    tracks = [track("new", (0.0, 0.0), priority=6.0)]
    assets = [asset("A", (-10.0, 0.0), busy="old", busy_priority=1.0), asset("Z", (10.0, 0.0))]
    (o,) = POLICY.assign(tracks, assets, 0.0)
    assert o.asset == "Z"


# --- determinism and uniqueness ------------------------------------------------------------


def test_ties_broken_by_asset_id_whatever_the_input_order():
    tracks = [track("T", (0.0, 0.0))]
    a, b = asset("alpha", (-10.0, 0.0)), asset("bravo", (10.0, 0.0))
    first = POLICY.assign(tracks, [a, b], 0.0)
    second = POLICY.assign(tracks, [b, a], 0.0)
    assert first == second
    assert first[0].asset == "alpha"


def test_track_ties_broken_by_track_id():
    tracks = [track("t2", (10.0, 0.0), priority=3.0), track("t1", (-10.0, 0.0), priority=3.0)]
    (o,) = POLICY.assign(tracks, [asset("A", (0.0, 0.0))], 0.0)
    assert o.track == "t1"


def test_two_tracks_never_share_an_asset():
    tracks = [track(f"t{i}", (5.0 * i, 3.0), priority=float(i % 3)) for i in range(8)]
    assets = [asset("A", (0.0, 0.0)), asset("B", (20.0, 0.0)), asset("C", (40.0, 0.0))]
    orders = POLICY.assign(tracks, assets, 0.0)
    used = [o.asset for o in orders]
    assert len(orders) == 3
    assert len(set(used)) == len(used)
    assert len({o.track for o in orders}) == 3
    # the three served tracks are the highest-priority ones (priority 2: t2 and t5)
    assert {"t2", "t5"} <= {o.track for o in orders}


# --- plumbing ------------------------------------------------------------------------------


def test_registry_and_protocol():
    assert POLICIES["nearest_feasible"] is NearestFeasible
    policy = make_policy("nearest_feasible", comms_latency_h=0.1)
    assert isinstance(policy, TaskingPolicy)
    assert policy.comms_latency_h == 0.1
    with pytest.raises(ValueError, match="did you mean 'nearest_feasible'"):
        make_policy("nearest_feasable")


def test_bad_inputs_name_the_value():
    with pytest.raises(ValueError, match="asset 'A'.cruise_speed_kn = 40"):
        asset("A", (0.0, 0.0), speed=30.0, cruise=40.0)
    with pytest.raises(ValueError, match="sprint_fuel_factor = 0.5"):
        asset("A", (0.0, 0.0), factor=0.5)
    with pytest.raises(ValueError, match="track id 'T' appears twice"):
        POLICY.assign([track("T", (0, 0)), track("T", (1, 0))], [], 0.0)
    with pytest.raises(ValueError, match="decision_latency_h = -1"):
        NearestFeasible(decision_latency_h=-1.0)


@pytest.mark.parametrize("module", [tasking_mod, priorities_mod])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
