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

from mda_sim.rules.decisions import Decision, Outcome
from mda_sim.rules.jurisdiction import bilateral_with, coastal_state, flag_status, treaty_party
from mda_sim.rules.treaty import (
    boarding_seaward,
    continue_pursuit,
    hot_pursuit,
    patrol_in_waters,
    pursuit_into_waters,
)

__all__ = [
    "Decision",
    "Outcome",
    "bilateral_with",
    "boarding_seaward",
    "coastal_state",
    "continue_pursuit",
    "flag_status",
    "hot_pursuit",
    "patrol_in_waters",
    "pursuit_into_waters",
    "treaty_party",
]
