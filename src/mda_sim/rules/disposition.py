"""After a boarding finds evidence: which state has jurisdiction over the vessel and persons, and
the limits on the use of force (Treaty of San Jose Arts 12(3), 16(5), 22, 23, 24; 1988 Vienna
Convention Art. 17).

Every article comes from reference/treaty-partners-threats-geography.md: §1.1 (Arts 12, 16, 22,
23, 24), §1.3 (Vienna Art. 17 with flag-state consent) and §7.1, §7.3, §7.6, §7.7.
"""

from __future__ import annotations

from dataclasses import dataclass

from mda_sim.geography.zones import Zone
from mda_sim.rules.jurisdiction import flag_status, treaty_party
from mda_sim.rules.treaty import TSJ, _both_parties, _zone
from mda_sim.scenario.specs.legal import TreatyOfSanJose
from mda_sim.scenario.specs.traffic import NON_STATE_FLAGS

__all__ = ["Jurisdiction", "jurisdiction", "use_of_force_note"]


@dataclass(frozen=True)
class Jurisdiction:
    """The state whose jurisdiction a detained vessel and its persons fall under.

    Attributes
    ----------
    state : str
        The state (ISO alpha-3) with jurisdiction: it gives the disposition instructions.
    rule : str
        Short machine-readable name, e.g. ``'art24_flag_party'``.
    citation : str
        The article that decided it.
    note : str
        Anything the caller must still do (port, disposition instructions, waiver ...).
    """

    state: str
    rule: str
    citation: str
    note: str = ""


def _coastal_given(zone: Zone, coastal: str | None) -> None:
    if zone == Zone.TERRITORIAL_SEA and coastal is None:
        raise ValueError(
            "zone = TERRITORIAL_SEA with coastal = None: a territorial sea has a coastal state"
        )


def jurisdiction(
    acting: str, flag: str, zone: Zone | int, coastal: str | None, treaty: TreatyOfSanJose
) -> Jurisdiction:
    """Which state has jurisdiction over a vessel that ``acting`` detained on evidence?

    Order of the rules (reference §1.1 Arts 12(3), 16(5)-(7), 23, 24; §1.3; §7.1, §7.3, §7.7):

    1. in a party's territorial sea: the coastal party (Treaty Art. 24); the vessel, cargo and
       persons go to a port it designates (Art. 12(3)). In a non-party's territorial sea the
       treaty decides nothing: the coastal state, under its own law;
    2. seaward, the acting state's own flag: the acting state (Art. 23);
    3. seaward, ``'stateless'`` or ``'no_claim'``: the acting state (Art. 23, jurisdiction over
       stateless vessels seaward of the territorial sea; a ``'no_claim'`` vessel is assimilated to
       stateless when no documents are found, Art. 16(7)), if it is a party;
    4. seaward, a party flag boarded by a party: the flag state (Art. 24); detain pending its
       disposition instructions (Art. 16(5)) unless it waives jurisdiction;
    5. seaward, any other flag (the treaty is not in force between the two): the flag state that
       consented to the boarding (1988 Vienna Convention Art. 17).

    Parameters
    ----------
    acting : str
        The boarding and detaining state.
    flag : str
        The flag claimed: a state code, ``'stateless'`` or ``'no_claim'``.
    zone : Zone
        Zone of the position where the vessel was detained (not ``LAND``).
    coastal : str or None
        The state holding the territorial sea when ``zone`` is ``TERRITORIAL_SEA``.
    treaty : TreatyOfSanJose
        The treaty parties.

    Returns
    -------
    Jurisdiction
    """
    zone = _zone(zone)
    _coastal_given(zone, coastal)
    status = flag_status(flag, treaty.parties)
    if zone == Zone.TERRITORIAL_SEA:
        assert coastal is not None
        if treaty_party(coastal, treaty.parties) is not None:
            return Jurisdiction(
                coastal,
                "art24_coastal_party",
                f"{TSJ} Art. 24",
                note=(
                    f"in {coastal}'s waters: vessel, cargo and persons go to a port designated by "
                    f"{coastal} unless it directs otherwise (12(3)); {coastal} may consent to "
                    "another state exercising jurisdiction (Art. 24)"
                ),
            )
        return Jurisdiction(
            coastal,
            "coastal_non_party",
            f"no treaty rule: {TSJ} not in force for {coastal}",
            note=f"in {coastal}'s territorial sea: {coastal}'s own law and any agreement with {acting} decide",
        )
    acting_is_party = treaty_party(acting, treaty.parties) is not None
    if flag == acting:
        return Jurisdiction(
            acting, "own_flag", f"{TSJ} Art. 23", note="the acting state is the flag state"
        )
    if status in NON_STATE_FLAGS:
        assimilated = (
            "; a vessel without any claim is assimilated to stateless when no documents are found (16(7))"
            if status == "no_claim"
            else ""
        )
        if acting_is_party:
            return Jurisdiction(
                acting,
                "art23_stateless_seaward",
                f"{TSJ} Art. 23",
                note=f"{acting} has jurisdiction over stateless vessels seaward of the territorial sea{assimilated}",
            )
        return Jurisdiction(
            acting,
            "stateless_seaward_non_party",
            f"no treaty rule: {TSJ} not in force for {acting}",
            note=f"boarded under the right of visit (UNCLOS Art. 110); {acting}'s own law decides{assimilated}",
        )
    if _both_parties(acting, flag, treaty):
        return Jurisdiction(
            flag,
            "art24_flag_party",
            f"{TSJ} Art. 24",
            note=(
                f"detain pending {flag}'s disposition instructions and report (16(5)); "
                f"{flag}'s jurisdiction unless it waives jurisdiction (Art. 24)"
            ),
        )
    return Jurisdiction(
        flag,
        "vienna_art17_flag_state",
        "1988 Vienna Convention Art. 17",
        note=(
            f"{flag} consented to the boarding; await its disposition instructions; "
            f"{flag} may waive jurisdiction in favour of {acting}"
        ),
    )


def use_of_force_note(zone: Zone | int, coastal: str | None, acting: str, flag: str) -> str:
    """The limits on the use of force for a boarding by ``acting`` (Treaty of San Jose Art. 22;
    reference §1.1 Art. 22, §7.5, §7.6).

    Parameters
    ----------
    zone : Zone
        Zone of the boarding (not ``LAND``).
    coastal : str or None
        The state holding the territorial sea when ``zone`` is ``TERRITORIAL_SEA``.
    acting : str
        The boarding state.
    flag : str
        The flag claimed: a state code, ``'stateless'`` or ``'no_claim'``.

    Returns
    -------
    str
        A short note citing ``'Treaty of San Jose Art. 22'``.
    """
    zone = _zone(zone)
    _coastal_given(zone, coastal)
    has_flag_state = flag not in NON_STATE_FLAGS
    if zone == Zone.TERRITORIAL_SEA:
        law = f"in {coastal}'s waters {coastal}'s law applies"
    elif has_flag_state and flag != acting:
        law = f"seaward, {acting}'s law (the boarding party) and {flag}'s directions apply"
    else:
        law = f"seaward, {acting}'s law (the boarding party) applies"
    report = (
        f"report any firearm discharge to {flag} (the flag state)"
        if has_flag_state
        else "no flag state to report a firearm discharge to"
    )
    return (
        f"{TSJ} Art. 22: force only if no other means is feasible, proportional and the minimum "
        f"reasonably necessary; a warning first except in self-defence; {law}; {report}; "
        "never against civil aircraft in flight"
    )
