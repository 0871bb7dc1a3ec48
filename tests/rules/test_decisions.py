"""The Decision record and the jurisdiction lookups."""

from __future__ import annotations

import pytest

from mda_sim.rules import Decision, bilateral_with, coastal_state, flag_status, treaty_party
from mda_sim.scenario.specs import BilateralAgreement, State, TreatyParty

PARTIES = (TreatyParty(state="USA"), TreatyParty(state="FRA", art12_vessels="b"))
STATES = (
    State(id="USA", name="United States", territories=("PRI", "VIR")),
    State(id="FRA", name="France", territories=("GLP", "MTQ")),
    State(id="BLZ", name="Belize"),
)


def test_decision_request_names_the_state_asked():
    d = Decision(
        "request", "art12_1_a_authorization", "Treaty of San Jose Art. 12(1)(a)", authority="FRA"
    )
    assert d.authority == "FRA" and not d.allowed


@pytest.mark.parametrize(
    "kwargs",
    [
        {"outcome": "maybe", "rule": "r", "citation": "c"},
        {"outcome": "request", "rule": "r", "citation": "c"},
        {"outcome": "allowed", "rule": "r", "citation": "c", "authority": "FRA"},
        {"outcome": "allowed", "rule": "r", "citation": ""},
    ],
)
def test_decision_rejects_inconsistent_records(kwargs):
    with pytest.raises(ValueError):
        Decision(**kwargs)


def test_decision_is_frozen():
    d = Decision("allowed", "r", "c")
    with pytest.raises(AttributeError):
        d.outcome = "denied"  # type: ignore[misc]


@pytest.mark.parametrize(
    "flag, status",
    [
        ("USA", "party"),
        ("FRA", "party"),
        ("VCT", "non_party"),
        ("stateless", "stateless"),
        ("no_claim", "no_claim"),
    ],
)
def test_flag_status(flag, status):
    assert flag_status(flag, PARTIES) == status


def test_flag_status_names_a_bad_flag():
    with pytest.raises(ValueError, match=r"flag = 'stateles'.*did you mean 'stateless'"):
        flag_status("stateles", PARTIES)


def test_treaty_party_returns_the_elections():
    assert treaty_party("FRA", PARTIES).art12_vessels == "b"
    assert treaty_party("GBR", PARTIES) is None


def test_coastal_state_maps_territory_to_holder():
    assert coastal_state("MTQ", STATES) == "FRA"
    assert coastal_state("PRI", STATES) == "USA"
    assert coastal_state("", STATES) is None


def test_coastal_state_names_an_unheld_territory():
    with pytest.raises(
        ValueError, match=r"territory 'MTX' is held by no state.*did you mean 'MTQ'"
    ):
        coastal_state("MTX", STATES)


def test_bilateral_with_matches_either_order_and_the_provision():
    agreement = BilateralAgreement(
        id="us_lca",
        name="US-Saint Lucia agreement",
        parties=("USA", "LCA"),
        provisions=("shiprider", "pursuit"),
    )
    assert bilateral_with("LCA", "USA", "pursuit", (agreement,)) is agreement
    assert bilateral_with("USA", "LCA", "overflight", (agreement,)) is None
    assert bilateral_with("USA", "VCT", "pursuit", (agreement,)) is None
