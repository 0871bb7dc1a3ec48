"""Boarding, entry and pursuit: the Treaty of San Jose, US bilateral agreements and UNCLOS.

Each function takes plain inputs (the acting state, the target's flag, the zone and coastal state of
the target's position, the scenario's legal specs, and the two facts a rule turns on: is a shiprider
of the coastal state embarked, is a coastal-state asset immediately available) and returns a
:class:`~mda_sim.rules.decisions.Decision` naming the article that decided it.

Every article comes from reference/treaty-partners-threats-geography.md: §1.1 (article table),
§1.2 (elections and defaults), §1.3 (Vienna Art. 17 fallback), §2 (bilateral agreements), §5.2
(UNCLOS) and §7 (modelling notes). Callers are expected to ask only about *suspect* vessels
(Treaty Art. 5) inside the Caribbean area (Art. 1(j), Art. 39); neither is checked here.
"""

from __future__ import annotations

from collections.abc import Iterable

from mda_sim.geography.zones import Zone
from mda_sim.rules.decisions import Decision
from mda_sim.rules.jurisdiction import bilateral_with, flag_status, treaty_party
from mda_sim.scenario.specs.legal import BilateralAgreement, Provision, TreatyOfSanJose

__all__ = [
    "boarding_seaward",
    "continue_pursuit",
    "hot_pursuit",
    "patrol_in_waters",
    "pursuit_into_waters",
]

TSJ = "Treaty of San Jose"
_SEAWARD = (Zone.CONTIGUOUS_ZONE, Zone.EEZ, Zone.HIGH_SEAS)


def _zone(zone: Zone | int) -> Zone:
    zone = Zone(zone)
    if zone == Zone.LAND:
        raise ValueError("zone = LAND: a vessel's position must be at sea")
    return zone


def _both_parties(state_a: str, state_b: str, treaty: TreatyOfSanJose) -> bool:
    return (
        treaty_party(state_a, treaty.parties) is not None
        and treaty_party(state_b, treaty.parties) is not None
    )


def _bilateral_citation(
    agreement: BilateralAgreement, provision: Provision, treaty: TreatyOfSanJose
) -> str:
    """The agreement's provision, plus Art. 31(2) when the treaty is also in force between the two
    (the treaty leaves existing agreements between parties unaffected; reference §1.1, §7.7)."""
    cite = f"{agreement.name} ({provision.replace('_', ' ')} provision)"
    if _both_parties(*agreement.parties, treaty):
        cite += f"; {TSJ} Art. 31(2)"
    return cite


# --- 1. boarding seaward of any territorial sea ---------------------------------------------------


def boarding_seaward(
    acting: str,
    flag: str,
    zone: Zone | int,
    treaty: TreatyOfSanJose,
    agreements: Iterable[BilateralAgreement] = (),
) -> Decision:
    """May ``acting`` board a suspect vessel claiming ``flag`` seaward of any territorial sea?

    Order of the rules (reference §1.1 Art. 16, §1.3, §7.1, §7.2, §7.7):

    1. own flag: the acting state's own vessel (Treaty Art. 23, jurisdiction over its flag vessels);
    2. ``'no_claim'`` (no flag, marks, documents or other evidence): board to look for documents,
       Treaty Art. 16(6)-(7) between parties, else the right of visit (UNCLOS Art. 110);
    3. ``'stateless'``: the right of visit (UNCLOS Art. 110);
    4. both parties: the flag party's Art. 16 election, 16(1) authorized, 16(2) express consent,
       16(3) deemed after 4 h; a bilateral shipboarding provision (Art. 31(2)) turns a request into
       an authorization;
    5. otherwise a bilateral shipboarding provision, or a flag-state consent request under the
       1988 Vienna Convention Art. 17.

    Parameters
    ----------
    acting : str
        The boarding state (ISO alpha-3).
    flag : str
        The flag claimed: a state code, ``'stateless'`` or ``'no_claim'``.
    zone : Zone
        Zone of the target's position: ``CONTIGUOUS_ZONE``, ``EEZ`` or ``HIGH_SEAS``.
    treaty : TreatyOfSanJose
        Parties and their elections.
    agreements : iterable of BilateralAgreement
        The scenario's bilateral agreements.
    """
    zone = _zone(zone)
    if zone not in _SEAWARD:
        raise ValueError(
            f"zone = {zone.name}: boarding_seaward is for {[z.name for z in _SEAWARD]}; "
            "inside a territorial sea use pursuit_into_waters"
        )
    agreements = tuple(agreements)
    status = flag_status(flag, treaty.parties)
    acting_is_party = treaty_party(acting, treaty.parties) is not None
    if flag == acting:
        return Decision(
            "allowed", "own_flag", f"{TSJ} Art. 23", note="the acting state is the flag state"
        )
    if status == "no_claim":
        if acting_is_party:
            return Decision(
                "allowed",
                "art16_6_no_nationality",
                f"{TSJ} Art. 16(6)-(7)",
                note="board to look for documents; if none are found the vessel may be assimilated to stateless (16(7))",
            )
        return Decision("allowed", "right_of_visit_no_nationality", "UNCLOS Art. 110")
    if status == "stateless":
        return Decision("allowed", "right_of_visit_stateless", "UNCLOS Art. 110")
    if acting_is_party and status == "party":
        return _art16(acting, flag, treaty, agreements)
    return _flag_consent(acting, flag, treaty, agreements)


