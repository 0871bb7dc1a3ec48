"""Who is who in law: a flag's treaty status, the state holding a territory, and which agreements
link two states.

Pure lookups over scenario specs (``mda_sim.scenario.specs``); no simulation state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from mda_sim.scenario.problems import allowed_list, did_you_mean
from mda_sim.scenario.specs.legal import BilateralAgreement, Provision, TreatyParty
from mda_sim.scenario.specs.traffic import NON_STATE_FLAGS
from mda_sim.scenario.specs.world import State

__all__ = ["FlagStatus", "bilateral_with", "coastal_state", "flag_status", "treaty_party"]

FlagStatus = Literal["party", "non_party", "stateless", "no_claim"]
_STATE_CODE = re.compile(r"^[A-Z]{3}$")


def _check_flag(flag: str) -> None:
    if flag in NON_STATE_FLAGS:
        return
    if not isinstance(flag, str) or not _STATE_CODE.match(flag):
        raise ValueError(
            f"flag = {flag!r}: must be a state code (3 capital letters, e.g. 'USA') "
            f"or one of {list(NON_STATE_FLAGS)}{did_you_mean(flag, NON_STATE_FLAGS)}"
        )


def treaty_party(state: str, parties: Iterable[TreatyParty]) -> TreatyParty | None:
    """The Treaty of San Jose party entry of ``state`` (with its elections), or ``None``."""
    for party in parties:
        if party.state == state:
            return party
    return None


def flag_status(flag: str, parties: Iterable[TreatyParty]) -> FlagStatus:
    """How the treaty sees the flag a vessel claims.

    Parameters
    ----------
    flag : str
        A state code (``'VCT'``) or one of ``NON_STATE_FLAGS``: ``'stateless'`` (a vessel without
        nationality) or ``'no_claim'`` (no flag, marks, documents or other evidence of nationality;
        Treaty of San Jose Art. 16(6), reference §1.1).
    parties : iterable of TreatyParty
        The scenario's treaty parties (``TreatyOfSanJose.parties``).

    Returns
    -------
    {'party', 'non_party', 'stateless', 'no_claim'}
    """
    _check_flag(flag)
    if flag in NON_STATE_FLAGS:
        return flag  # type: ignore[return-value]
    return "party" if treaty_party(flag, parties) is not None else "non_party"


def coastal_state(territory_code: str, states: Iterable[State]) -> str | None:
    """The state holding a territory (``'MTQ'`` → ``'FRA'``), as the scenario's ``states`` say.

    ``''`` (what ``Geography.waters`` returns on the high seas) gives ``None``. A territory held by
    no state of the scenario raises ``ValueError`` naming it and the territories that are held.
    """
    if territory_code == "":
        return None
    held: dict[str, str] = {}
    for state in states:
        for code in state.territories:
            held[code] = state.id
    if territory_code not in held:
        raise ValueError(
            f"territory {territory_code!r} is held by no state of the scenario"
            f"{did_you_mean(territory_code, held)}; held: {allowed_list(held)}"
        )
    return held[territory_code]


def bilateral_with(
    state_a: str, state_b: str, provision: Provision, agreements: Iterable[BilateralAgreement]
) -> BilateralAgreement | None:
    """The first bilateral agreement between the two states that contains ``provision``, or ``None``.

    Provisions are the six parts of the SOUTHCOM/USCG matrix (reference §2.1, [S10]).
    """
    pair = {state_a, state_b}
    for agreement in agreements:
        if set(agreement.parties) == pair and provision in agreement.provisions:
            return agreement
    return None
