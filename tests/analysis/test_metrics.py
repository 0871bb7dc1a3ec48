"""The analyzer registry and every metric family, on small hand-made logs with known answers."""

from __future__ import annotations

import math
import random
import re
from dataclasses import asdict

import pytest

from mda_sim.analysis.metrics import (
    ANALYZERS,
    Analyzer,
    asset_table,
    known_metric,
    register_analyzer,
    run_analyzers,
    static_metric_names,
    voyage_table,
)
from mda_sim.analysis.outcomes import OUTCOME_ORDER
from mda_sim.eventlog.records import (
    Arrived,
    AssetState,
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

DURATION_H = 24.0
ART17 = "1988 Vienna Convention Art. 17(3)"


# --- building logs ------------------------------------------------------------------------------------


def _departed(t, vessel, vessel_type="go_fast", kg=0.0, illicit=True, flow="ven_gofast"):
    return VesselDeparted(t, vessel, flow, vessel_type, illicit, "cocaine" if illicit else "",
                          "stateless", 0.0, 0.0, False, cargo_kg=kg)


def _detected(t, vessel, partner):
    return Detected(t, vessel, f"{partner}_radar", partner, 10.0, 0.5)


def _decision(t, vessel, outcome, action="board", asset="cutter/1"):
    return LegalDecision(t, vessel, asset, "USA", action, outcome, "rule", ART17,
                         "VEN" if outcome == "request" else "", "high_seas", "", "")


def _outcome(t, vessel, outcome, kg, removed=0.0, disrupted=False, flow="ven_gofast"):
    return VoyageOutcome(t, vessel, flow, outcome, "reason", "", disrupted, kg, removed)


def minimal_log(outcome="arrived_undetected", vessel_type="go_fast", kg=100.0):
    """The smallest consistent log: one illicit voyage, departed at 0, arrived at 5, with its
    outcome; nothing saw it and no asset left base."""
    return [
        _departed(0.0, "g1", vessel_type, kg),
        Arrived(5.0, "g1", 0.0, 0.0),
        _outcome(5.0, "g1", outcome, kg),
    ]


def _log():
    """Four illicit voyages and one lawful one, four hulls and a boat, over a 24 h run.

    g1 go_fast 400 kg: rss detects at 2, the rss picture labels it suspect at 3, cutter/1 tasked at
        4, intercepts at 6; boarding needs VEN's consent (granted after 1 h, at 7); boarded at 8,
        seized.
    g2 go_fast 300 kg: uscg detects at 5, suspect at 5.5, cutter/2 tasked at 6.5, the go-fast
        jettisons at 7, intercepted at 7.5, boarding allowed outright; boarded at 9.5, nothing found.
    g3 panga 200 kg: rss detects at 4, suspect at 4.5, helo/1 tasked at 5; entry denied, the
        pursuit ends blocked at 6.
    g4 panga 100 kg: never seen, arrives at 10.
    c1 freighter (lawful): bb detects it at 1, cleared.
    """
    return [
        _departed(0.0, "g1", "go_fast", 400.0),
        _departed(1.0, "g2", "go_fast", 300.0),
        _departed(2.0, "g3", "panga", 200.0),
        _departed(3.0, "g4", "panga", 100.0),
        _departed(0.0, "c1", "freighter", illicit=False, flow="cargo"),
        # hulls, airframes and a boat
        AssetState(0.0, "cutter/1", "at_base"),
        AssetState(0.0, "cutter/2", "at_base"),
        AssetState(0.0, "helo/1", "at_base"),
        AssetState(0.0, "helo/2", "unavailable"),
        AssetState(1.0, "cutter/1", "sortie"),
        AssetState(2.0, "cutter/2", "sortie"),
        AssetState(4.5, "helo/1", "sortie"),
        AssetState(7.0, "helo/1", "returned"),
        AssetState(8.0, "cutter/2/rhib", "launched"),
        AssetState(9.5, "cutter/2/rhib", "recovered"),
        AssetState(10.0, "cutter/1", "returned"),
        AssetState(12.0, "cutter/1", "sortie"),  # still out at the end of the run
        AssetState(14.0, "cutter/2", "returned"),
        # c1
        _detected(1.0, "c1", "bb"),
        Classified(1.5, "t0", "bb", "c1", "cleared", True, "ais"),
        Arrived(12.0, "c1", 0.0, 0.0),
        # g1
        _detected(2.0, "g1", "rss"),
        _detected(3.0, "g1", "uscg"),
        Classified(3.0, "t1", "rss", "g1", "suspect", True, "behaviour"),
        Classified(4.0, "t1", "shared", "g1", "suspect", True, "behaviour"),
        Tasked(4.0, "cutter/1", "t1", "g1", 2.0, 0.0, 0.0, "nearest"),
        PursuitEnded(6.0, "cutter/1", "g1", "intercepted"),
        _decision(6.0, "g1", "request"),
        AuthorityAnswered(7.0, "g1", "VEN", "board", True, 1.0, "rule", ART17),
        Boarded(8.0, "g1", "cutter/1", 1.0, True),
        Seized(8.0, "g1", "cutter/1", 400.0, 0, 3, "USA", "San Juan", ART17),
        _outcome(8.0, "g1", "seized", 400.0, 400.0, True),
        # g2
        _detected(5.0, "g2", "uscg"),
        Classified(5.5, "t2", "shared", "g2", "suspect", True, "behaviour"),
        Tasked(6.5, "cutter/2", "t2", "g2", 1.0, 0.0, 0.0, "nearest"),
        Jettisoned(7.0, "g2", "cutter/2", 300.0, 0.0),
        PursuitEnded(7.5, "cutter/2", "g2", "intercepted"),
        _decision(7.5, "g2", "allowed", asset="cutter/2"),
        Boarded(9.5, "g2", "cutter/2", 2.0, False),
        _outcome(9.5, "g2", "jettisoned", 300.0, 300.0, True),
        # g3
        _detected(4.0, "g3", "rss"),
        Classified(4.5, "t3", "shared", "g3", "suspect", True, "behaviour"),
        Tasked(5.0, "helo/1", "t3", "g3", 1.0, 0.0, 0.0, "nearest"),
        _decision(6.0, "g3", "denied", action="enter", asset="helo/1"),
        PursuitEnded(6.0, "helo/1", "g3", "blocked"),
        _outcome(6.0, "g3", "blocked", 200.0),
        # g4
        Arrived(10.0, "g4", 0.0, 0.0),
        _outcome(10.0, "g4", "arrived_undetected", 100.0),
    ]


def _metrics(name, events, duration_h=DURATION_H):
    return ANALYZERS[name]().metrics(events, duration_h=duration_h)


def _assert_metrics(got, expected):
    """``got`` has exactly ``expected``'s keys, and equal values (NaN equal to NaN)."""
    assert set(got) == set(expected)
    for key, want in expected.items():
        if math.isnan(want):
            assert math.isnan(got[key]), key
        else:
            assert got[key] == pytest.approx(want), key


NAN = math.nan


# --- the metric families ---------------------------------------------------------------------------


def test_killchain_funnel_and_group_rates():
    _assert_metrics(_metrics("killchain", _log()), {
        "n_illicit": 4,
        "frac_detected": 3 / 4,
        "frac_classified": 3 / 4,
        "frac_assigned": 3 / 4,
        "frac_intercepted": 2 / 4,
        "frac_authorized": 2 / 4,  # g1 granted after a request, g2 allowed outright
        "frac_boarded": 2 / 4,
        "frac_disrupted": 2 / 4,
        "detect_rate_go_fast": 1.0,
        "detect_rate_panga": 0.5,
        "disrupt_rate_go_fast": 1.0,
        "disrupt_rate_panga": 0.0,
        "interdict_rate_go_fast": 1.0,
        "interdict_rate_panga": 0.0,
        "disrupt_rate_illicit": 0.5,
        "interdict_rate_illicit": 0.5,
        "disrupt_given_detect": 2 / 3,
    })


def test_interdiction_counts_a_boarding_that_found_nothing_but_disruption_does_not():
    log = [*minimal_log("boarded_no_evidence"), Boarded(4.0, "g1", "cutter/1", 1.0, False)]
    m = _metrics("killchain", log)
    assert m["interdict_rate_go_fast"] == 1.0
    assert m["disrupt_rate_go_fast"] == 0.0


def test_killchain_nan_without_illicit_voyages_or_detections():
    m = _metrics("killchain", [])
    assert m["n_illicit"] == 0
    assert all(math.isnan(v) for k, v in m.items() if k != "n_illicit")
    m = _metrics("killchain", minimal_log())
    assert m["frac_detected"] == 0.0 and m["detect_rate_go_fast"] == 0.0
    assert math.isnan(m["disrupt_given_detect"])  # nothing detected: no denominator


def test_killchain_ignores_lawful_traffic():
    log = [_departed(0.0, "c1", "freighter", illicit=False), _detected(1.0, "c1", "uscg")]
    m = _metrics("killchain", log)
    assert m["n_illicit"] == 0
    assert not any(k.endswith("_freighter") for k in m)


def test_timing_means_and_medians():
    _assert_metrics(_metrics("timing", _log()), {
        "mean_time_to_detect_h": (2 + 4 + 2) / 3,
        "median_time_to_detect_h": 2.0,
        "mean_time_to_classify_h": (1 + 0.5 + 0.5) / 3,
        "median_time_to_classify_h": 0.5,
        "mean_time_to_assign_h": (1 + 1 + 0.5) / 3,
        "median_time_to_assign_h": 1.0,
        "mean_time_to_intercept_h": (2 + 1) / 2,
        "median_time_to_intercept_h": 1.5,
    })


def test_timing_nan_when_no_voyage_reached_the_step_and_out_of_order_steps_left_out():
    m = _metrics("timing", minimal_log())
    assert all(math.isnan(v) for v in m.values())
    # Labelled suspect (from AIS) before any radar saw it: no classify time, but a detect time.
    log = [*minimal_log(), Classified(1.0, "t1", "shared", "g1", "suspect", True, "ais"),
           _detected(2.0, "g1", "uscg")]
    m = _metrics("timing", log)
    assert m["mean_time_to_detect_h"] == 2.0
    assert math.isnan(m["mean_time_to_classify_h"])


def test_outcomes_counts_cargo_and_rates():
    expected = {f"n_outcome_{o}": 0.0 for o in OUTCOME_ORDER}
    expected.update(n_outcome_seized=1, n_outcome_jettisoned=1, n_outcome_blocked=1,
                    n_outcome_arrived_undetected=1, cargo_shipped_kg=1000.0, cargo_removed_kg=700.0,
                    removal_rate=0.7, disruption_rate=0.5)
    _assert_metrics(_metrics("outcomes", _log()), expected)


def test_outcomes_nan_rates_without_outcomes_or_cargo():
    m = _metrics("outcomes", [])
    assert math.isnan(m["removal_rate"]) and math.isnan(m["disruption_rate"])
    assert m["cargo_shipped_kg"] == 0.0 and m["n_outcome_seized"] == 0.0
    m = _metrics("outcomes", minimal_log(kg=0.0))  # a migrant run: no contraband
    assert math.isnan(m["removal_rate"]) and m["disruption_rate"] == 0.0


def test_legal_decisions_and_waits():
    _assert_metrics(_metrics("legal", _log()), {
        "n_legal_decisions": 3,
        "n_requests": 1,
        "n_denied": 1,
        "n_blocked_by_law": 1,
        "n_authority_answers": 1,
        "n_consent_granted": 1,
        "mean_authorization_latency_h": 1.0,
        "median_consent_wait_h": 1.0,
    })


def test_legal_waits_over_all_answers_and_consent_refused_is_blocked_by_law():
    log = [
        *minimal_log("consent_refused"),
        AuthorityAnswered(2.0, "g1", "VEN", "board", True, 1.0, "r", ""),
        AuthorityAnswered(3.0, "g1", "VEN", "board", False, 2.0, "r", ""),
        AuthorityAnswered(4.0, "g1", "VEN", "board", True, 6.0, "r", ""),
    ]
    m = _metrics("legal", log)
    assert m["mean_authorization_latency_h"] == 3.0
    assert m["median_consent_wait_h"] == 2.0
    assert m["n_consent_granted"] == 2 and m["n_blocked_by_law"] == 1


def test_legal_nan_waits_without_answers():
    m = _metrics("legal", minimal_log())
    assert math.isnan(m["mean_authorization_latency_h"]) and math.isnan(m["median_consent_wait_h"])
    assert m["n_legal_decisions"] == 0


def test_sensors_first_detection_share_by_partner():
    # g1 and g3 first seen by rss, g2 by uscg; bb only saw the lawful c1.
    _assert_metrics(_metrics("sensors", _log()), {
        "first_detect_share_rss": 2 / 3,
        "first_detect_share_uscg": 1 / 3,
        "first_detect_share_bb": 0.0,
        "n_detected_illicit": 3,
    })


def test_sensors_ties_go_to_the_first_record_and_shares_are_nan_without_detections():
    log = [*minimal_log(), _detected(2.0, "g1", "uscg"), _detected(1.0, "g1", "RSS-Coast"),
           _detected(1.0, "g1", "uscg")]
    m = _metrics("sensors", log)
    assert m["first_detect_share_rss_coast"] == 1.0 and m["first_detect_share_uscg"] == 0.0
    m = _metrics("sensors", [*minimal_log(), _departed(0.0, "c1", illicit=False),
                             _detected(1.0, "c1", "uscg")])
    assert math.isnan(m["first_detect_share_uscg"]) and m["n_detected_illicit"] == 0


def test_assets_hours_sorties_utilization_prosecution():
    _assert_metrics(_metrics("assets", _log()), {
        "n_hulls": 4,  # the boat is not a hull
        # cutter/1 9 h + 12 h to the run's end, cutter/2 12 h, helo/1 2.5 h, helo/2 never left
        "asset_hours_at_sea_h": 35.5,
        "hours_at_sea_cutter_h": 33.0,
        "hours_at_sea_helo_h": 2.5,
        "sorties": 4,
        "asset_utilization": 35.5 / (4 * DURATION_H),
        # cutter/1 4 -> boarded 8, cutter/2 6.5 -> boarded 9.5, helo/1 5 -> blocked 6
        "asset_hours_prosecuting_h": 4.0 + 3.0 + 1.0,
    })


def test_assets_nan_utilization_without_hulls_or_run_length():
    m = _metrics("assets", [])
    assert m["n_hulls"] == 0 and m["asset_hours_at_sea_h"] == 0 and math.isnan(m["asset_utilization"])
    m = _metrics("assets", [AssetState(0.0, "cutter/1", "at_base")], duration_h=0.0)
    assert m["n_hulls"] == 1 and math.isnan(m["asset_utilization"])


def test_prosecution_spells_retasking_open_pursuits_and_intercepts_without_boarding():
    log = [
        # cutter/1: after g1 at 1, re-tasked to g2 at 2 (g1's pursuit ends at the same time, logged
        # after the new tasking), intercepts g2 at 4, no boarding (blocked): 1 -> 4 = 3 h.
        Tasked(1.0, "cutter/1", "t1", "g1", 1.0, 0.0, 0.0, "nearest"),
        Tasked(2.0, "cutter/1", "t2", "g2", 1.0, 0.0, 0.0, "nearest"),
        PursuitEnded(2.0, "cutter/1", "g1", "retasked"),
        PursuitEnded(4.0, "cutter/1", "g2", "intercepted"),
        # cutter/1 later boards g2 on a second tasking: the first spell does not stretch to it.
        Tasked(10.0, "cutter/1", "t2", "g2", 1.0, 0.0, 0.0, "cue"),
        PursuitEnded(11.0, "cutter/1", "g2", "intercepted"),
        Boarded(12.0, "g2", "cutter/1", 1.0, False),  # 10 -> 12 = 2 h
        # helo/1: tasked at 20, still chasing at the end of the run (24): 4 h.
        Tasked(20.0, "helo/1", "t3", "g3", 1.0, 0.0, 0.0, "nearest"),
    ]
    rows = {r.asset: r for r in asset_table(log, DURATION_H)}
    assert rows["cutter/1"].hours_prosecuting_h == pytest.approx(5.0)
    assert rows["cutter/1"].taskings == 3 and rows["cutter/1"].intercepts == 2
    assert rows["helo/1"].hours_prosecuting_h == pytest.approx(4.0)
    assert _metrics("assets", log)["asset_hours_prosecuting_h"] == pytest.approx(9.0)


# --- the tidy tables ---------------------------------------------------------------------------------


def test_voyage_table_rows():
    rows = {r.vessel: r for r in voyage_table(_log())}
    assert sorted(rows) == ["c1", "g1", "g2", "g3", "g4"]
    g1 = rows["g1"]
    assert (g1.vessel_type, g1.illicit, g1.cargo_kg) == ("go_fast", True, 400.0)
    assert (g1.first_detected_h, g1.first_detect_partner, g1.first_detect_sensor) == (2.0, "rss", "rss_radar")
    assert (g1.suspect_h, g1.tasked_h, g1.intercepted_h, g1.authorized_h, g1.boarded_h) == (3, 4, 6, 7, 8)
    assert (g1.outcome, g1.disrupted, g1.removed_kg, g1.seized_kg, g1.interdicted) == (
        "seized", True, 400.0, 400.0, True)
    assert rows["g2"].jettisoned_kg == 300.0 and rows["g2"].seized_kg == 0.0
    g4 = rows["g4"]
    assert g4.arrived_h == 10.0 and math.isnan(g4.first_detected_h) and g4.first_detect_partner == ""
    c1 = rows["c1"]
    assert (c1.illicit, c1.outcome, c1.disrupted, c1.vessel_type) == (False, "", False, "freighter")
    # plain values, ready for a CSV writer
    plain = (str, bool, int, float)
    assert all(isinstance(v, plain) for r in rows.values() for v in asdict(r).values())


def test_voyage_table_outcome_without_departure_counts_as_illicit():
    rows = voyage_table([_outcome(5.0, "x", "at_sea_at_end", 50.0)])
    assert [(r.vessel, r.illicit, r.vessel_type, r.cargo_kg) for r in rows] == [("x", True, "", 50.0)]


def test_asset_table_rows():
    rows = {r.asset: r for r in asset_table(_log(), DURATION_H)}
    assert sorted(rows) == ["cutter/1", "cutter/2", "cutter/2/rhib", "helo/1", "helo/2"]
    c1 = rows["cutter/1"]
    assert (c1.group, c1.hull, c1.sorties, c1.hours_at_sea_h) == ("cutter", True, 2, 21.0)
    assert c1.utilization == pytest.approx(21.0 / DURATION_H)
    assert (c1.taskings, c1.intercepts, c1.boardings, c1.seizures, c1.seized_kg) == (1, 1, 1, 1, 400.0)
    boat = rows["cutter/2/rhib"]
    assert (boat.group, boat.hull, boat.sorties, boat.hours_at_sea_h) == ("cutter", False, 0, 1.5)
    assert rows["helo/2"].hours_at_sea_h == 0.0 and rows["helo/2"].hull
    plain = (str, bool, int, float)
    assert all(isinstance(v, plain) for r in rows.values() for v in asdict(r).values())


# --- the registry ---------------------------------------------------------------------------------------


def test_builtin_analyzers_registered():
    assert set(ANALYZERS) == {"killchain", "outcomes", "legal", "timing", "assets", "sensors"}
    for name, cls in ANALYZERS.items():
        assert cls.name == name
        assert isinstance(cls(), Analyzer)


def test_analyzers_need_only_a_plain_list_of_events_in_any_order():
    log = _log()
    shuffled = list(log)
    random.Random(1).shuffle(shuffled)
    for name, cls in ANALYZERS.items():
        got = cls().metrics(list(log), duration_h=DURATION_H)
        assert got, name
        assert all(type(v) is float for v in got.values()), name
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in got), name
        again = cls().metrics(shuffled, duration_h=DURATION_H)
        _assert_metrics(again, got)


