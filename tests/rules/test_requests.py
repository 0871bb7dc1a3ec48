"""Requests resolved in time (Art. 16(3) deemed authorization after 4 h; every other request at
its answer) and the Art. 6(5) refuted claim of nationality."""

from __future__ import annotations

import math

import pytest

from mda_sim.geography import Zone
from mda_sim.rules import (
    ART6_ANSWER_LIMIT_H,
    ART16_3_DEEMED_AFTER_H,
    Decision,
    Resolution,
    boarding_seaward,
    entry_to_investigate,
    pursuit_into_waters,
    refuted_claim_decision,
    resolve_request,
)
from mda_sim.scenario.specs import TreatyOfSanJose, TreatyParty

TSJ = "Treaty of San Jose"
TREATY = TreatyOfSanJose(
    parties=(
        TreatyParty(state="USA"),
        TreatyParty(state="NLD", art16_boarding="deemed_after_4h"),
        TreatyParty(state="BLZ", art16_boarding="express_consent"),
    )
)
DEEMED = boarding_seaward("USA", "NLD", Zone.HIGH_SEAS, TREATY)
EXPRESS = boarding_seaward("USA", "BLZ", Zone.HIGH_SEAS, TREATY)
VIENNA = boarding_seaward("USA", "VCT", Zone.HIGH_SEAS, TREATY)
ART12_A = pursuit_into_waters("NLD", "USA", TREATY)
ART11 = entry_to_investigate("USA", "NLD", TREATY)


def test_the_requests_are_what_the_rules_say():
    assert DEEMED.rule == "art16_3_deemed_after_4h" and DEEMED.authority == "NLD"
    assert EXPRESS.rule == "art16_2_express_consent" and VIENNA.rule == "vienna_art17_flag_consent"
    assert ART12_A.rule == "art12_1_a_authorization" and ART11.rule == "art11_authorization"


@pytest.mark.parametrize(
    "decision, delay, granted, expected",
    [
        # Art. 16(3): an answer within 4 h decides, granted or refused
        (DEEMED, 1.0, True, Resolution(True, 1.0, "art16_3_granted", f"{TSJ} Art. 16(3)")),
        (DEEMED, 3.9, False, Resolution(False, 3.9, "art16_3_refused", f"{TSJ} Art. 16(3)")),
        (DEEMED, 4.0, False, Resolution(False, 4.0, "art16_3_refused", f"{TSJ} Art. 16(3)")),
        (DEEMED, 0.0, True, Resolution(True, 0.0, "art16_3_granted", f"{TSJ} Art. 16(3)")),
        # no answer within 4 h: authorization deemed at exactly 4 h, whatever the late answer
        (DEEMED, 4.5, False, Resolution(True, 4.0, "art16_3_deemed", f"{TSJ} Art. 16(3)")),
        (DEEMED, 72.0, True, Resolution(True, 4.0, "art16_3_deemed", f"{TSJ} Art. 16(3)")),
        # every other request: at its answer, granted or refused, citing the decision's article
        (EXPRESS, 10.0, True, Resolution(True, 10.0, "art16_2_express_consent_granted", f"{TSJ} Art. 16(2)")),
        (EXPRESS, 10.0, False, Resolution(False, 10.0, "art16_2_express_consent_refused", f"{TSJ} Art. 16(2)")),
        (VIENNA, 30.0, True, Resolution(True, 30.0, "vienna_art17_flag_consent_granted", "1988 Vienna Convention Art. 17")),
        (ART12_A, 2.5, False, Resolution(False, 2.5, "art12_1_a_authorization_refused", f"{TSJ} Art. 12(1)(a)")),
        (ART11, 6.0, True, Resolution(True, 6.0, "art11_authorization_granted", f"{TSJ} Art. 11")),
    ],
)  # fmt: skip
def test_resolve_request(decision, delay, granted, expected):
    r = resolve_request(decision, delay, granted)
    assert (r.granted, r.after_h, r.rule, r.citation) == (
        expected.granted,
        expected.after_h,
        expected.rule,
        expected.citation,
    )


def test_deemed_authorization_is_exactly_at_4h_and_says_why():
    r = resolve_request(DEEMED, 4.0 + 1e-9, False)
    assert r.after_h == ART16_3_DEEMED_AFTER_H == 4.0 and r.granted
    assert "deemed" in r.note and "NLD" in r.note


@pytest.mark.parametrize("delay", [-0.1, math.inf, math.nan, -math.inf])
def test_resolve_request_rejects_a_bad_delay(delay):
    with pytest.raises(ValueError, match="answer_delay_h"):
        resolve_request(EXPRESS, delay, True)


@pytest.mark.parametrize(
    "decision",
    [
        boarding_seaward("NLD", "USA", Zone.EEZ, TREATY),  # 16(1): allowed
        Decision("denied", "art11_4_no_independent_patrol", f"{TSJ} Art. 11(4)"),
    ],
)
def test_resolve_request_rejects_a_decision_that_is_not_a_request(decision):
    with pytest.raises(ValueError, match="not 'request'"):
        resolve_request(decision, 1.0, True)


def test_resolution_is_frozen():
    r = resolve_request(EXPRESS, 1.0, True)
    with pytest.raises(AttributeError):
        r.granted = False  # type: ignore[misc]


def test_art6_4_answer_limit():
    assert ART6_ANSWER_LIMIT_H == 4.0


def test_refuted_claim_is_treated_as_stateless():
    d = refuted_claim_decision("USA")
    assert d.outcome == "allowed"
    assert d.rule == "art6_5_refuted_treated_stateless"
    assert d.citation == f"{TSJ} Art. 6(5)"
    assert "UNCLOS Art. 110" in d.note
