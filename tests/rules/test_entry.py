"""Entry into another state's territorial sea to investigate (no pursuit under way): every case
asserts the outcome, the rule AND the citation.

Hand-built specs; the articles are those of reference/treaty-partners-threats-geography.md.
"""

from __future__ import annotations

import pytest

from mda_sim.rules import entry_to_investigate
from mda_sim.scenario.specs import BilateralAgreement, TreatyOfSanJose, TreatyParty

TSJ = "Treaty of San Jose"
TREATY = TreatyOfSanJose(
    parties=(
        TreatyParty(state="USA"),
        TreatyParty(state="FRA", art12_vessels="b"),  # 12(2) does not govern entry to investigate
        TreatyParty(state="DOM"),
    )
)
US_DOM = BilateralAgreement(
    id="us_dom",
    name="US-Dominican Republic maritime counter-drug agreement",
    parties=("USA", "DOM"),
    provisions=("shiprider", "pursuit", "entry_to_investigate"),
)
US_LCA = BilateralAgreement(
    id="us_lca",
    name="US-Saint Lucia agreement",
    parties=("USA", "LCA"),
    provisions=("shiprider", "pursuit", "entry_to_investigate"),
)
US_BRB = BilateralAgreement(
    id="us_brb",
    name="US-Barbados shiprider agreement",
    parties=("USA", "BRB"),
    provisions=("shiprider",),
)
AGREEMENTS = (US_DOM, US_LCA, US_BRB)


def _no_agreement(acting, coastal):
    return (
        f"no agreement: {TSJ} not in force between {acting} and {coastal}, "
        "no bilateral entry to investigate provision"
    )


@pytest.mark.parametrize(
    "acting, coastal, rider, outcome, rule, citation, authority",
    [
        # own waters
        ("FRA", "FRA", False, "allowed", "own_waters", f"{TSJ} Art. 23", None),
        # a coastal shiprider embarked: Art. 9(3)(c) between parties ...
        ("USA", "FRA", True, "allowed", "art9_3_c_shiprider", f"{TSJ} Art. 9(3)(c)", None),
        ("USA", "DOM", True, "allowed", "art9_3_c_shiprider", f"{TSJ} Art. 9(3)(c)", None),
        # ... or a bilateral shiprider provision
        ("USA", "BRB", True, "allowed", "bilateral_shiprider", f"{US_BRB.name} (shiprider provision)", None),
        ("USA", "LCA", True, "allowed", "bilateral_shiprider", f"{US_LCA.name} (shiprider provision)", None),
        # a bilateral entry-to-investigate provision: entry with notice
        ("USA", "DOM", False, "allowed", "bilateral_entry_to_investigate", f"{US_DOM.name} (entry to investigate provision); {TSJ} Art. 31(2)", None),
        ("USA", "LCA", False, "allowed", "bilateral_entry_to_investigate", f"{US_LCA.name} (entry to investigate provision)", None),
        # between parties otherwise: Art. 11 authorization, whatever the 12(2) election
        ("USA", "FRA", False, "request", "art11_authorization", f"{TSJ} Art. 11", "FRA"),
        ("FRA", "USA", False, "request", "art11_authorization", f"{TSJ} Art. 11", "USA"),
        ("FRA", "DOM", False, "request", "art11_authorization", f"{TSJ} Art. 11", "DOM"),
        # no agreement at all: ask the coastal state
        ("USA", "BRB", False, "request", "no_agreement_coastal_consent", _no_agreement("USA", "BRB"), "BRB"),
        ("FRA", "LCA", True, "request", "no_agreement_coastal_consent", _no_agreement("FRA", "LCA"), "LCA"),
        ("GBR", "USA", False, "request", "no_agreement_coastal_consent", _no_agreement("GBR", "USA"), "USA"),
    ],
)  # fmt: skip
def test_entry_to_investigate(acting, coastal, rider, outcome, rule, citation, authority):
    d = entry_to_investigate(acting, coastal, TREATY, AGREEMENTS, shiprider_embarked=rider)
    assert d.outcome == outcome, d
    assert d.rule == rule, d
    assert d.citation == citation, d
    assert d.authority == authority, d


def test_bilateral_entry_is_an_estimate_with_notice():
    d = entry_to_investigate("USA", "LCA", TREATY, AGREEMENTS)
    assert "notice to LCA" in d.note and "estimate" in d.note and "§2.2" in d.note


def test_art11_request_is_decided_expeditiously_and_forbids_independent_patrol():
    d = entry_to_investigate("USA", "FRA", TREATY, AGREEMENTS)
    assert "expeditiously" in d.note and "11(4)" in d.note


def test_shiprider_enforcement_is_the_shiprider_s():
    assert "9(4)" in entry_to_investigate("USA", "FRA", TREATY, shiprider_embarked=True).note
