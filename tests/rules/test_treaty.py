"""Boarding, entry and pursuit decisions: every branch asserts the outcome AND the citation.

Hand-built specs; the articles are those of reference/treaty-partners-threats-geography.md.
"""

from __future__ import annotations

import pytest

from mda_sim.geography import Zone
from mda_sim.rules import (
    boarding_seaward,
    continue_pursuit,
    hot_pursuit,
    patrol_in_waters,
    pursuit_into_waters,
)
from mda_sim.scenario.specs import BilateralAgreement, TreatyOfSanJose, TreatyParty

TREATY = TreatyOfSanJose(
    parties=(
        TreatyParty(state="USA"),  # all treaty defaults: 12(1)(a), 16(1)
        TreatyParty(state="FRA", art12_vessels="b"),
        TreatyParty(state="NLD", art16_boarding="deemed_after_4h"),
        TreatyParty(state="BLZ", art16_boarding="express_consent"),  # reference §1.2: 16(2)
        TreatyParty(state="DOM", art16_boarding="express_consent"),
    )
)
US_LCA = BilateralAgreement(
    id="us_lca",
    name="US-Saint Lucia maritime counter-drug agreement",
    parties=("USA", "LCA"),
    provisions=("shiprider", "pursuit"),
)
US_DOM = BilateralAgreement(
    id="us_dom",
    name="US-Dominican Republic maritime counter-drug agreement",
    parties=("USA", "DOM"),
    provisions=("shipboarding", "shiprider", "pursuit"),
)
US_GBR = BilateralAgreement(
    id="us_gbr",
    name="US-UK reciprocal six-part pact",
    parties=("USA", "GBR"),
    provisions=("shipboarding", "shiprider", "pursuit", "overflight"),
)
AGREEMENTS = (US_LCA, US_DOM, US_GBR)
TSJ = "Treaty of San Jose"


def check(decision, outcome, citation, authority=None, rule=None):
    assert decision.outcome == outcome, decision
    assert decision.citation == citation, decision
    assert decision.authority == authority, decision
    if rule is not None:
        assert decision.rule == rule, decision


# --- boarding seaward of any territorial sea -------------------------------------------------------


@pytest.mark.parametrize("zone", [Zone.CONTIGUOUS_ZONE, Zone.EEZ, Zone.HIGH_SEAS])
def test_art16_1_default_election_authorizes_boarding(zone):
    check(
        boarding_seaward("FRA", "USA", zone, TREATY),
        "allowed",
        f"{TSJ} Art. 16(1)",
        rule="art16_1_treaty_authorization",
    )


def test_art16_2_express_consent_needs_a_request_to_the_flag_state():
    d = boarding_seaward("FRA", "BLZ", Zone.HIGH_SEAS, TREATY)
    check(d, "request", f"{TSJ} Art. 16(2)", authority="BLZ", rule="art16_2_express_consent")
    assert "16(4)" in d.note


def test_art16_3_deemed_authorization_after_4h_is_a_request():
    d = boarding_seaward("USA", "NLD", Zone.EEZ, TREATY)
    check(d, "request", f"{TSJ} Art. 16(3)", authority="NLD", rule="art16_3_deemed_after_4h")
    assert "4 h" in d.note


def test_bilateral_shipboarding_complements_the_treaty_under_art31_2():
    d = boarding_seaward("USA", "DOM", Zone.HIGH_SEAS, TREATY, AGREEMENTS)
    check(
        d,
        "allowed",
        f"{US_DOM.name} (shipboarding provision); {TSJ} Art. 31(2)",
        rule="bilateral_shipboarding",
    )


def test_bilateral_shipboarding_binds_only_its_two_parties():
    check(
        boarding_seaward("FRA", "DOM", Zone.HIGH_SEAS, TREATY, AGREEMENTS),
        "request",
        f"{TSJ} Art. 16(2)",
        authority="DOM",
    )


def test_non_party_flag_falls_back_to_vienna_art17_consent():
    d = boarding_seaward("USA", "VCT", Zone.HIGH_SEAS, TREATY, AGREEMENTS)
    check(
        d,
        "request",
        "1988 Vienna Convention Art. 17",
        authority="VCT",
        rule="vienna_art17_flag_consent",
    )


