"""Entering another state's territorial sea to investigate a suspect vessel already there (no
pursuit under way): Treaty of San Jose Arts 9, 11, 23, 31 and the US bilateral agreements.

Every article comes from reference/treaty-partners-threats-geography.md: §1.1 (Arts 9, 11, 23, 31),
§2.1 part 4 (the ``entry_to_investigate`` provision), §2.2 "Engine implication" (modelled as entry
with notice, an estimate) and §7.3-§7.4. A pursuit into the waters is
:func:`mda_sim.rules.treaty.pursuit_into_waters`; a patrol is
:func:`mda_sim.rules.treaty.patrol_in_waters`.
"""

from __future__ import annotations

from collections.abc import Iterable

from mda_sim.rules.decisions import Decision
from mda_sim.rules.jurisdiction import bilateral_with
from mda_sim.rules.treaty import TSJ, _bilateral_citation, _own_or_shiprider
from mda_sim.scenario.specs.legal import BilateralAgreement, TreatyOfSanJose

__all__ = ["entry_to_investigate"]


def entry_to_investigate(
    acting: str,
    coastal: str,
    treaty: TreatyOfSanJose,
    agreements: Iterable[BilateralAgreement] = (),
    *,
    shiprider_embarked: bool = False,
) -> Decision:
    """May ``acting`` enter ``coastal``'s territorial sea to investigate a suspect vessel that is
    already there?

    Order of the rules (reference §1.1 Arts 9, 11, 23, 31; §2.1 part 4; §2.2; §7.3, §7.4, §7.7):

    1. own waters (Treaty Art. 23);
    2. a shiprider of ``coastal`` embarked authorizes entry into and navigation within its waters
       (Treaty Art. 9(3)(c)) between parties, or under a bilateral shiprider provision;
    3. a bilateral entry-to-investigate provision: entry with notice (an estimate: reference §2.2
       models these provisions as entry with notice; Art. 31(2) when both are parties);
    4. both parties: operations in a party's waters need its authorization, and requests are
       decided expeditiously (Treaty Art. 11);
    5. otherwise no agreement covers the entry: ask ``coastal``.

    Parameters
    ----------
    acting, coastal : str
        The state that would enter and the state whose territorial sea it is.
    treaty : TreatyOfSanJose
        Parties and their elections.
    agreements : iterable of BilateralAgreement
        The scenario's bilateral agreements.
    shiprider_embarked : bool
        A law enforcement official of ``coastal`` is embarked on the entering asset.

    Returns
    -------
    Decision
        ``'allowed'`` or ``'request'`` (authority ``coastal``); never ``'denied'``.
    """
    agreements = tuple(agreements)
    decision, both = _own_or_shiprider(
        acting, coastal, treaty, agreements, shiprider_embarked, "9(3)(c)", "entry into and navigation within"
    )
    if decision is not None:
        return decision
    agreement = bilateral_with(acting, coastal, "entry_to_investigate", agreements)
    if agreement is not None:
        return Decision(
            "allowed",
            "bilateral_entry_to_investigate",
            _bilateral_citation(agreement, "entry_to_investigate", treaty),
            note=f"give notice to {coastal} (estimate: reference §2.2 models these provisions as entry with notice)",
        )
    if both:
        return Decision(
            "request",
            "art11_authorization",
            f"{TSJ} Art. 11",
            authority=coastal,
            note=(
                f"no operation in {coastal}'s waters without its authorization, decided expeditiously "
                f"and possibly with conditions; carried out by or under the direction of {coastal}; "
                "no independent patrolling (11(4))"
            ),
        )
    return Decision(
        "request",
        "no_agreement_coastal_consent",
        f"no agreement: {TSJ} not in force between {acting} and {coastal}, "
        "no bilateral entry to investigate provision",
        authority=coastal,
        note=f"no agreement between {acting} and {coastal} covers entry to investigate; ask {coastal} for consent",
    )