def _art16(
    acting: str, flag: str, treaty: TreatyOfSanJose, agreements: tuple[BilateralAgreement, ...]
) -> Decision:
    """Art. 16 with the flag party's election (reference §1.1 Art. 16, §1.2 defaults, §7.1)."""
    election = treaty_party(flag, treaty.parties).art16_boarding  # type: ignore[union-attr]
    on_evidence = f"on evidence detain pending {flag}'s disposition instructions (16(5)); jurisdiction is {flag}'s unless waived (Art. 24)"
    if election == "treaty_authorization":
        return Decision(
            "allowed", "art16_1_treaty_authorization", f"{TSJ} Art. 16(1)", note=on_evidence
        )
    agreement = bilateral_with(acting, flag, "shipboarding", agreements)
    if agreement is not None:
        return Decision(
            "allowed",
            "bilateral_shipboarding",
            _bilateral_citation(agreement, "shipboarding", treaty),
            note=on_evidence,
        )
    if election == "express_consent":
        return Decision(
            "request",
            "art16_2_express_consent",
            f"{TSJ} Art. 16(2)",
            authority=flag,
            note=f"board only with {flag}'s express consent; meanwhile {flag} may authorize measures to prevent escape (16(4))",
        )
    return Decision(
        "request",
        "art16_3_deemed_after_4h",
        f"{TSJ} Art. 16(3)",
        authority=flag,
        note=(
            f"oral Art. 6 request to {flag}; authorization is deemed if there is no response, or nationality is "
            "neither confirmed nor denied, within 4 h; measures to prevent escape need 16(4) authorization"
        ),
    )


def _flag_consent(
    acting: str, flag: str, treaty: TreatyOfSanJose, agreements: tuple[BilateralAgreement, ...]
) -> Decision:
    """No treaty between the two: a bilateral shipboarding provision, else ask the flag state
    (1988 Vienna Convention Art. 17; reference §1.3 practice note and §7.7)."""
    agreement = bilateral_with(acting, flag, "shipboarding", agreements)
    if agreement is not None:
        return Decision(
            "allowed",
            "bilateral_shipboarding",
            _bilateral_citation(agreement, "shipboarding", treaty),
        )
    return Decision(
        "request",
        "vienna_art17_flag_consent",
        "1988 Vienna Convention Art. 17",
        authority=flag,
        note=f"the Treaty of San Jose is not in force between {acting} and {flag}; ask {flag} for flag-state consent",
    )


# --- 2. entry into another state's territorial sea ------------------------------------------------


def pursuit_into_waters(
    acting: str,
    coastal: str,
    treaty: TreatyOfSanJose,
    agreements: Iterable[BilateralAgreement] = (),
    *,
    shiprider_embarked: bool = False,
    coastal_asset_available: bool = False,
) -> Decision:
    """May ``acting`` follow a suspect vessel into ``coastal``'s territorial sea (and board it and
    secure it pending the coastal state's expeditious response)?

    Order of the rules (reference §1.1 Arts 9, 11, 12, 31; §7.3, §7.4, §7.7):

    1. own waters (Treaty Art. 23);
    2. a shiprider of ``coastal`` embarked authorizes entry (Treaty Art. 9(3)(c)) between parties,
       or under a bilateral shiprider provision;
    3. both parties: the coastal party's Art. 12(2) election: (a) request authorization;
       (b) notice suffices when no coastal vessel or official is immediately available;
       a bilateral pursuit provision (Art. 31(2)) makes a request unnecessary;
    4. no treaty between them: a bilateral pursuit provision, else ask the coastal state
       (hot pursuit ends at a third state's territorial sea, UNCLOS Art. 111).

    Parameters
    ----------
    acting, coastal : str
        The pursuing state and the state whose territorial sea the target entered.
    shiprider_embarked : bool
        A law enforcement official of ``coastal`` is embarked on the pursuing asset.
    coastal_asset_available : bool
        A law enforcement vessel or official of ``coastal`` is immediately available (Art. 12(1)(b)).
    """
    agreements = tuple(agreements)
    decision, both = _own_or_shiprider(
        acting, coastal, treaty, agreements, shiprider_embarked, "9(3)(c)", "entry into and navigation within"
    )
    if decision is not None:
        return decision
    if both:
        return _art12(acting, coastal, treaty, agreements, coastal_asset_available)
    agreement = bilateral_with(acting, coastal, "pursuit", agreements)
    if agreement is not None:
        return _bilateral_pursuit(agreement, coastal, treaty)
    return Decision(
        "request",
        "no_agreement_coastal_consent",
        "UNCLOS Art. 111",
        authority=coastal,
        note=f"hot pursuit ends at {coastal}'s territorial sea and no agreement between {acting} and {coastal} covers entry",
    )