def test_non_party_boarding_state_cannot_use_art16():
    check(
        boarding_seaward("VCT", "USA", Zone.EEZ, TREATY),
        "request",
        "1988 Vienna Convention Art. 17",
        authority="USA",
    )


def test_bilateral_shipboarding_with_a_non_party_cites_the_agreement_alone():
    check(
        boarding_seaward("USA", "GBR", Zone.HIGH_SEAS, TREATY, AGREEMENTS),
        "allowed",
        f"{US_GBR.name} (shipboarding provision)",
    )


def test_vessel_without_any_claim_is_boarded_under_art16_6_7():
    d = boarding_seaward("FRA", "no_claim", Zone.HIGH_SEAS, TREATY)
    check(d, "allowed", f"{TSJ} Art. 16(6)-(7)", rule="art16_6_no_nationality")
    assert "stateless" in d.note


def test_vessel_without_any_claim_boarded_by_a_non_party_under_the_right_of_visit():
    check(boarding_seaward("GBR", "no_claim", Zone.HIGH_SEAS, TREATY), "allowed", "UNCLOS Art. 110")


def test_stateless_vessel_is_boarded_under_the_right_of_visit():
    check(
        boarding_seaward("USA", "stateless", Zone.CONTIGUOUS_ZONE, TREATY),
        "allowed",
        "UNCLOS Art. 110",
        rule="right_of_visit_stateless",
    )


def test_own_flag_vessel():
    check(
        boarding_seaward("BLZ", "BLZ", Zone.HIGH_SEAS, TREATY),
        "allowed",
        f"{TSJ} Art. 23",
        rule="own_flag",
    )


@pytest.mark.parametrize("zone", [Zone.TERRITORIAL_SEA, Zone.LAND])
def test_boarding_seaward_refuses_other_zones(zone):
    with pytest.raises(ValueError, match=zone.name):
        boarding_seaward("USA", "FRA", zone, TREATY)


# --- pursuit into another state's territorial sea --------------------------------------------------


def test_art12_1_a_election_needs_authorization():
    d = pursuit_into_waters("FRA", "USA", TREATY)
    check(d, "request", f"{TSJ} Art. 12(1)(a)", authority="USA", rule="art12_1_a_authorization")
    assert "12(3)" in d.note


def test_art12_1_b_election_notice_suffices_without_a_coastal_asset():
    d = pursuit_into_waters("USA", "FRA", TREATY, coastal_asset_available=False)
    check(d, "allowed", f"{TSJ} Art. 12(1)(b)", rule="art12_1_b_notice")
    assert "notice to FRA" in d.note


def test_art12_1_b_election_with_a_coastal_asset_available_needs_a_request():
    d = pursuit_into_waters("USA", "FRA", TREATY, coastal_asset_available=True)
    check(
        d,
        "request",
        f"{TSJ} Arts 11, 12(1)(b)",
        authority="FRA",
        rule="art12_1_b_coastal_asset_available",
    )


def test_embarked_shiprider_authorizes_entry_under_art9_3_c():
    d = pursuit_into_waters("FRA", "USA", TREATY, shiprider_embarked=True)
    check(d, "allowed", f"{TSJ} Art. 9(3)(c)", rule="art9_3_c_shiprider")
    assert "9(4)" in d.note


def test_own_territorial_sea():
    check(pursuit_into_waters("FRA", "FRA", TREATY), "allowed", f"{TSJ} Art. 23", rule="own_waters")


def test_bilateral_pursuit_complements_art12_1_a():
    # DOM keeps the default 12(1)(a) but the US-DOM agreement has a pursuit provision.
    d = pursuit_into_waters("USA", "DOM", TREATY, AGREEMENTS)
    check(
        d,
        "allowed",
        f"{US_DOM.name} (pursuit provision); {TSJ} Art. 31(2)",
        rule="bilateral_pursuit",
    )


