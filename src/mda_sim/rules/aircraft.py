"""Suspect aircraft: following one into another state's waters, overflight, and relaying an order
to land (Treaty of San Jose Arts 12(4)-(5), 13(6)-(7), 22; US bilateral agreements).

Same inputs and answers as :mod:`mda_sim.rules.treaty`: plain state codes, the scenario's legal
specs, and a :class:`~mda_sim.rules.decisions.Decision` naming the article that decided it.

Every article comes from reference/treaty-partners-threats-geography.md: §1.1 (Arts 12, 13, 22,
23, 31), §1.2 (elections and their defaults: 12(4)(a), 13(6)(a)), §2 (the bilateral ``pursuit``,
``overflight`` and ``order_to_land`` provisions) and §7.5 (aircraft). ``coastal`` is the state whose
waters and airspace are entered; for overflight and order-to-land relay it is the *requesting*
party of Art. 13, the one that authorizes them under 13(6).
"""

from __future__ import annotations

from collections.abc import Iterable

from mda_sim.rules.decisions import Decision
from mda_sim.rules.jurisdiction import bilateral_with, treaty_party
from mda_sim.rules.treaty import (
    TSJ,
    _art12,
    _bilateral_citation,
    _bilateral_pursuit,
    _both_parties,
    _own_or_shiprider,
)
from mda_sim.scenario.specs.legal import BilateralAgreement, Provision, TreatyOfSanJose

__all__ = ["follow_aircraft_into_airspace", "order_to_land", "overflight"]


def _own_airspace(acting: str, note: str = "") -> Decision:
    own = f"{acting}'s own waters and airspace"
    return Decision(
        "allowed", "own_airspace", f"{TSJ} Art. 23", note=f"{own}; {note}" if note else own
    )


def _no_agreement(
    acting: str, coastal: str, provision: Provision, what: str, note: str = ""
) -> Decision:
    """No treaty between the two and no bilateral provision: ask ``coastal`` (the wording of
    :func:`~mda_sim.rules.treaty.patrol_in_waters`' no-agreement case)."""
    return Decision(
        "request",
        "no_agreement_coastal_consent",
        f"no agreement: {TSJ} not in force between {acting} and {coastal}, "
        f"no bilateral {provision.replace('_', ' ')} provision",
        authority=coastal,
        note=f"no agreement between {acting} and {coastal} covers {what}; ask {coastal} for consent"
        + (f"; {note}" if note else ""),
    )


# --- 1. following a suspect aircraft into another state's waters and airspace ----------------------


def follow_aircraft_into_airspace(
    acting: str,
    coastal: str,
    treaty: TreatyOfSanJose,
    agreements: Iterable[BilateralAgreement] = (),
    *,
    shiprider_embarked: bool = False,
    coastal_asset_available: bool = False,
) -> Decision:
    """May ``acting`` follow a suspect aircraft into ``coastal``'s waters and airspace to keep
    contact with it?

    Order of the rules (reference §1.1 Arts 9, 12, 23, 31; §1.2; §2.1 part 3; §7.4, §7.7):

    1. own waters and airspace (Treaty Art. 23);
    2. a shiprider of ``coastal`` embarked authorizes entry into its waters (Treaty Art. 9(3)(c))
       between parties, or under a bilateral shiprider provision;
    3. both parties: the coastal party's Art. 12(5) election for aircraft, default (a)
       (reference §1.2): (a) its designated authority authorizes; (b) notice suffices when no
       law enforcement vessel or official of ``coastal`` is immediately available (Art. 12(4));
       a bilateral pursuit provision (Art. 31(2)) makes a request unnecessary;
    4. no treaty between them: a bilateral pursuit provision (which covers suspect vessels *or
       aircraft*, reference §2.1 part 3), else ask ``coastal``.

    Parameters
    ----------
    acting, coastal : str
        The state keeping contact and the state whose waters and airspace the aircraft entered.
    treaty : TreatyOfSanJose
        Parties and their elections (``TreatyParty.art12_aircraft``).
    agreements : iterable of BilateralAgreement
        The scenario's bilateral agreements.
    shiprider_embarked : bool
        A law enforcement official of ``coastal`` is embarked on the following asset.
    coastal_asset_available : bool
        A law enforcement vessel or official of ``coastal`` is immediately available to take over.

    Returns
    -------
    Decision
        ``'allowed'`` or ``'request'`` (authority ``coastal``); never ``'denied'``.
    """
    agreements = tuple(agreements)
    decision, both = _own_or_shiprider(
        acting, coastal, treaty, agreements, shiprider_embarked, "9(3)(c)", "entry into and navigation within",
        own=_own_airspace,
    )
    if decision is not None:
        return decision
    if both:
        return _art12(acting, coastal, treaty, agreements, coastal_asset_available, aircraft=True)
    agreement = bilateral_with(acting, coastal, "pursuit", agreements)
    if agreement is not None:
        return _bilateral_pursuit(agreement, coastal, treaty)
    return _no_agreement(acting, coastal, "pursuit", "following a suspect aircraft into its waters")


