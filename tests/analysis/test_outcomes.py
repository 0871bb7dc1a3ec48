"""Outcomes, kill-chain times, legal impact and the outcomes table from a hand-made log."""

from __future__ import annotations

import math

import pytest

from mda_sim.analysis.outcomes import (
    OUTCOME_ORDER,
    OutcomeRow,
    check_one_outcome_per_illicit_voyage,
    disruption_rate,
    legal_impact,
    outcome_counts,
    outcome_rows,
    outcomes_table,
    removal_rate,
)
from mda_sim.eventlog.records import (
    AuthorityAnswered,
    Boarded,
    Classified,
    Detected,
    Jettisoned,
    LegalDecision,
    PursuitEnded,
    Seized,
    Tasked,
    VesselDeparted,
    VoyageOutcome,
)

ART17 = "1988 Vienna Convention Art. 17(3)"
ART16 = "Caribbean Agreement Art. 16(3)"
LONG_REASON = ("the pursuer closed to 2 nm before the go-fast crossed into the territorial sea of a "
               "state with no shiprider aboard, so the chase ended at the line")


def _departed(t, vessel, illicit=True, kg=0.0, flow="ven_gofast"):
    return VesselDeparted(t, vessel, flow, "go_fast", illicit, "cocaine" if illicit else "", "stateless",
                          0, 0, False, cargo_kg=kg)


def _decision(t, vessel, outcome, rule, citation, action="board"):
    return LegalDecision(t, vessel, "cutter/1", "USA", action, outcome, rule, citation, "VEN" if
                         outcome == "request" else "", "high_seas", "", "")


def _log():
    """Four illicit voyages (g1 seized, g2 jettisoned, g3 blocked, g4 undetected) and one lawful."""
    return [
        _departed(0.0, "g1", kg=400.0),
        _departed(1.0, "g2", kg=300.0),
        _departed(2.0, "g3", kg=300.0),
        _departed(3.0, "g4", kg=0.0, flow="migrants"),
        _departed(0.5, "c1", illicit=False),
        # g1: the full chain; authorization by a flag-state answer after a request
        Detected(4.0, "g1", "radar_a", "uscg", 18.0, 0.6),
        Detected(3.5, "g1", "radar_b", "bb", 15.0, 0.6),  # out of order: still the first detection
        Classified(5.0, "t1", "uscg", "g1", "cleared", False, "ais"),
        Classified(6.0, "t1", "bb", "g1", "suspect", True, "behaviour"),  # any picture counts
        Classified(7.0, "t1", "shared", "g1", "suspect", True, "behaviour"),
        Tasked(6.5, "cutter/1", "t1", "g1", 2.0, 10.0, 10.0, "nearest"),
        PursuitEnded(8.0, "cutter/1", "g1", "intercepted"),
        _decision(8.0, "g1", "request", "flag_state_consent", ART17),
        AuthorityAnswered(9.0, "g1", "VEN", "board", True, 1.0, "flag_state_consent", ART17),
        Boarded(11.0, "g1", "cutter/1", 2.0, True),
        Seized(11.0, "g1", "cutter/1", 400.0, 0, 3, "USA", "San Juan", ART17),
        VoyageOutcome(11.0, "g1", "ven_gofast", "seized", "cocaine found on boarding", ART17, True,
                      400.0, 400.0),
        # g2: intercepted after a lost pursuit, jettisons; boarding allowed outright but never done
        Detected(5.0, "g2", "radar_a", "uscg", 12.0, 0.8),
        Classified(6.0, "t2", "shared", "g2", "suspect", True, "behaviour"),
        Tasked(6.0, "cutter/2", "t2", "g2", 1.0, 0.0, 0.0, "nearest"),
        PursuitEnded(6.5, "cutter/2", "g2", "retasked"),
        Tasked(7.0, "cutter/1", "t2", "g2", 1.0, 0.0, 0.0, "nearest"),
        PursuitEnded(9.5, "cutter/1", "g2", "intercepted"),
        _decision(9.0, "g2", "allowed", "stateless_vessel", "UNCLOS Art. 110(1)(d)"),
        AuthorityAnswered(8.5, "g2", "VEN", "board", False, 4.0, "flag_state_consent", ART17),
        Jettisoned(9.5, "g2", "cutter/1", 300.0, 200.0),
        VoyageOutcome(9.5, "g2", "ven_gofast", "jettisoned", "cargo thrown overboard", "", True,
                      300.0, 200.0),
        # g3: detected and tasked, chase blocked at a territorial sea
        Detected(3.0, "g3", "radar_a", "uscg", 12.0, 0.8),
        Tasked(4.0, "cutter/2", "t3", "g3", 3.0, 0.0, 0.0, "nearest"),
        _decision(6.0, "g3", "denied", "territorial_sea", ART16, action="enter"),
        PursuitEnded(6.0, "cutter/2", "g3", "blocked"),
        VoyageOutcome(8.0, "g3", "ven_gofast", "blocked", LONG_REASON, ART16, False, 300.0, 0.0),
        # g4: never seen
        VoyageOutcome(20.0, "g4", "migrants", "arrived_undetected", "no sensor saw it", "", False,
                      0.0, 0.0),
    ]