def test_run_analyzers_merges_all_and_takes_an_iterator():
    merged = run_analyzers(iter(_log()), DURATION_H)
    n = 0
    for cls in ANALYZERS.values():
        each = cls().metrics(_log(), duration_h=DURATION_H)
        _assert_metrics({k: merged[k] for k in each}, each)
        n += len(each)
    assert len(merged) == n
    assert merged["frac_detected"] == 0.75 and merged["asset_hours_at_sea_h"] == 35.5


def test_run_analyzers_named_subset():
    got = run_analyzers(_log(), DURATION_H, names=["legal", "sensors"])
    assert set(got) == set(_metrics("legal", _log())) | set(_metrics("sensors", _log()))
    assert set(run_analyzers(_log(), DURATION_H, names="legal")) == set(_metrics("legal", _log()))


def test_unknown_analyzer_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown analyzer") as err:
        run_analyzers(_log(), DURATION_H, names=["killchain", "nope"])
    msg = str(err.value)
    assert "'nope'" in msg
    assert all(name in msg for name in ANALYZERS)


def test_metric_name_clash_raises(monkeypatch):
    class A:
        name = "a"

        def metrics(self, events, *, duration_h):
            return {"n_things": 1.0}

    class B:
        name = "b"

        def metrics(self, events, *, duration_h):
            return {"n_things": 2.0}

    monkeypatch.setitem(ANALYZERS, "a", A)
    monkeypatch.setitem(ANALYZERS, "b", B)
    assert run_analyzers([], 1.0, names=["a"]) == {"n_things": 1.0}
    with pytest.raises(ValueError, match="'n_things'.*'a'.*'b'"):
        run_analyzers([], 1.0, names=["a", "b"])


