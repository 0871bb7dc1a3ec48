"""The answer every legal rule gives: a cited decision (STYLE habit 8, DESIGN "Law")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["Decision", "Outcome"]

Outcome = Literal["allowed", "request", "denied"]
_OUTCOMES: tuple[str, ...] = get_args(Outcome)


@dataclass(frozen=True)
class Decision:
    """What a rule decided, and the article or agreement that decided it.

    Attributes
    ----------
    outcome : {'allowed', 'request', 'denied'}
        ``'allowed'``: the action may go ahead now (any notice due is in ``note``);
        ``'request'``: the action waits for the answer of ``authority``;
        ``'denied'``: no rule lets the action go ahead.
    rule : str
        Short machine-readable name of the rule applied, e.g. ``'art16_1_treaty_authorization'``.
    citation : str
        The article or agreement, e.g. ``'Treaty of San Jose Art. 16(1)'``.
    authority : str or None
        The state asked (ISO alpha-3) when ``outcome`` is ``'request'``; ``None`` otherwise.
    note : str
        Anything the caller must still do (give notice, await disposition instructions ...).
    """

    outcome: Outcome
    rule: str
    citation: str
    authority: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.outcome not in _OUTCOMES:
            raise ValueError(
                f"Decision outcome = {self.outcome!r}: must be one of {list(_OUTCOMES)}"
            )
        if not self.rule or not self.citation:
            raise ValueError(
                f"Decision {self.outcome!r} needs a rule and a citation, got rule={self.rule!r}, citation={self.citation!r}"
            )
        if (self.outcome == "request") != (self.authority is not None):
            raise ValueError(
                f"Decision {self.outcome!r} with authority = {self.authority!r}: "
                "a 'request' names the state asked, and only a 'request' does"
            )

    @property
    def allowed(self) -> bool:
        """True if the action may go ahead without waiting for anyone."""
        return self.outcome == "allowed"
