"""Default target priorities from threat type and cargo amount (pure, no simpy).

The ordering of threat types is an **estimate** for this simulation, not a published doctrine. It
follows the measures of effectiveness the reference names: the kill chain of
``reference/theory-and-calibration.md`` §2.10 ends in disruption, and the removal rate there is
cocaine removed over documented flow (so cocaine comes first); firearms come next (an estimate:
lethal cargo, the treaty's concern in ``reference/treaty-partners-threats-geography.md`` §1),
then cannabis, then migrants (life at sea on overloaded yolas, ibid. threat table), fuel
smuggling and IUU fishing (an estimate: revenue, not life, at stake).

The priority is ``tier + amount / (amount + scale)``: the tier (an integer) always dominates, and
within a tier more cargo ranks higher, saturating below the next tier.
"""

from __future__ import annotations

import difflib
import math
from types import MappingProxyType

__all__ = ["AMOUNT_SCALE", "THREAT_TIERS", "UNKNOWN_TIER", "default_priority"]

#: Tier by cargo kind (estimate; see module docstring). Higher is more urgent.
THREAT_TIERS = MappingProxyType(
    {
        "cocaine": 6.0,
        "firearms": 5.0,
        "cannabis": 4.0,
        "migrants": 3.0,
        "fuel": 2.0,
        "iuu_catch": 1.0,
    }
)
#: Tier of a suspect whose cargo is not yet known (sorted but not classified): an estimate,
#: below every known threat so classified targets are served first.
UNKNOWN_TIER = 0.0
#: Amount at which the within-tier bonus reaches one half [kg, or persons for migrants]
#: (estimate: about the load of one go-fast, 500-1,000 kg, or one yola, 50-150 persons).
AMOUNT_SCALE = MappingProxyType({"migrants": 50.0})
_DEFAULT_SCALE_KG = 500.0


def default_priority(kind: str | None, amount: float = 0.0) -> float:
    """Priority of a suspect track from its cargo kind and amount [-].

    Parameters
    ----------
    kind : str or None
        Cargo kind (one of :data:`THREAT_TIERS`), or None when not yet classified.
    amount : float
        Cargo mass [kg], or persons for ``"migrants"``; >= 0.

    Returns
    -------
    float
        ``tier + amount / (amount + scale)``, in ``[tier, tier + 1)``.

    Examples
    --------
    >>> default_priority("cocaine", 500.0)
    6.5
    >>> default_priority("firearms", 1e6) < default_priority("cocaine", 0.0)
    True
    """
    if not (math.isfinite(amount) and amount >= 0.0):
        raise ValueError(f"cargo amount = {amount}: must be a finite number >= 0")
    if kind is None:
        tier = UNKNOWN_TIER
    else:
        try:
            tier = THREAT_TIERS[kind]
        except KeyError:
            close = difflib.get_close_matches(kind, THREAT_TIERS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ValueError(
                f"cargo kind '{kind}' unknown{hint} (known: {', '.join(THREAT_TIERS)})"
            ) from None
    scale = AMOUNT_SCALE.get(kind or "", _DEFAULT_SCALE_KG)
    return tier + amount / (amount + scale)