def test_bilateral_pursuit_into_non_party_waters():
    check(
        pursuit_into_waters("USA", "LCA", TREATY, AGREEMENTS),
        "allowed",
        f"{US_LCA.name} (pursuit provision)",
    )


def test_bilateral_shiprider_into_non_party_waters():
    d = pursuit_into_waters("USA", "LCA", TREATY, AGREEMENTS, shiprider_embarked=True)
    check(d, "allowed", f"{US_LCA.name} (shiprider provision)", rule="bilateral_shiprider")


def test_no_agreement_asks_the_coastal_state():
    d = pursuit_into_waters("FRA", "LCA", TREATY, AGREEMENTS, shiprider_embarked=True)
    check(d, "request", "UNCLOS Art. 111", authority="LCA", rule="no_agreement_coastal_consent")


# --- patrols -----------------------------------------------------------------------------------


def test_no_independent_patrolling_in_a_party_s_waters():
    d = patrol_in_waters("USA", "FRA", TREATY)
    check(d, "denied", f"{TSJ} Art. 11(4)", rule="art11_4_no_independent_patrol")


def test_embarked_shiprider_authorizes_patrol_under_art9_3_d():
    check(
        patrol_in_waters("USA", "FRA", TREATY, shiprider_embarked=True),
        "allowed",
        f"{TSJ} Art. 9(3)(d)",
        rule="art9_3_d_shiprider",
    )


def test_patrol_in_own_waters_and_without_any_agreement():
    check(patrol_in_waters("USA", "USA", TREATY), "allowed", f"{TSJ} Art. 23")
    d = patrol_in_waters("FRA", "LCA", TREATY, AGREEMENTS)
    assert (
        d.outcome == "denied" and d.rule == "no_agreement" and d.citation.startswith("no agreement")
    )


# --- hot pursuit (UNCLOS Art. 111) ---------------------------------------------------------------


@pytest.mark.parametrize("zone", [Zone.CONTIGUOUS_ZONE, Zone.EEZ, Zone.HIGH_SEAS])
def test_hot_pursuit_continues_seaward(zone):
    check(
        hot_pursuit("USA", "VCT", zone, "VCT"),
        "allowed",
        "UNCLOS Art. 111",
        rule="art111_hot_pursuit",
    )


def test_hot_pursuit_continues_in_own_territorial_sea():
    check(hot_pursuit("USA", "VCT", Zone.TERRITORIAL_SEA, "USA"), "allowed", "UNCLOS Art. 111")


@pytest.mark.parametrize(
    "coastal, whose", [("VCT", "its own flag state"), ("LCA", "a third state")]
)
def test_hot_pursuit_ends_at_a_foreign_territorial_sea(coastal, whose):
    d = hot_pursuit("USA", "VCT", Zone.TERRITORIAL_SEA, coastal)
    check(d, "denied", "UNCLOS Art. 111", rule="art111_ends_at_foreign_territorial_sea")
    assert whose in d.note


def test_hot_pursuit_needs_a_coastal_state_in_a_territorial_sea():
    with pytest.raises(ValueError, match="coastal = None"):
        hot_pursuit("USA", "VCT", Zone.TERRITORIAL_SEA, None)


def test_continue_pursuit_hands_over_to_the_treaty_where_hot_pursuit_ends():
    check(
        continue_pursuit("USA", "stateless", Zone.EEZ, "FRA", TREATY), "allowed", "UNCLOS Art. 111"
    )
    check(
        continue_pursuit("USA", "stateless", Zone.TERRITORIAL_SEA, "FRA", TREATY),
        "allowed",
        f"{TSJ} Art. 12(1)(b)",
    )
    check(
        continue_pursuit(
            "USA", "stateless", Zone.TERRITORIAL_SEA, "FRA", TREATY, coastal_asset_available=True
        ),
        "request",
        f"{TSJ} Arts 11, 12(1)(b)",
        authority="FRA",
    )
    check(
        continue_pursuit("USA", "VCT", Zone.TERRITORIAL_SEA, "VCT", TREATY),
        "request",
        "UNCLOS Art. 111",
        authority="VCT",
    )
