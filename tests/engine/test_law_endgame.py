"""The law at the end of a pursuit, end to end: who may board, when, and with what authority.

Each test builds a small scenario on the real geography around Saint Lucia (one illicit vessel on a
straight lane at a fixed speed, one boarding-capable asset on call at Castries, a fixed EO/IR sight
that sees and classifies the whole lane from the start) and checks specific facts of the event log:
the legal decisions with their rules and citations, the authorities' answers, the times of
boarding, and each voyage's one outcome. Times are exact where the model makes them exact.

Geometry (checked against the geography: Saint Lucia's territorial sea reaches about 61.29 W at
13.9 N; Martinique's about 14.57 N at 61.35 W): the high-seas lane runs south to north along
61.9 W (EEZ, seaward of every territorial sea); the runs into territorial seas start a few miles
outside one and end a few miles inside it, timed (pursuer speed, the default launch delay of
0.85 h) so that the target crosses into the waters while the pursuit is under way and before the
intercept: a 20 kn pursuer head-on into Saint Lucian waters, a 50 kn one from behind into French.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_sim.analysis.outcomes import check_one_outcome_per_illicit_voyage
from mda_sim.engine.world import World
from mda_sim.scenario.loader import load_scenario
from tests.engine.kit import _circle, _load

TOL = 1e-6
BOARDING_H = 1.0
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

#: Castries, Saint Lucia: the pursuer's base [deg].
CASTRIES = (14.010, -60.995)
#: South-to-north lane along 61.9 W, seaward of every territorial sea [deg].
HIGH_SEAS_LANE = ((13.5, -61.9), (14.5, -61.9))
#: West-to-east run at 13.9 N from the contiguous zone into Saint Lucia's territorial sea
#: (its edge is near 61.29 W): 12.5 nm outside, 7 nm inside [deg].
LCA_RUN = ((13.9, -61.505), (13.9, -61.17))
#: South-to-north run at 61.35 W into Martinique's territorial sea (edge near 14.57 N) [deg].
MTQ_RUN = ((14.40, -61.35), (14.85, -61.35))
#: South-to-north run at 61.05 W from Saint Lucia's territorial sea across the St Lucia Channel,
#: where it meets Martinique's (near 14.26 N), into French waters [deg].
LCA_TO_MTQ_RUN = ((14.10, -61.05), (14.40, -61.05))


def _doc(*, lane=HIGH_SEAS_LANE, flag="stateless", speed_kn=10.0, pursuer_kn=58.0, duration_h=10.0,
         states=(), parties=(), agreements=(), pools=(), responses=(), verification_h=None) -> dict:
    """One illicit vessel on ``lane`` claiming ``flag``; one US asset on call at Castries."""
    (lat0, lon0), (lat1, lon1) = lane
    legal: dict = {"treaty_of_san_jose": {"parties": [dict(p) for p in parties]},
                   "bilateral_agreements": [dict(a) for a in agreements],
                   "shiprider_pools": [dict(p) for p in pools],
                   "responses": [dict(r) for r in responses]}
    if verification_h is not None:
        legal["treaty_of_san_jose"]["verification_delay_h"] = {"dist": "fixed", "value": verification_h}
    return {
        "name": "law at the end-game (test)",
        "run": {"start_utc": "2026-01-05T00:00:00Z", "duration_h": duration_h, "seed": 1},
        "area": {"name": "Saint Lucia box", "lon_min_deg": -62.5, "lon_max_deg": -60.4,
                 "lat_min_deg": 13.0, "lat_max_deg": 15.0},
        "environment": {"sea_state": 1, "daylight": {"model": "always_day"}},
        "states": [{"id": "USA", "name": "United States"},
                   {"id": "LCA", "name": "Saint Lucia", "territories": ["LCA"]},
                   *[{"id": s, "name": s} for s in states]],
        "partners": [{"id": "uscg", "name": "US Coast Guard", "state": "USA", "kind": "coast_guard"}],
        "bases": [{"id": "castries", "name": "Castries", "state": "LCA", "kind": "port",
                   "lat_deg": CASTRIES[0], "lon_deg": CASTRIES[1]}],
        "assets": [{"id": "us_ic", "partner": "uscg", "type": "test_interceptor", "base": "castries",
                    "count": 1, "availability": 1.0, "patrol": {"pattern": "on_call"}}],
        "regions": [_circle("start", lat0, lon0), _circle("goal", lat1, lon1)],
        "sensors": [{"id": "eo", "type": "test_eo", "operator": "uscg", "lat_deg": lat0, "lon_deg": lon0,
                     "antenna_height_m": 3000.0, "on_platform": True}],
        "picture": {"sharing_latency_h": 0.0, "classification": {"p_correct_eo": 1.0}},
        "command": {"endgame": {"boarding_h": {"dist": "fixed", "value": BOARDING_H},
                                "p_evidence": {"cocaine": 1.0}, "p_jettison": 0.0}},
        "legal": legal,
        "traffic": {"illicit": [{
            "id": "run", "vessel_type": "test_boat", "origin": "start", "destination": "goal",
            "speed_kn": {"dist": "fixed", "value": speed_kn},
            "departures": {"process": "schedule", "times_h": [0.0]},
            "cargo": {"kind": "cocaine", "kg": {"dist": "fixed", "value": 500.0}},
            "flag": {flag: 1.0}, "evades": False, "jettisons": False}]},
        "catalog": {
            "sensor_types": [{"id": "test_eo", "name": "Test EO/IR", "kind": "eo_ir", "instrumented_range_nm": 150,
                              "detection": {"model": "definite_range", "range_nm": 150}, "classifies": True}],
            "vessel_types": [{"id": "test_boat", "name": "Test boat", "category": "go_fast", "length_m": 12.0,
                              "height_m": 2.0, "max_speed_kn": 30.0, "cruise_speed_kn": speed_kn,
                              "small_craft": True}],
            "asset_types": [{"id": "test_interceptor", "name": "Test interceptor", "category": "interceptor",
                             "max_speed_kn": pursuer_kn, "cruise_speed_kn": min(35.0, pursuer_kn),
                             "endurance_h": 48.0, "turnaround_h": 4.0}],
        },
    }


def _run(doc: dict, tmp_path, seed: int = 1, max_decisions: int | None = None):
    """Run the scenario; with ``max_decisions``, fail (rather than hang) once that many legal
    decisions have been logged -- a pursuit re-asking the law at one instant never ends."""
    spec = _load(doc, tmp_path)
    world = World(spec, seed=seed, duration_h=doc["run"]["duration_h"])
    if max_decisions is not None:
        emit, seen = world.emit, []

        def guarded(event):
            if event.kind == "legal_decision":
                seen.append(event)
                if len(seen) > max_decisions:
                    last = seen[-1]
                    raise RuntimeError(f"{len(seen)} legal decisions; the last at t = {last.t_h} h: "
                                       f"{last.action} {last.outcome} {last.rule} in {last.territory}")
            emit(event)

        world.emit = guarded
        try:
            return list(world.run())
        except RuntimeError as err:
            pytest.fail(f"runaway legal decisions: {err}", pytrace=False)
    return list(world.run())


def _kind(log, kind: str, **match) -> list:
    return [e for e in log if e.kind == kind and all(getattr(e, k) == v for k, v in match.items())]


def _one(log, kind: str, **match):
    found = _kind(log, kind, **match)
    assert len(found) == 1, f"expected one {kind} {match}, got {found}"
    return found[0]


def _outcome(log):
    assert check_one_outcome_per_illicit_voyage(log) == []
    return _one(log, "voyage_outcome")


def _intercept_h(log) -> float:
    return _one(log, "pursuit_ended", reason="intercepted").t_h


# ------------------------------------------------------------------ 1. stateless: right of visit
def test_stateless_vessel_on_the_high_seas_is_boarded_at_once(tmp_path):
    log = _run(_doc(flag="stateless"), tmp_path)
    tasked = _one(log, "tasked")
    assert tasked.asset.startswith("us_ic/")
    t_i = _intercept_h(log)
    board = _one(log, "legal_decision", action="board")
    assert board.outcome == "allowed"
    assert board.rule == "right_of_visit_stateless"
    assert board.citation == "UNCLOS Art. 110"
    assert board.acting == "USA"
    assert board.zone in ("eez", "high_seas", "contiguous_zone")
    assert board.t_h == pytest.approx(t_i, abs=TOL)
    assert _kind(log, "legal_decision", action="enter") == []
    assert _kind(log, "authority_answered") == []
    boarded = _one(log, "boarded")
    assert boarded.t_h == pytest.approx(t_i + BOARDING_H, abs=TOL)
    assert boarded.evidence
    seized = _one(log, "seized")
    assert seized.t_h == pytest.approx(boarded.t_h, abs=TOL)
    assert seized.jurisdiction == "USA"
    out = _outcome(log)
    assert out.outcome == "seized"
    assert out.citation == "UNCLOS Art. 110"
    assert out.disrupted and out.removed_kg == pytest.approx(500.0)


# ------------------------------------------------------------------ 2. Art. 16(3): deemed after 4 h
_US_DOM_16_3 = ({"state": "USA"}, {"state": "DOM", "art16_boarding": "deemed_after_4h"})


def test_art16_3_flag_silent_authorization_deemed_at_exactly_4h(tmp_path):
    doc = _doc(flag="DOM", states=("DOM",), parties=_US_DOM_16_3,
               responses=({"state": "DOM", "delay_h": {"dist": "fixed", "value": 0.5}, "p_grant": 0.0},),
               lane=((13.4, -61.9), (14.6, -61.9)), duration_h=12.0)
    log = _run(doc, tmp_path)
    t_i = _intercept_h(log)
    board = _one(log, "legal_decision", action="board")
    assert (board.outcome, board.rule, board.authority) == ("request", "art16_3_deemed_after_4h", "DOM")
    assert board.citation == "Treaty of San Jose Art. 16(3)"
    assert board.t_h == pytest.approx(t_i, abs=TOL)
    answer = _one(log, "authority_answered")
    assert (answer.authority, answer.action, answer.granted) == ("DOM", "board", True)
    assert answer.rule == "art16_3_deemed"
    assert answer.citation == "Treaty of San Jose Art. 16(3)"
    assert answer.waited_h == pytest.approx(4.0, abs=TOL)
    assert answer.t_h == pytest.approx(board.t_h + 4.0, abs=TOL)
    boarded = _one(log, "boarded")
    assert boarded.t_h == pytest.approx(board.t_h + 4.0 + BOARDING_H, abs=TOL)
    # not before: the vessel sailed on, shadowed, until authorization was deemed
    stops = [e for e in log if e.kind == "leg_started" and e.vessel == board.vessel and e.t_h < answer.t_h - TOL]
    assert all(abs(e.vx_kn) + abs(e.vy_kn) > 1.0 for e in stops)
    out = _outcome(log)
    assert out.outcome == "seized"
    assert out.citation == "Treaty of San Jose Art. 16(3)"


def test_art16_3_flag_answering_within_4h_grants_at_its_answer(tmp_path):
    doc = _doc(flag="DOM", states=("DOM",), parties=_US_DOM_16_3, verification_h=1.5,
               responses=({"state": "DOM", "delay_h": {"dist": "fixed", "value": 0.5}, "p_grant": 1.0},),
               lane=((13.4, -61.9), (14.6, -61.9)), duration_h=12.0)
    log = _run(doc, tmp_path)
    board = _one(log, "legal_decision", action="board")
    answer = _one(log, "authority_answered")
    assert (answer.rule, answer.granted) == ("art16_3_granted", True)
    assert answer.t_h == pytest.approx(board.t_h + 1.5, abs=TOL)
    assert _one(log, "boarded").t_h == pytest.approx(board.t_h + 1.5 + BOARDING_H, abs=TOL)
    assert _outcome(log).outcome == "seized"


# ------------------------------------------------------------------ 3. Art. 16(2): express consent
_US_BLZ_16_2 = ({"state": "USA"}, {"state": "BLZ", "art16_boarding": "express_consent"})


def test_art16_2_boarding_waits_for_express_consent(tmp_path):
    delay = 2.5
    doc = _doc(flag="BLZ", states=("BLZ",), parties=_US_BLZ_16_2,
               responses=({"state": "BLZ", "delay_h": {"dist": "fixed", "value": delay}, "p_grant": 1.0},),
               lane=((13.4, -61.9), (14.6, -61.9)), duration_h=12.0)
    log = _run(doc, tmp_path)
    board = _one(log, "legal_decision", action="board")
    assert (board.outcome, board.rule, board.authority) == ("request", "art16_2_express_consent", "BLZ")
    assert board.citation == "Treaty of San Jose Art. 16(2)"
    answer = _one(log, "authority_answered")
    assert (answer.granted, answer.rule) == (True, "art16_2_express_consent_granted")
    assert answer.t_h == pytest.approx(board.t_h + delay, abs=TOL)
    boarded = _one(log, "boarded")
    assert boarded.t_h - BOARDING_H >= board.t_h + delay - TOL
    assert boarded.t_h == pytest.approx(board.t_h + delay + BOARDING_H, abs=TOL)
    out = _outcome(log)
    assert (out.outcome, out.citation) == ("seized", "Treaty of San Jose Art. 16(2)")


def test_art16_2_refused_consent_means_no_boarding(tmp_path):
    doc = _doc(flag="BLZ", states=("BLZ",), parties=_US_BLZ_16_2,
               responses=({"state": "BLZ", "delay_h": {"dist": "fixed", "value": 1.0}, "p_grant": 0.0},),
               lane=((13.4, -61.9), (14.6, -61.9)), duration_h=12.0)
    log = _run(doc, tmp_path)
    board = _one(log, "legal_decision", action="board")
    assert (board.outcome, board.rule) == ("request", "art16_2_express_consent")
    answer = _one(log, "authority_answered")
    assert (answer.granted, answer.rule) == (False, "art16_2_express_consent_refused")
    assert answer.t_h == pytest.approx(board.t_h + 1.0, abs=TOL)
    assert _kind(log, "boarded") == [] and _kind(log, "seized") == []
    out = _outcome(log)
    assert out.outcome == "consent_refused"
    assert out.citation == "Treaty of San Jose Art. 16(2)"
    assert not out.disrupted


# ------------------------------------------------------------------ 4. Saint Lucia: shiprider or request
_US_LCA = ({"id": "us_lca", "name": "US - Saint Lucia agreement", "parties": ["USA", "LCA"],
            "provisions": ["shiprider"]},)
_LCA_POOL = ({"id": "lca_riders", "state": "LCA", "count": 1, "embarked_on": ["us_ic"]},)


def _lca_run(tmp_path, *, pools, lca_delay_h=10.0):
    doc = _doc(lane=LCA_RUN, pursuer_kn=20.0, parties=({"state": "USA"},), agreements=_US_LCA, pools=pools,
               responses=({"state": "LCA", "delay_h": {"dist": "fixed", "value": lca_delay_h}, "p_grant": 1.0},),
               duration_h=8.0)
    return _run(doc, tmp_path)


def test_lca_shiprider_aboard_lets_the_pursuer_follow_into_saint_lucian_waters(tmp_path):
    log = _lca_run(tmp_path, pools=_LCA_POOL)
    rider = _one(log, "shiprider", embarked=True)
    assert rider.state == "LCA" and rider.asset.startswith("us_ic/")
    enter = _one(log, "legal_decision", action="enter")
    assert rider.t_h <= enter.t_h
    assert (enter.outcome, enter.rule, enter.authority) == ("allowed", "bilateral_shiprider", "")
    assert enter.citation == "US - Saint Lucia agreement (shiprider provision)"
    assert enter.territory == "LCA"  # logged at the crossing: the zone may read as the boundary's outside
    assert _kind(log, "authority_answered") == []
    t_i = _intercept_h(log)
    assert t_i > enter.t_h  # caught inside the waters, after the crossing
    board = _one(log, "legal_decision", action="board")
    assert (board.outcome, board.rule) == ("allowed", "bilateral_shiprider")
    assert board.t_h == pytest.approx(t_i, abs=TOL)
    assert _one(log, "boarded").t_h == pytest.approx(t_i + BOARDING_H, abs=TOL)
    out = _outcome(log)
    assert out.outcome == "seized"
    assert "shiprider" in out.citation


def test_without_a_shiprider_entry_into_saint_lucian_waters_needs_a_request(tmp_path):
    log = _lca_run(tmp_path, pools=(), lca_delay_h=10.0)
    assert _kind(log, "shiprider") == []
    enter = _one(log, "legal_decision", action="enter")
    assert (enter.outcome, enter.rule, enter.authority) == ("request", "no_agreement_coastal_consent", "LCA")
    assert enter.citation == "UNCLOS Art. 111"
    assert "shiprider" not in enter.citation
    assert enter.territory == "LCA"
    # the pursuer holds outside; the go-fast lands before Castries answers
    assert _kind(log, "pursuit_ended", reason="intercepted") == []
    assert _kind(log, "authority_answered") == []
    assert _kind(log, "boarded") == []
    arrived = _one(log, "arrived")
    out = _outcome(log)
    assert out.t_h == pytest.approx(arrived.t_h, abs=TOL)
    assert (out.outcome, out.citation) == ("blocked", enter.citation)
    assert not out.disrupted


# ------------------------------------------------------------------ 5. Martinique: Art. 12(1)(a)
def _mtq_doc(fra_delay_h: float) -> dict:
    return _doc(lane=MTQ_RUN, pursuer_kn=50.0, states=("FRA",), parties=({"state": "USA"}, {"state": "FRA"}),
                responses=({"state": "FRA", "delay_h": {"dist": "fixed", "value": fra_delay_h}, "p_grant": 1.0},),
                duration_h=8.0)


def test_following_into_french_waters_needs_art12_1_a_authorization(tmp_path):
    log = _run(_mtq_doc(fra_delay_h=10.0), tmp_path)
    enter = _one(log, "legal_decision", action="enter")
    assert (enter.outcome, enter.rule, enter.authority) == ("request", "art12_1_a_authorization", "FRA")
    assert enter.citation == "Treaty of San Jose Art. 12(1)(a)"
    assert (enter.acting, enter.territory) == ("USA", "MTQ")
    # the pursuer holds outside: no answer comes before the vessel lands, so no boarding
    assert _kind(log, "authority_answered") == []
    assert _kind(log, "pursuit_ended", reason="intercepted") == [] and _kind(log, "boarded") == []
    assert _one(log, "pursuit_ended").reason == "blocked"


def test_authorized_entry_into_french_waters_covers_the_boarding(tmp_path):
    """Once FRA authorized entry (Art. 12(1)(a)), boarding inside its waters needs no second request."""
    log = _run(_mtq_doc(fra_delay_h=0.25), tmp_path)
    enter = _one(log, "legal_decision", action="enter")
    answer = _one(log, "authority_answered", action="enter")
    assert (answer.granted, answer.rule) == (True, "art12_1_a_authorization_granted")
    assert answer.t_h == pytest.approx(enter.t_h + 0.25, abs=TOL)
    t_i = _intercept_h(log)
    board = _one(log, "legal_decision", action="board")
    assert board.outcome == "allowed", f"a second request after authorized entry: {board}"
    assert _kind(log, "authority_answered", action="board") == []
    assert _one(log, "boarded").t_h == pytest.approx(t_i + BOARDING_H, abs=TOL)
    assert _outcome(log).outcome == "seized"


def test_crossing_from_saint_lucian_into_french_waters_asks_france_once(tmp_path):
    """Shiprider aboard for LCA; the target runs north across the LCA-MTQ equidistance line in the
    St Lucia Channel. The crossing must be put to FRA (Art. 12(1)(a)), once, not to LCA again."""
    doc = _doc(lane=LCA_TO_MTQ_RUN, pursuer_kn=20.0, states=("FRA",), parties=({"state": "USA"}, {"state": "FRA"}),
               agreements=_US_LCA, pools=_LCA_POOL, duration_h=4.0,
               responses=({"state": "FRA", "delay_h": {"dist": "fixed", "value": 10.0}, "p_grant": 1.0},))
    log = _run(doc, tmp_path, max_decisions=50)
    enters = _kind(log, "legal_decision", action="enter")
    assert [(e.territory, e.outcome, e.rule) for e in enters] == [
        ("LCA", "allowed", "bilateral_shiprider"),
        ("MTQ", "request", "art12_1_a_authorization"),
    ]
    assert enters[1].authority == "FRA"


# ------------------------------------------------------------------ 6. the shipped shiprider scenario
@pytest.fixture(scope="module")
def lucia_spec():
    return load_scenario(SCENARIOS / "saint_lucia_shiprider.yaml").spec


def test_saint_lucia_shiprider_every_illicit_voyage_has_one_outcome_and_runs_reproduce(lucia_spec):
    a = list(World(lucia_spec, seed=7, duration_h=48.0).run())
    b = list(World(lucia_spec, seed=7, duration_h=48.0).run())
    c = list(World(lucia_spec, seed=8, duration_h=48.0).run())
    assert check_one_outcome_per_illicit_voyage(a) == []
    assert check_one_outcome_per_illicit_voyage(c) == []
    departed = [e for e in a if e.kind == "vessel_departed" and e.illicit]
    assert departed and len(_kind(a, "voyage_outcome")) == len(departed)
    assert a == b
    assert a != c

