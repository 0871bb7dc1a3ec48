"""The event log round-trips, is canonical, and is written atomically."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_sim.eventlog import EventLog, event_line, read_events, write_events
from mda_sim.eventlog.records import EVENT_TYPES, Detected, LegStarted, VesselDeparted

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=100, deadline=None)
@given(t=st.floats(0, 1e4), r=finite, p=st.floats(0, 1), name=st.text(min_size=1, max_size=12))
def test_round_trip_keeps_values_to_the_stated_precision(tmp_path_factory, t, r, p, name):
    path = tmp_path_factory.mktemp("log") / "events.jsonl"
    event = Detected(t, name, "radar_1", "uscg", r, p)
    write_events(path, [event])
    (back,) = list(read_events(path))
    assert type(back) is Detected and back.vessel == name
    assert math.isclose(back.range_nm, r, abs_tol=1e-6) and math.isclose(back.t_h, t, abs_tol=1e-6)


def test_lines_are_canonical_and_ordered_by_declared_fields():
    e = LegStarted(2.5, "v1", 0, "transit", -0.0, 1.23456789, 30.0, -0.0000001)
    assert event_line(e) == (
        '{"t_h":2.5,"kind":"leg_started","vessel":"v1","leg":0,"behaviour":"transit",'
        '"x_nm":0.0,"y_nm":1.234568,"vx_kn":30.0,"vy_kn":0.0}'
    )


def test_non_finite_values_are_refused():
    with pytest.raises(ValueError, match="not finite"):
        event_line(Detected(1.0, "v", "s", "p", math.nan, 0.5))


@pytest.mark.parametrize("name", ["events.jsonl", "events.jsonl.gz"])
def test_same_records_give_the_same_bytes(tmp_path, name):
    events = [VesselDeparted(0.5, "v1", "f", "go_fast", True, "cocaine", "VEN", 1.0, 2.0, False)]
    a = write_events(tmp_path / ("a_" + name), events).read_bytes()
    b = write_events(tmp_path / ("b_" + name), events).read_bytes()
    assert a == b and len(a) > 0


def test_log_refuses_time_going_backwards():
    log = EventLog()
    log.append(Detected(2.0, "v", "s", "p", 1.0, 0.5))
    with pytest.raises(ValueError, match="earlier"):
        log.append(Detected(1.0, "v", "s", "p", 1.0, 0.5))


def test_a_bad_line_is_reported_with_file_and_line(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text('{"t_h":0,"kind":"arrived","vessel":"v","x_nm":0,"y_nm":0}\n{"t_h":1,"kind":"teleported"}\n')
    with pytest.raises(ValueError, match=r"events.jsonl:2: .*unknown event kind 'teleported'"):
        list(read_events(path))


def test_every_kind_is_registered_once_with_time_first():
    assert len(EVENT_TYPES) >= 10
    for kind, cls in EVENT_TYPES.items():
        assert cls.kind == kind and cls.field_names()[0] == "t_h"
