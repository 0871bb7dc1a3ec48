"""Command and control: tasking policies that assign assets to suspect tracks (pure).

No simpy, no matplotlib: a policy maps a snapshot of tracks and assets to orders; the engine
applies them and logs them.
"""

from mda_sim.command.priorities import THREAT_TIERS, UNKNOWN_TIER, default_priority
from mda_sim.command.tasking import (
    POLICIES,
    AssetView,
    Assignment,
    NearestFeasible,
    TaskingPolicy,
    TrackView,
    fuel_needed_h,
    make_policy,
)

__all__ = [
    "POLICIES",
    "THREAT_TIERS",
    "UNKNOWN_TIER",
    "AssetView",
    "Assignment",
    "NearestFeasible",
    "TaskingPolicy",
    "TrackView",
    "default_priority",
    "fuel_needed_h",
    "make_policy",
]
