"""The law as pure functions returning a cited decision (DESIGN "Law"; STYLE habit 8).

Every article cited comes from reference/treaty-partners-threats-geography.md (§1 Treaty of San
Jose, §2 US bilateral agreements, §5.2 UNCLOS, §7 modelling notes). No simpy, no matplotlib.

>>> from mda_sim.rules import pursuit_into_waters
>>> from mda_sim.scenario.specs import TreatyOfSanJose, TreatyParty
>>> treaty = TreatyOfSanJose(parties=(TreatyParty(state="USA"), TreatyParty(state="FRA", art12_vessels="b")))
>>> d = pursuit_into_waters("USA", "FRA", treaty)
>>> d.outcome, d.citation
('allowed', 'Treaty of San Jose Art. 12(1)(b)')
"""

from mda_sim.rules.aircraft import follow_aircraft_into_airspace, order_to_land, overflight
from mda_sim.rules.decisions import Decision, Outcome
from mda_sim.rules.disposition import Jurisdiction, jurisdiction, use_of_force_note
from mda_sim.rules.entry import entry_to_investigate
from mda_sim.rules.jurisdiction import bilateral_with, coastal_state, flag_status, treaty_party
from mda_sim.rules.requests import (
    ART6_ANSWER_LIMIT_H,
    ART16_3_DEEMED_AFTER_H,
    Resolution,
    refuted_claim_decision,
    resolve_request,
)
from mda_sim.rules.treaty import (
    boarding_seaward,
    continue_pursuit,
    hot_pursuit,
    patrol_in_waters,
    pursuit_into_waters,
)

__all__ = [
    "ART6_ANSWER_LIMIT_H",
    "ART16_3_DEEMED_AFTER_H",
    "Decision",
    "Jurisdiction",
    "Outcome",
    "Resolution",
    "bilateral_with",
    "boarding_seaward",
    "coastal_state",
    "continue_pursuit",
    "entry_to_investigate",
    "flag_status",
    "follow_aircraft_into_airspace",
    "hot_pursuit",
    "jurisdiction",
    "order_to_land",
    "overflight",
    "patrol_in_waters",
    "pursuit_into_waters",
    "refuted_claim_decision",
    "resolve_request",
    "treaty_party",
    "use_of_force_note",
]