def test_one_row_per_outcome_sorted_by_vessel():
    rows = outcome_rows(reversed(_log()))
    assert [r.vessel for r in rows] == ["g1", "g2", "g3", "g4"]
    assert [r.outcome for r in rows] == ["seized", "jettisoned", "blocked", "arrived_undetected"]
    g1 = rows[0]
    assert (g1.flow, g1.citation, g1.disrupted, g1.cargo_kg, g1.removed_kg, g1.t_h) == (
        "ven_gofast", ART17, True, 400.0, 400.0, 11.0)


def test_kill_chain_times():
    g1, g2, g3, g4 = outcome_rows(_log())
    assert (g1.departed_h, g1.first_detected_h, g1.suspect_h, g1.tasked_h, g1.intercepted_h,
            g1.authorized_h, g1.boarded_h) == (0.0, 3.5, 6.0, 6.5, 8.0, 9.0, 11.0)
    # g2: first tasking counts even though that pursuit was retasked; intercept only on 'intercepted';
    # a refused authority answer does not authorize, the 'allowed' decision does
    assert (g2.tasked_h, g2.intercepted_h, g2.authorized_h) == (6.0, 9.5, 9.0)
    assert math.isnan(g2.boarded_h)
    # g3: a denied decision (and for 'enter') is no authorization; a blocked pursuit no intercept
    assert (g3.departed_h, g3.first_detected_h, g3.tasked_h) == (2.0, 3.0, 4.0)
    for t in (g3.suspect_h, g3.intercepted_h, g3.authorized_h, g3.boarded_h):
        assert math.isnan(t)
    assert g4.departed_h == 3.0
    for t in (g4.first_detected_h, g4.suspect_h, g4.tasked_h, g4.intercepted_h, g4.authorized_h,
              g4.boarded_h):
        assert math.isnan(t)


def test_counts_in_fixed_order_and_rates():
    rows = outcome_rows(_log())
    counts = outcome_counts(rows)
    assert [c[0] for c in counts] == list(OUTCOME_ORDER)
    by = {c[0]: c[1:] for c in counts}
    assert by["seized"] == (1, 400.0, 400.0)
    assert by["jettisoned"] == (1, 300.0, 200.0)
    assert by["blocked"] == (1, 300.0, 0.0)
    assert by["arrived_undetected"] == (1, 0.0, 0.0)
    assert by["contact_lost"] == (0, 0.0, 0.0)
    assert sum(c[1] for c in counts) == 4
    assert disruption_rate(rows) == 0.5  # 2 of 4 disrupted
    assert removal_rate(rows) == 0.6  # 600 of 1000 kg


def test_unknown_outcomes_come_last_alphabetically():
    def row(v, outcome):
        return OutcomeRow(v, "f", outcome, "", "", False, 0.0, 0.0, 1.0)

    rows = [row("a", "zeta"), row("b", "alpha"), row("c", "at_sea_at_end"), row("d", "seized")]
    assert [c[0] for c in outcome_counts(rows, include_zero=False)] == [
        "seized", "at_sea_at_end", "alpha", "zeta"]
    assert [c[0] for c in outcome_counts(rows)][-2:] == ["alpha", "zeta"]


def test_rates_are_nan_safe():
    assert math.isnan(disruption_rate([]))
    assert math.isnan(removal_rate([]))
    no_cargo = [OutcomeRow("m1", "migrants", "seized", "", "", True, 0.0, 0.0, 1.0)]
    assert disruption_rate(no_cargo) == 1.0 and math.isnan(removal_rate(no_cargo))
    assert "removal rate -" in outcomes_table(no_cargo, [])


def test_legal_impact_counts_by_rule_citation_outcome():
    log = [
        *_log(),
        _decision(12.0, "g5", "request", "flag_state_consent", ART17),
        _decision(13.0, "g6", "denied", "territorial_sea", ART16, action="enter"),
    ]
    assert legal_impact(log) == [
        ("flag_state_consent", ART17, "request", 2),
        ("territorial_sea", ART16, "denied", 2),
        ("stateless_vessel", "UNCLOS Art. 110(1)(d)", "allowed", 1),
    ]
    assert legal_impact([_departed(0.0, "g1")]) == []


def test_checker_accepts_a_clean_log():
    assert check_one_outcome_per_illicit_voyage(_log()) == []


