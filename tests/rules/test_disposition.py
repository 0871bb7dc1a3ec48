"""Jurisdiction over a detained vessel (Arts 12(3), 16(5), 23, 24; Vienna Art. 17) and the use of
force note (Art. 22): every branch asserts the state, the rule AND the citation."""

from __future__ import annotations

import pytest

from mda_sim.geography import Zone
from mda_sim.rules import Jurisdiction, jurisdiction, use_of_force_note
from mda_sim.scenario.specs import TreatyOfSanJose, TreatyParty

TSJ = "Treaty of San Jose"
TREATY = TreatyOfSanJose(
    parties=(
        TreatyParty(state="USA"),
        TreatyParty(state="FRA"),
        TreatyParty(state="BLZ", art16_boarding="express_consent"),
    )
)
TS = Zone.TERRITORIAL_SEA


@pytest.mark.parametrize(
    "acting, flag, zone, coastal, state, rule, citation",
    [
        # in a party's territorial sea: the coastal party (Art. 24), whatever the flag
        ("USA", "BLZ", TS, "FRA", "FRA", "art24_coastal_party", f"{TSJ} Art. 24"),
        ("USA", "stateless", TS, "FRA", "FRA", "art24_coastal_party", f"{TSJ} Art. 24"),
        ("USA", "USA", TS, "FRA", "FRA", "art24_coastal_party", f"{TSJ} Art. 24"),
        ("FRA", "VCT", TS, "FRA", "FRA", "art24_coastal_party", f"{TSJ} Art. 24"),
        # in a non-party's territorial sea: the coastal state, no treaty rule
        ("USA", "VCT", TS, "LCA", "LCA", "coastal_non_party", f"no treaty rule: {TSJ} not in force for LCA"),
        # seaward, own flag: the acting state (Art. 23)
        ("BLZ", "BLZ", Zone.HIGH_SEAS, None, "BLZ", "own_flag", f"{TSJ} Art. 23"),
        ("GBR", "GBR", Zone.EEZ, None, "GBR", "own_flag", f"{TSJ} Art. 23"),
        # seaward, stateless or no claim: the acting party (Art. 23)
        ("USA", "stateless", Zone.HIGH_SEAS, None, "USA", "art23_stateless_seaward", f"{TSJ} Art. 23"),
        ("FRA", "no_claim", Zone.CONTIGUOUS_ZONE, "LCA", "FRA", "art23_stateless_seaward", f"{TSJ} Art. 23"),
        # ... a non-party acting state: its own law, no treaty rule
        ("GBR", "stateless", Zone.EEZ, None, "GBR", "stateless_seaward_non_party", f"no treaty rule: {TSJ} not in force for GBR"),
        # seaward, a party flag boarded by a party: the flag state (Art. 24, 16(5))
        ("USA", "BLZ", Zone.HIGH_SEAS, None, "BLZ", "art24_flag_party", f"{TSJ} Art. 24"),
        ("FRA", "USA", Zone.EEZ, "LCA", "USA", "art24_flag_party", f"{TSJ} Art. 24"),
        # seaward, no treaty between acting and flag: the consenting flag state (Vienna Art. 17)
        ("USA", "VCT", Zone.HIGH_SEAS, None, "VCT", "vienna_art17_flag_state", "1988 Vienna Convention Art. 17"),
        ("GBR", "BLZ", Zone.EEZ, None, "BLZ", "vienna_art17_flag_state", "1988 Vienna Convention Art. 17"),
    ],
)  # fmt: skip
def test_jurisdiction(acting, flag, zone, coastal, state, rule, citation):
    j = jurisdiction(acting, flag, zone, coastal, TREATY)
    assert isinstance(j, Jurisdiction)
    assert (j.state, j.rule, j.citation) == (state, rule, citation), j


def test_coastal_party_designates_the_port():
    assert "port designated by FRA" in jurisdiction("USA", "BLZ", TS, "FRA", TREATY).note


def test_flag_party_gives_disposition_instructions_unless_it_waives():
    note = jurisdiction("USA", "BLZ", Zone.HIGH_SEAS, None, TREATY).note
    assert "16(5)" in note and "unless it waives jurisdiction (Art. 24)" in note


def test_vienna_flag_state_may_waive():
    assert "may waive" in jurisdiction("USA", "VCT", Zone.HIGH_SEAS, None, TREATY).note


def test_no_claim_vessel_is_assimilated_to_stateless():
    assert "16(7)" in jurisdiction("USA", "no_claim", Zone.HIGH_SEAS, None, TREATY).note


@pytest.mark.parametrize(
    "zone, coastal, match", [(TS, None, "coastal = None"), (Zone.LAND, "FRA", "LAND")]
)
def test_jurisdiction_rejects_impossible_positions(zone, coastal, match):
    with pytest.raises(ValueError, match=match):
        jurisdiction("USA", "VCT", zone, coastal, TREATY)
    with pytest.raises(ValueError, match=match):
        use_of_force_note(zone, coastal, "USA", "VCT")


@pytest.mark.parametrize(
    "zone, coastal, acting, flag, law, report",
    [
        (TS, "FRA", "USA", "VCT", "in FRA's waters FRA's law applies", "to VCT (the flag state)"),
        (Zone.HIGH_SEAS, None, "USA", "BLZ", "USA's law (the boarding party) and BLZ's directions", "to BLZ (the flag state)"),
        (Zone.EEZ, None, "USA", "USA", "seaward, USA's law (the boarding party) applies", "to USA (the flag state)"),
        (Zone.EEZ, None, "FRA", "stateless", "seaward, FRA's law (the boarding party) applies", "no flag state to report"),
    ],
)  # fmt: skip
def test_use_of_force_note(zone, coastal, acting, flag, law, report):
    note = use_of_force_note(zone, coastal, acting, flag)
    assert note.startswith(f"{TSJ} Art. 22:")
    assert law in note and report in note
    assert "warning first except in self-defence" in note
    assert "civil aircraft in flight" in note
