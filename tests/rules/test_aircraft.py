"""Suspect aircraft: following into waters (Art. 12(4)-(5)), overflight and order-to-land relay
(Art. 13(6)-(7)), bilateral provisions. Every case asserts the outcome, the rule AND the citation.

Hand-built specs; the articles are those of reference/treaty-partners-threats-geography.md.
"""

from __future__ import annotations

import pytest

from mda_sim.rules import follow_aircraft_into_airspace, order_to_land, overflight
from mda_sim.scenario.specs import BilateralAgreement, TreatyOfSanJose, TreatyParty

TSJ = "Treaty of San Jose"
TREATY = TreatyOfSanJose(
    parties=(
        TreatyParty(state="USA"),  # treaty defaults: 12(4)(a), 13(6)(a)
        TreatyParty(state="FRA", art12_aircraft="b", art13_overflight="b"),
        TreatyParty(state="NLD", art12_aircraft="b"),  # 13(6)(a) by default
        TreatyParty(state="BLZ"),  # reference §1.2: 12(4)(a), 13(6)(a)
        TreatyParty(state="DOM"),
    )
)
US_DOM = BilateralAgreement(
    id="us_dom",
    name="US-Dominican Republic maritime counter-drug agreement",
    parties=("USA", "DOM"),
    provisions=("shipboarding", "shiprider", "pursuit", "overflight", "order_to_land"),
)
US_TTO = BilateralAgreement(
    id="us_tto",
    name="US-Trinidad and Tobago agreement",
    parties=("USA", "TTO"),
    provisions=("shiprider", "pursuit", "overflight", "order_to_land"),
)
US_LCA = BilateralAgreement(
    id="us_lca",
    name="US-Saint Lucia agreement",
    parties=("USA", "LCA"),
    provisions=("shiprider", "pursuit"),
)
US_NLD = BilateralAgreement(
    id="us_nld",
    name="US-Netherlands agreement",
    parties=("USA", "NLD"),
    provisions=("pursuit",),
)
AGREEMENTS = (US_DOM, US_TTO, US_LCA, US_NLD)

NO_AGREEMENT = (
    "no agreement: Treaty of San Jose not in force between {} and {}, no bilateral {} provision"
)


def check(decision, outcome, rule, citation, authority=None):
    assert decision.outcome == outcome, decision
    assert decision.rule == rule, decision
    assert decision.citation == citation, decision
    assert decision.authority == authority, decision


# --- following a suspect aircraft into waters (Art. 12(4)-(5)) ------------------------------------


@pytest.mark.parametrize(
    "acting, coastal, agreements, rider, asset, outcome, rule, citation, authority",
    [
        # own waters and airspace
        ("USA", "USA", (), False, False, "allowed", "own_airspace", f"{TSJ} Art. 23", None),
        # 12(5) election (a), the default: authorization, asset or not
        ("FRA", "USA", (), False, False, "request", "art12_4_a_authorization", f"{TSJ} Art. 12(4)(a)", "USA"),
        ("FRA", "USA", (), False, True, "request", "art12_4_a_authorization", f"{TSJ} Art. 12(4)(a)", "USA"),
        ("FRA", "BLZ", AGREEMENTS, False, False, "request", "art12_4_a_authorization", f"{TSJ} Art. 12(4)(a)", "BLZ"),
        # 12(5) election (b): notice without a coastal asset, a request with one
        ("USA", "FRA", (), False, False, "allowed", "art12_4_b_notice", f"{TSJ} Art. 12(4)(b)", None),
        ("USA", "FRA", (), False, True, "request", "art12_4_b_coastal_asset_available", f"{TSJ} Arts 11, 12(4)(b)", "FRA"),
        # (b) with an asset available, but a bilateral pursuit provision (Art. 31(2))
        ("USA", "NLD", AGREEMENTS, False, True, "allowed", "bilateral_pursuit", f"{US_NLD.name} (pursuit provision); {TSJ} Art. 31(2)", None),
        # (b) without an asset: the election decides before the bilateral provision
        ("USA", "NLD", AGREEMENTS, False, False, "allowed", "art12_4_b_notice", f"{TSJ} Art. 12(4)(b)", None),
        # (a) but a bilateral pursuit provision between parties
        ("USA", "DOM", AGREEMENTS, False, False, "allowed", "bilateral_pursuit", f"{US_DOM.name} (pursuit provision); {TSJ} Art. 31(2)", None),
        # shiprider embarked: Art. 9(3)(c) between parties, bilateral shiprider otherwise
        ("FRA", "USA", (), True, True, "allowed", "art9_3_c_shiprider", f"{TSJ} Art. 9(3)(c)", None),
        ("USA", "LCA", AGREEMENTS, True, False, "allowed", "bilateral_shiprider", f"{US_LCA.name} (shiprider provision)", None),
        # not both parties: bilateral pursuit, else a request with no agreement
        ("USA", "TTO", AGREEMENTS, False, False, "allowed", "bilateral_pursuit", f"{US_TTO.name} (pursuit provision)", None),
        ("FRA", "LCA", AGREEMENTS, True, False, "request", "no_agreement_coastal_consent", NO_AGREEMENT.format("FRA", "LCA", "pursuit"), "LCA"),
        ("USA", "GBR", (), False, False, "request", "no_agreement_coastal_consent", NO_AGREEMENT.format("USA", "GBR", "pursuit"), "GBR"),
        ("GBR", "USA", (), False, False, "request", "no_agreement_coastal_consent", NO_AGREEMENT.format("GBR", "USA", "pursuit"), "USA"),
    ],
)  # fmt: skip
def test_follow_aircraft_into_airspace(
    acting, coastal, agreements, rider, asset, outcome, rule, citation, authority
):
    d = follow_aircraft_into_airspace(
        acting,
        coastal,
        TREATY,
        agreements,
        shiprider_embarked=rider,
        coastal_asset_available=asset,
    )
    check(d, outcome, rule, citation, authority)


