"""Voyage facts and the summary table are folded correctly from a hand-made log."""

from __future__ import annotations

import math

from mda_sim.analysis.voyages import summarise_voyages, summary_table, voyage_facts
from mda_sim.eventlog.records import (
    AisReceived,
    Arrived,
    Classified,
    Detected,
    TrackCreated,
    VesselDeparted,
)


def _log():
    return [
        VesselDeparted(0.0, "g1", "ven_gofast", "go_fast", True, "cocaine", "stateless", 0, 0, False),
        VesselDeparted(1.0, "g2", "ven_gofast", "go_fast", True, "cocaine", "stateless", 0, 0, False),
        VesselDeparted(1.5, "c1", "cargo", "cargo_ship", False, "", "PAN", 0, 0, True),
        AisReceived(3.0, "c1", "ais_sj", "uscg", 40, 2.0, 2.9),
        TrackCreated(2.0, "t1", "uscg", "c1", 0, 0, 0.1),
        Detected(3.0, "g1", "radar_a", "uscg", 18.0, 0.6),
        TrackCreated(3.0, "t2", "uscg", "g1", 0, 0, 0.3),
        Detected(4.5, "g1", "radar_b", "bb", 15.0, 0.6),
        Classified(5.0, "t2", "shared", "g1", "suspect", True, "behaviour"),
        Detected(9.0, "g2", "radar_a", "uscg", 10.0, 0.9),
        Classified(9.5, "t3", "uscg", "g2", "cleared", False, "eo"),  # a partner picture: not the shared one
        Arrived(12.0, "g2", 0, 0),
    ]


def test_facts_follow_the_log():
    facts = voyage_facts(_log())
    g1, g2, c1 = facts["g1"], facts["g2"], facts["c1"]
    assert g1.first_detected_h == 3.0 and g1.time_to_first_detection_h == 3.0
    assert g1.sensors == {"radar_a", "radar_b"} and g1.label == "suspect" and g1.label_correct
    assert g2.time_to_first_detection_h == 8.0 and g2.label == "" and g2.arrived_h == 12.0
    assert not c1.detected and c1.seen and c1.first_ais_h == 2.0
    assert math.isnan(g1.arrived_h)


def test_summary_rows_and_table():
    rows = summarise_voyages(voyage_facts(_log()))
    assert [(r.illicit, r.group) for r in rows] == [(True, "go_fast"), (False, "cargo_ship")]
    gofast = rows[0]
    assert (gofast.voyages, gofast.detected, gofast.classified_suspect) == (2, 2, 1)
    assert gofast.median_time_to_detection_h == 5.5  # median of 3 h and 8 h
    text = summary_table(rows)
    assert "go_fast" in text and "5.5" in text and text.count("\n") == 3