def _own_waters(acting: str) -> Decision:
    return Decision("allowed", "own_waters", f"{TSJ} Art. 23", note=f"{acting}'s own waters")


def _shiprider(
    acting: str,
    coastal: str,
    treaty: TreatyOfSanJose,
    agreements: tuple[BilateralAgreement, ...],
    both: bool,
    paragraph: str,
    what: str,
) -> Decision | None:
    """An embarked shiprider of the coastal state authorizes ``what`` in its waters (reference §1.1
    Art. 9, §7.4); enforcement is then the shiprider's (9(4))."""
    note = f"the {coastal} shiprider authorizes {what} {coastal}'s waters; searches, seizures and detentions are carried out by the shiprider (9(4))"
    if both:
        rule = "art9_3_" + paragraph[-2] + "_shiprider"
        return Decision("allowed", rule, f"{TSJ} Art. {paragraph}", note=note)
    agreement = bilateral_with(acting, coastal, "shiprider", agreements)
    if agreement is not None:
        return Decision(
            "allowed",
            "bilateral_shiprider",
            _bilateral_citation(agreement, "shiprider", treaty),
            note=note,
        )
    return None


def _own_or_shiprider(
    acting: str,
    coastal: str,
    treaty: TreatyOfSanJose,
    agreements: tuple[BilateralAgreement, ...],
    shiprider_embarked: bool,
    paragraph: str,
    what: str,
    own=None,
) -> tuple[Decision | None, bool]:
    """The first two rules of every question about another state's waters: the acting state's
    own waters (Treaty Art. 23; ``own`` builds that decision, default :func:`_own_waters`), then an
    embarked shiprider of ``coastal`` (:func:`_shiprider`). Returns the decision if one of them
    settles it (else None) and whether both states are treaty parties."""
    if coastal == acting:
        return (own or _own_waters)(acting), False
    both = _both_parties(acting, coastal, treaty)
    if shiprider_embarked:
        decision = _shiprider(acting, coastal, treaty, agreements, both, paragraph, what)
        if decision is not None:
            return decision, both
    return None, both


def _art12(
    acting: str,
    coastal: str,
    treaty: TreatyOfSanJose,
    agreements: tuple[BilateralAgreement, ...],
    coastal_asset_available: bool,
    *,
    aircraft: bool = False,
) -> Decision:
    """Entry into a party's waters after a suspect: Art. 12(1) for vessels with the coastal party's
    12(2) election, or Art. 12(4) for aircraft with its 12(5) election; the default is (a)
    (reference §1.2). Under (b) notice suffices unless a coastal asset is immediately available
    (Art. 11); a bilateral pursuit provision applies otherwise (Art. 31(2))."""
    party = treaty_party(coastal, treaty.parties)
    if aircraft:
        paragraph, election = "4", party.art12_aircraft  # type: ignore[union-attr]
        then = (
            f"keep contact only (12(4)); overflight and relay of {coastal}'s orders to land need "
            "Art. 13(6); never use force against civil aircraft in flight (Art. 22)"
        )
    else:
        paragraph, election = "1", party.art12_vessels  # type: ignore[union-attr]
        then = f"board and secure vessel and persons pending {coastal}'s expeditious response; on evidence take them to a port designated by {coastal} (12(3))"
    if election == "b" and not coastal_asset_available:
        return Decision(
            "allowed",
            f"art12_{paragraph}_b_notice",
            f"{TSJ} Art. 12({paragraph})(b)",
            note=f"give notice to {coastal} before entry if operationally feasible, otherwise as soon as possible; {then}",
        )
    agreement = bilateral_with(acting, coastal, "pursuit", agreements)
    if agreement is not None:
        return _bilateral_pursuit(agreement, coastal, treaty)
    if election == "b":
        return Decision(
            "request",
            f"art12_{paragraph}_b_coastal_asset_available",
            f"{TSJ} Arts 11, 12({paragraph})(b)",
            authority=coastal,
            note=f"a {coastal} vessel or official is immediately available, so notice does not suffice: hand over, or request authorization (Art. 11)",
        )
    return Decision(
        "request",
        f"art12_{paragraph}_a_authorization",
        f"{TSJ} Art. 12({paragraph})(a)",
        authority=coastal,
        note=f"{coastal}'s designated authority must authorize entry; {then}",
    )