def test_following_an_aircraft_keeps_contact_only_and_never_uses_force():
    d = follow_aircraft_into_airspace("FRA", "USA", TREATY)
    assert "12(4)" in d.note and "Art. 22" in d.note and "13(6)" in d.note
    assert "notice to FRA" in follow_aircraft_into_airspace("USA", "FRA", TREATY).note


def test_vessel_and_aircraft_elections_are_separate():
    treaty = TreatyOfSanJose(
        parties=(TreatyParty(state="USA"), TreatyParty(state="FRA", art12_vessels="b"))
    )
    check(
        follow_aircraft_into_airspace("USA", "FRA", treaty),
        "request",
        "art12_4_a_authorization",
        f"{TSJ} Art. 12(4)(a)",
        "FRA",
    )


# --- overflight and relay of orders to land (Art. 13(6)-(7)) --------------------------------------


CASES_13 = [
    # own airspace
    ("USA", "USA", (), "allowed", "own_airspace", f"{TSJ} Art. 23", None),
    # 13(7) election (a), the default: the designated authority authorizes
    ("FRA", "USA", (), "request", "art13_6_a_authorization", f"{TSJ} Art. 13(6)(a)", "USA"),
    ("USA", "BLZ", AGREEMENTS, "request", "art13_6_a_authorization", f"{TSJ} Art. 13(6)(a)", "BLZ"),
    ("USA", "NLD", AGREEMENTS, "request", "art13_6_a_authorization", f"{TSJ} Art. 13(6)(a)", "NLD"),
    # 13(7) election (b): advance authorization
    ("USA", "FRA", (), "allowed", "art13_6_b_advance_authorization", f"{TSJ} Art. 13(6)(b)", None),
    ("NLD", "FRA", AGREEMENTS, "allowed", "art13_6_b_advance_authorization", f"{TSJ} Art. 13(6)(b)", None),
    # no treaty between them (GBR, TTO not parties), no provision: a request
    ("GBR", "FRA", (), "request", "no_agreement_coastal_consent", NO_AGREEMENT.format("GBR", "FRA", "{p}"), "FRA"),
    ("FRA", "TTO", AGREEMENTS, "request", "no_agreement_coastal_consent", NO_AGREEMENT.format("FRA", "TTO", "{p}"), "TTO"),
    ("USA", "LCA", AGREEMENTS, "request", "no_agreement_coastal_consent", NO_AGREEMENT.format("USA", "LCA", "{p}"), "LCA"),
]  # fmt: skip


@pytest.mark.parametrize(
    "function, provision", [(overflight, "overflight"), (order_to_land, "order to land")]
)
@pytest.mark.parametrize(
    "acting, coastal, agreements, outcome, rule, citation, authority", CASES_13
)
def test_art13_overflight_and_order_to_land(
    function, provision, acting, coastal, agreements, outcome, rule, citation, authority
):
    d = function(acting, coastal, TREATY, agreements)
    check(d, outcome, rule, citation.replace("{p}", provision), authority)


@pytest.mark.parametrize(
    "function, provision, name",
    [
        (overflight, "overflight", "overflight"),
        (order_to_land, "order_to_land", "order to land"),
    ],
)
@pytest.mark.parametrize(
    "coastal, agreement, citation",
    [
        # (a) election overridden by a bilateral provision between parties (Art. 31(2))
        ("DOM", US_DOM, "{agreement} ({name} provision); Treaty of San Jose Art. 31(2)"),
        # non-party coastal state: the agreement alone
        ("TTO", US_TTO, "{agreement} ({name} provision)"),
    ],
)
def test_bilateral_overflight_and_order_to_land(
    function, provision, name, coastal, agreement, citation
):
    d = function("USA", coastal, TREATY, AGREEMENTS)
    check(
        d, "allowed", f"bilateral_{provision}", citation.format(agreement=agreement.name, name=name)
    )


def test_bilateral_overflight_alone_does_not_cover_order_to_land():
    us_gbr = BilateralAgreement(
        id="us_gbr",
        name="US-UK reciprocal six-part pact",
        parties=("USA", "GBR"),
        provisions=("shipboarding", "shiprider", "pursuit", "overflight"),
    )
    check(
        overflight("USA", "GBR", TREATY, (us_gbr,)),
        "allowed",
        "bilateral_overflight",
        f"{us_gbr.name} (overflight provision)",
    )
    check(
        order_to_land("USA", "GBR", TREATY, (us_gbr,)),
        "request",
        "no_agreement_coastal_consent",
        NO_AGREEMENT.format("USA", "GBR", "order to land"),
        "GBR",
    )


@pytest.mark.parametrize(
    "acting, coastal, agreements",
    [
        ("USA", "USA", ()),
        ("FRA", "USA", ()),
        ("USA", "FRA", ()),
        ("USA", "DOM", AGREEMENTS),
        ("USA", "LCA", AGREEMENTS),
    ],
)
def test_order_to_land_never_uses_force_against_civil_aircraft(acting, coastal, agreements):
    d = order_to_land(acting, coastal, TREATY, agreements)
    assert "never use force against civil aircraft in flight (Art. 22)" in d.note


def test_overflight_note_names_the_art13_conditions():
    d = overflight("USA", "FRA", TREATY)
    assert "air traffic control" in d.note and "civil aviation" in d.note