def test_register_analyzer_adds_refuses_duplicates_and_nameless(monkeypatch):
    monkeypatch.setattr("mda_sim.analysis.metrics.ANALYZERS", dict(ANALYZERS))
    from mda_sim.analysis import metrics

    @register_analyzer
    class Count:
        name = "count"

        def metrics(self, events, *, duration_h):
            return {"n_events": float(len(events))}

    assert metrics.ANALYZERS["count"] is Count
    assert run_analyzers(minimal_log(), 1.0, names=["count"]) == {"n_events": 3.0}
    with pytest.raises(ValueError, match="registered twice"):
        register_analyzer(type("Again", (), {"name": "count", "metrics": Count.metrics}))
    with pytest.raises(TypeError, match="name"):
        register_analyzer(type("Nameless", (), {}))
    assert "count" not in ANALYZERS  # the real registry is untouched


def test_vessel_types_group_by_metric_name_and_a_clash_with_an_aggregate_raises():
    log = [*minimal_log(vessel_type="go-fast"), _departed(0.0, "g2", "go_fast", 10.0),
           _outcome(5.0, "g2", "arrived_undetected", 10.0)]
    # both types map to 'go_fast': their voyages are one group
    assert _metrics("killchain", log)["detect_rate_go_fast"] == 0.0
    log = [*minimal_log(vessel_type="illicit")]
    with pytest.raises(ValueError, match="disrupt_rate_illicit"):
        _metrics("killchain", log)


def test_every_metric_of_a_full_log_is_known_to_the_sweep_file_check():
    """Sweep files name metrics before any run; known_metric must accept every name the analyzers
    make, including the per-type, per-partner and per-group families, and nothing misspelt."""
    names = set(run_analyzers(_log(), DURATION_H))
    assert {n for n in names if n not in static_metric_names()}  # the log does make family members
    assert all(known_metric(n) for n in names), sorted(n for n in names if not known_metric(n))
    assert not known_metric("frac_detectd") and not known_metric("detect_rate")
