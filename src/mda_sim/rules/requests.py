"""How a request is resolved in time, and what a refuted claim of nationality allows (pure).

A rule that returns a ``'request'`` :class:`~mda_sim.rules.decisions.Decision` waits for its
``authority``; the simulation draws when that authority answers and whether it grants
(``Legal.responses``, ``TreatyOfSanJose.verification_delay_h``) and asks :func:`resolve_request`
what that answer means in law. The one case where silence decides is Treaty of San Jose Art. 16(3).

Every article comes from reference/treaty-partners-threats-geography.md: §0 and §1.1 (Arts 6, 16),
§5.2 (UNCLOS Art. 110) and §7.1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mda_sim.rules.decisions import Decision
from mda_sim.rules.treaty import TSJ

__all__ = [
    "ART6_ANSWER_LIMIT_H",
    "ART16_3_DEEMED_AFTER_H",
    "Resolution",
    "refuted_claim_decision",
    "resolve_request",
]

ART6_ANSWER_LIMIT_H = 4.0
"""A flag state answers a nationality request "as soon as possible, but in any event within four
(4) hours" (Treaty of San Jose Art. 6(4); reference §0) [h]."""

ART16_3_DEEMED_AFTER_H = 4.0
"""A party that notified Art. 16(3) is deemed to authorize boarding if it has not answered, or has
neither confirmed nor denied nationality, within 4 h of an oral Art. 6 request (reference §0) [h]."""

_DEEMED_RULE = "art16_3_deemed_after_4h"


@dataclass(frozen=True)
class Resolution:
    """How and when a request was resolved.

    Attributes
    ----------
    granted : bool
        True if the action may now go ahead.
    after_h : float
        Time from the request to the resolution [h].
    rule : str
        Short machine-readable name, e.g. ``'art16_3_deemed'`` or ``'art11_authorization_granted'``.
    citation : str
        The article or agreement that decided it.
    note : str
        Anything the caller must still do.
    """

    granted: bool
    after_h: float
    rule: str
    citation: str
    note: str = ""


def resolve_request(decision: Decision, answer_delay_h: float, granted: bool) -> Resolution:
    """What the answer (or the silence) of ``decision.authority`` means, and when.

    Parameters
    ----------
    decision : Decision
        A ``'request'`` decision from one of the rules.
    answer_delay_h : float
        When the authority answers, counted from the request [h]; finite and >= 0.
    granted : bool
        Whether that answer grants the request. For Art. 16(3) a refusal of boarding with
        nationality confirmed is ``granted=False``.

    Returns
    -------
    Resolution
        For ``decision.rule == 'art16_3_deemed_after_4h'`` (Treaty of San Jose Art. 16(3)): the
        answer if it comes within 4 h (rule ``'art16_3_granted'`` / ``'art16_3_refused'``), else
        authorization deemed at exactly 4 h (rule ``'art16_3_deemed'``). For every other request:
        the answer at ``answer_delay_h``, rule ``'<decision.rule>_granted'`` or ``_refused``,
        citing the decision's own citation.

    Raises
    ------
    ValueError
        If ``decision`` is not a request, or the delay is negative or not finite.
    """
    if decision.outcome != "request":
        raise ValueError(
            f"resolve_request: decision {decision.rule!r} is {decision.outcome!r}, not 'request'; "
            "only a request waits for an answer"
        )
    if not math.isfinite(answer_delay_h) or answer_delay_h < 0:
        raise ValueError(
            f"answer_delay_h = {answer_delay_h!r}: must be a finite time >= 0 [h] "
            "(a state that never answers is a long delay, not an infinite one)"
        )
    answer_delay_h = float(answer_delay_h)
    if decision.rule == _DEEMED_RULE:
        if answer_delay_h <= ART16_3_DEEMED_AFTER_H:
            return Resolution(
                bool(granted),
                answer_delay_h,
                "art16_3_granted" if granted else "art16_3_refused",
                f"{TSJ} Art. 16(3)",
                note=f"{decision.authority} answered within 4 h (Art. 6(4))",
            )
        return Resolution(
            True,
            ART16_3_DEEMED_AFTER_H,
            "art16_3_deemed",
            f"{TSJ} Art. 16(3)",
            note=(
                f"{decision.authority} did not answer, or neither confirmed nor denied nationality, "
                "within 4 h of the oral Art. 6 request: boarding authorization is deemed"
            ),
        )
    outcome = "granted" if granted else "refused"
    return Resolution(
        bool(granted),
        answer_delay_h,
        f"{decision.rule}_{outcome}",
        decision.citation,
        note=f"{decision.authority} {outcome} the request",
    )


def refuted_claim_decision(acting: str) -> Decision:
    """The flag state refuted the vessel's claim of nationality: ``acting`` may treat it as
    stateless (Treaty of San Jose Art. 6(5); reference §1.1 Art. 6).

    Parameters
    ----------
    acting : str
        The state that asked for verification of nationality.

    Returns
    -------
    Decision
        ``'allowed'``, rule ``'art6_5_refuted_treated_stateless'``.
    """
    return Decision(
        "allowed",
        "art6_5_refuted_treated_stateless",
        f"{TSJ} Art. 6(5)",
        note=f"{acting} may board as it would a stateless vessel (right of visit, UNCLOS Art. 110)",
    )