# --- 2. overflight and relay of orders to land (Art. 13) -------------------------------------------


def overflight(
    acting: str,
    coastal: str,
    treaty: TreatyOfSanJose,
    agreements: Iterable[BilateralAgreement] = (),
) -> Decision:
    """May ``acting``'s aircraft fly in ``coastal``'s airspace in support of counter-drug
    operations?

    Order of the rules (reference §1.1 Arts 13, 23, 31; §1.2; §2.1 part 5; §7.5):

    1. own airspace (Treaty Art. 23);
    2. both parties: the requesting party's Art. 13(7) election, default (a): (b) advance
       authorization was given (Art. 13(6)(b)); (a) a bilateral overflight provision (Art. 31(2)),
       else its designated authority must authorize (Art. 13(6)(a));
    3. no treaty between them (Art. 13 allows no entry into non-party airspace): a bilateral
       overflight provision, else ask ``coastal``.

    Parameters
    ----------
    acting : str
        The state whose aircraft would fly.
    coastal : str
        The state whose airspace it is: the requesting party of Art. 13.
    treaty : TreatyOfSanJose
        Parties and their elections (``TreatyParty.art13_overflight``).
    agreements : iterable of BilateralAgreement
        The scenario's bilateral agreements.

    Returns
    -------
    Decision
        ``'allowed'`` or ``'request'`` (authority ``coastal``); never ``'denied'``.
    """
    note = (
        f"under {coastal}'s law, only in the areas and to the extent authorized; give notice and "
        "frequencies to air traffic control; no effect on scheduled or charter traffic; "
        "must not endanger civil aviation (Art. 13)"
    )
    return _art13(acting, coastal, treaty, tuple(agreements), "overflight", note)


def order_to_land(
    acting: str,
    coastal: str,
    treaty: TreatyOfSanJose,
    agreements: Iterable[BilateralAgreement] = (),
) -> Decision:
    """May ``acting``'s aircraft relay ``coastal``'s order to land to a suspect aircraft in
    ``coastal``'s airspace?

    The same rules as :func:`overflight` (Treaty Art. 13(6)-(7) covers overflight and the relay of
    orders to suspect aircraft), with the bilateral ``order_to_land`` provision (reference §2.1
    part 6). Force is never used against civil aircraft in flight (Art. 22; reference §7.5).

    Parameters
    ----------
    acting : str
        The state whose aircraft would relay the order.
    coastal : str
        The state whose airspace it is and whose order is relayed: the requesting party of Art. 13.
    treaty : TreatyOfSanJose
        Parties and their elections (``TreatyParty.art13_overflight``).
    agreements : iterable of BilateralAgreement
        The scenario's bilateral agreements.

    Returns
    -------
    Decision
        ``'allowed'`` or ``'request'`` (authority ``coastal``); never ``'denied'``.
    """
    note = (
        f"relay {coastal}'s order to land, to comply with its air traffic control and law "
        "enforcement instructions (13(6)); never use force against civil aircraft in flight (Art. 22)"
    )
    return _art13(acting, coastal, treaty, tuple(agreements), "order_to_land", note)


def _art13(
    acting: str,
    coastal: str,
    treaty: TreatyOfSanJose,
    agreements: tuple[BilateralAgreement, ...],
    provision: Provision,
    note: str,
) -> Decision:
    """Art. 13(6) with the requesting party's 13(7) election; the default is (a) (reference §1.2)."""
    if coastal == acting:
        return _own_airspace(acting, note if provision == "order_to_land" else "")
    agreement = bilateral_with(acting, coastal, provision, agreements)
    if _both_parties(acting, coastal, treaty):
        election = treaty_party(coastal, treaty.parties).art13_overflight  # type: ignore[union-attr]
        if election == "b":
            return Decision(
                "allowed",
                "art13_6_b_advance_authorization",
                f"{TSJ} Art. 13(6)(b)",
                note=f"{coastal} gave advance authorization (13(7) election); {note}",
            )
        if agreement is None:
            return Decision(
                "request",
                "art13_6_a_authorization",
                f"{TSJ} Art. 13(6)(a)",
                authority=coastal,
                note=f"{coastal}'s designated authority must authorize (13(7) election, the default); {note}",
            )
    if agreement is not None:
        return Decision(
            "allowed",
            f"bilateral_{provision}",
            _bilateral_citation(agreement, provision, treaty),
            note=note,
        )
    what = "overflight" if provision == "overflight" else "relaying an order to land"
    return _no_agreement(acting, coastal, provision, f"{what} in its airspace", note)
