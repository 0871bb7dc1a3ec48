"""Live vessels: identity, ground truth, and the current constant-velocity leg.

Position is computed from the current leg (``p0 + v (t - t0)``), never stepped (DESIGN.md §3).
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from mda_sim.scenario.specs.catalog import VesselType

__all__ = ["Vessel"]


class Vessel:
    """One vessel under way.

    Attributes
    ----------
    id, flow : str
        Vessel id (``<flow>#<n>``) and the traffic flow that made it.
    type : VesselType
        Catalog type (height for the horizon, small-craft class for sea-state corrections).
    illicit : bool
        Ground truth, used only to judge classification and outcomes.
    ais_on : bool
        Whether the AIS transmitter is on now.
    flag : str
        Flag claimed (state code, ``stateless`` or ``no_claim``).
    cargo_kg, persons
        Contraband aboard [kg] and people carried (migrant runs).
    """

    __slots__ = (
        "active",
        "ais_on",
        "cargo_kg",
        "changed",
        "entry_granted",
        "evading",
        "flag",
        "flow",
        "id",
        "illicit",
        "leg",
        "leg_end_h",
        "leg_p0_nm",
        "leg_t0_h",
        "persons",
        "process",
        "pursuers",
        "sensor_pairs",
        "transit_speed_kn",
        "type",
        "velocity_kn",
    )

    def __init__(self, vessel_id: str, flow: str, vessel_type: VesselType, *, illicit: bool, ais_on: bool) -> None:
        self.id = vessel_id
        self.flow = flow
        self.type = vessel_type
        self.illicit = illicit
        self.ais_on = ais_on
        self.leg = -1
        self.leg_t0_h = 0.0
        self.leg_p0_nm = np.zeros(2)
        self.velocity_kn = np.zeros(2)
        self.leg_end_h = math.inf
        self.sensor_pairs: set[str] = set()
        self.active = False
        self.flag = "stateless"
        self.cargo_kg = 0.0
        self.persons = 0
        #: Speed it runs its voyage at [kn] (and resumes at after an evasion).
        self.transit_speed_kn = vessel_type.cruise_speed_kn
        #: The simpy process playing the voyage (interrupted to evade, stop or resume).
        self.process = None
        #: Platforms prosecuting this vessel now.
        self.pursuers: set[str] = set()
        #: Entry authorizations obtained: (platform id, coastal state) -> Decision.
        self.entry_granted: dict = {}
        #: True while the voyage is under a pursuer's control (evading, stopped, in refuge).
        self.evading = False
        #: Triggered (and replaced) whenever the vessel starts a new leg or ends its voyage.
        self.changed = None

    @property
    def height_m(self) -> float:
        return self.type.height_m

    @property
    def target_class(self) -> str:
        """Sweep-width correction class (US NSS Table D-1): ``small_craft`` or ``other``."""
        return "small_craft" if self.type.small_craft else "other"

    @property
    def speed_kn(self) -> float:
        return float(math.hypot(*self.velocity_kn))

    def start_leg(self, t_h: float, position_nm, velocity_kn, end_h: float) -> None:
        """Begin leg ``leg + 1`` at ``t_h`` [h] from ``position_nm`` with ``velocity_kn`` until ``end_h``."""
        if end_h < t_h:
            raise ValueError(f"vessel {self.id}: leg ends at {end_h} h before it starts at {t_h} h")
        self.leg += 1
        self.leg_t0_h = t_h
        self.leg_p0_nm = np.asarray(position_nm, dtype=float)
        self.velocity_kn = np.asarray(velocity_kn, dtype=float)
        self.leg_end_h = end_h
        self.active = True

    def position_at(self, t_h: float) -> np.ndarray:
        """Position on the current leg at ``t_h`` [nm]."""
        return self.leg_p0_nm + self.velocity_kn * (t_h - self.leg_t0_h)

    def segment_until(self, t_h: float, t_max_h: float) -> shapely.Geometry:
        """The path from ``t_h`` to the end of the leg (or ``t_max_h``) as a shapely geometry [nm]."""
        a = self.position_at(t_h)
        b = self.position_at(min(self.leg_end_h, t_max_h))
        if np.allclose(a, b):
            return shapely.Point(a)
        return shapely.LineString([a, b])