def _bilateral_pursuit(
    agreement: BilateralAgreement, coastal: str, treaty: TreatyOfSanJose
) -> Decision:
    """A bilateral pursuit provision (reference §2.1 part 3); modelled as pursuit with notice
    (an estimate of the reference, §2.2 "Engine implication")."""
    return Decision(
        "allowed",
        "bilateral_pursuit",
        _bilateral_citation(agreement, "pursuit", treaty),
        note=f"give notice to {coastal} (estimate: reference §2.2 models these provisions as pursuit with notice)",
    )


def patrol_in_waters(
    acting: str,
    coastal: str,
    treaty: TreatyOfSanJose,
    agreements: Iterable[BilateralAgreement] = (),
    *,
    shiprider_embarked: bool = False,
) -> Decision:
    """May ``acting`` patrol in ``coastal``'s territorial sea (no pursuit under way)?

    Own waters (Treaty Art. 23); a shiprider of ``coastal`` embarked authorizes counter-drug patrols
    (Treaty Art. 9(3)(d), or a bilateral shiprider provision); otherwise denied: no independent
    patrolling (Treaty Art. 11(4)) between parties, and no agreement at all otherwise
    (reference §1.1 Arts 9, 11; §7.3, §7.4).
    """
    agreements = tuple(agreements)
    decision, both = _own_or_shiprider(
        acting, coastal, treaty, agreements, shiprider_embarked, "9(3)(d)", "counter-drug patrols in"
    )
    if decision is not None:
        return decision
    if both:
        return Decision(
            "denied",
            "art11_4_no_independent_patrol",
            f"{TSJ} Art. 11(4)",
            note=f"embark a {coastal} shiprider (Art. 9(3)(d)) or operate under {coastal}'s authorization (Art. 11)",
        )
    return Decision(
        "denied",
        "no_agreement",
        f"no agreement: {TSJ} not in force between {acting} and {coastal}, no bilateral shiprider provision",
    )


# --- 3. hot pursuit ------------------------------------------------------------------------------


def hot_pursuit(acting: str, flag: str, zone: Zone | int, coastal: str | None) -> Decision:
    """Does a hot pursuit by ``acting`` continue where the target now is (UNCLOS Art. 111)?

    Hot pursuit ends when the pursued vessel enters the territorial sea of its own state or of a
    third state (reference §5.2, §7.3). Whether the pursuit was lawfully begun and uninterrupted is
    the caller's to track. Going on into the waters needs the Treaty or an agreement:
    see :func:`continue_pursuit`.
    """
    zone = _zone(zone)
    if zone == Zone.TERRITORIAL_SEA and coastal is None:
        raise ValueError(
            "zone = TERRITORIAL_SEA with coastal = None: a territorial sea has a coastal state"
        )
    if zone == Zone.TERRITORIAL_SEA and coastal != acting:
        whose = "its own flag state" if coastal == flag else "a third state"
        return Decision(
            "denied",
            "art111_ends_at_foreign_territorial_sea",
            "UNCLOS Art. 111",
            note=f"the target entered the territorial sea of {coastal} ({whose})",
        )
    return Decision("allowed", "art111_hot_pursuit", "UNCLOS Art. 111")


def continue_pursuit(
    acting: str,
    flag: str,
    zone: Zone | int,
    coastal: str | None,
    treaty: TreatyOfSanJose,
    agreements: Iterable[BilateralAgreement] = (),
    *,
    shiprider_embarked: bool = False,
    coastal_asset_available: bool = False,
) -> Decision:
    """Hot pursuit where it runs (UNCLOS Art. 111); where it ends, entry under the Treaty or an
    agreement (:func:`pursuit_into_waters`; reference §7.3 "Pursuit into P's waters")."""
    decision = hot_pursuit(acting, flag, zone, coastal)
    if decision.allowed:
        return decision
    assert coastal is not None  # hot_pursuit ends only inside a coastal state's territorial sea
    return pursuit_into_waters(
        acting,
        coastal,
        treaty,
        agreements,
        shiprider_embarked=shiprider_embarked,
        coastal_asset_available=coastal_asset_available,
    )