def test_checker_reports_a_missing_outcome():
    log = [e for e in _log() if not (e.kind == "voyage_outcome" and e.vessel == "g3")]
    problems = check_one_outcome_per_illicit_voyage(log)
    assert len(problems) == 1 and "'g3'" in problems[0] and "no voyage_outcome" in problems[0]
    assert [r.vessel for r in outcome_rows(log)] == ["g1", "g2", "g4"]  # an old log still reads


def test_checker_reports_and_rows_refuse_a_second_outcome():
    log = [*_log(), VoyageOutcome(30.0, "g4", "migrants", "at_sea_at_end", "", "", False, 0.0, 0.0)]
    problems = check_one_outcome_per_illicit_voyage(log)
    assert len(problems) == 1 and "'g4'" in problems[0] and "2 voyage_outcome" in problems[0]
    with pytest.raises(ValueError, match="'g4'"):
        outcome_rows(log)


def test_checker_reports_an_outcome_for_a_lawful_voyage():
    log = [*_log(), VoyageOutcome(5.0, "c1", "cargo", "at_sea_at_end", "", "", False, 0.0, 0.0)]
    problems = check_one_outcome_per_illicit_voyage(log)
    assert len(problems) == 1 and "'c1'" in problems[0] and "lawful" in problems[0]


def test_table_lists_every_voyage_and_citation():
    log = _log()
    rows = outcome_rows(log)
    text = outcomes_table(rows, legal_impact(log))
    lines = text.splitlines()
    assert "disruption rate 50% (2 of 4 voyages)" in text
    assert "removal rate 60% (600 of 1000 kg)" in text
    for cite in (ART17, ART16, "UNCLOS Art. 110(1)(d)"):
        assert cite in text
    listing = lines[lines.index("Illicit voyages") + 1:]
    assert len(listing) == 4 + sum(1 for r in rows if r.citation)
    it = iter(listing)
    for r in rows:
        line = next(it)
        assert line.startswith(r.vessel) and r.flow in line and r.outcome in line
        assert line.endswith(r.reason)  # whole reasons, never cut
        if r.citation:
            assert next(it).strip() == f"cited: {r.citation}"
    # the counts section: share of illicit voyages
    seized = next(line for line in lines if line.startswith("seized"))
    assert seized.split() == ["seized", "1", "25%", "400", "400"]


def test_table_keeps_a_very_long_citation_whole():
    cite = "Agreement Concerning Co-operation in Suppressing Illicit Maritime and Air Trafficking Art. 16(3)"
    rows = [OutcomeRow("g1", "ven_gofast", "blocked", LONG_REASON, cite, False, 1.0, 0.0, 1.0),
            OutcomeRow("g2", "ven_gofast", "not_intercepted", LONG_REASON, "", False, 1.0, 0.0, 1.0)]
    listing = outcomes_table(rows, []).splitlines()[-3:]
    assert listing[0].endswith(LONG_REASON) and listing[1].strip() == f"cited: {cite}"
    assert listing[2].endswith(LONG_REASON)


def test_table_of_an_empty_run():
    text = outcomes_table([], [])
    assert "0 voyages" in text and "disruption rate -" in text and text.count("(none)") == 2


def test_voyages_lost_to_the_law_by_deciding_state():
    from mda_sim.analysis.outcomes import lost_to_law
    from mda_sim.eventlog.records import LegalDecision, VoyageOutcome

    cite_fr = "Treaty of San Jose Art. 12(1)(a)"
    log = [
        LegalDecision(1.0, "a", "p", "USA", "enter", "request", "art12_1_a_authorization", cite_fr, "FRA",
                      "territorial_sea", "MTQ", ""),
        VoyageOutcome(2.0, "a", "f", "blocked", "landed first", cite_fr, False, 500.0, 0.0),
        LegalDecision(1.0, "b", "p", "USA", "enter", "request", "art12_1_a_authorization", cite_fr, "FRA",
                      "territorial_sea", "GLP", ""),
        VoyageOutcome(3.0, "b", "f", "blocked", "landed first", cite_fr, False, 300.0, 0.0),
        LegalDecision(1.0, "c", "p", "USA", "board", "request", "art16_2_express_consent",
                      "Treaty of San Jose Art. 16(2)", "BLZ", "high_seas", "", ""),
        VoyageOutcome(4.0, "c", "f", "consent_refused", "refused", "Treaty of San Jose Art. 16(2)", False, 100.0, 0.0),
        VoyageOutcome(4.0, "d", "f", "seized", "seized", "UNCLOS Art. 110", True, 100.0, 100.0),  # not lost
    ]
    assert lost_to_law(log) == [("FRA", cite_fr, 2, 800.0), ("BLZ", "Treaty of San Jose Art. 16(2)", 1, 100.0)]
