"""The detection-to-interdiction kill chain as a product of conditional stage probabilities.

``P(disrupt) = P_D x P_C x P_A x P_I x P_E`` with ``P_A = 1 - B`` from Erlang B
(``reference/theory-and-calibration.md`` §2.10; JIATF-S defines disruption as "the unrecoverable
loss of the drugs through direct seizure, forced jettisoning ... or other courses of action").
This closed form is what the engine's outcome funnel is compared with when stages are independent.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = ["KillChain"]


@dataclass(frozen=True)
class KillChain:
    """Conditional probabilities of each kill-chain stage, each given the previous ones.

    Attributes
    ----------
    detect : float
        ``P_D``: the voyage is detected.
    classify : float
        ``P_C``: the detection is sorted as a suspect.
    assign : float
        ``P_A``: an interceptor is free (``1 - B(c, a)`` for a loss system).
    intercept : float
        ``P_I``: the interceptor reaches it in time and geometry.
    endgame : float
        ``P_E``: stopped and boarded with authority in time, with evidence.

    Examples
    --------
    >>> round(KillChain(0.9, 0.8, 0.4706, 0.7, 0.85).p_disrupt, 4)
    0.2016
    """

    detect: float
    classify: float
    assign: float
    intercept: float
    endgame: float

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not 0.0 <= v <= 1.0:
                raise ValueError(
                    f"kill chain stage '{f.name}' = {v!r}: must be a probability in [0, 1]"
                )

    @property
    def stages(self) -> dict[str, float]:
        """Stage name -> conditional probability, in chain order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def p_disrupt(self) -> float:
        """Unconditional probability that a voyage is disrupted: the product of the stages."""
        return float(np.prod(list(self.stages.values())))

    def funnel(self) -> dict[str, float]:
        """Unconditional fraction of voyages surviving each stage (for a funnel plot)."""
        return dict(zip(self.stages, np.cumprod(list(self.stages.values())).tolist()))
