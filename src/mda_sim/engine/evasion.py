"""Where a pursued vessel runs: to a refuge in law, or away from its pursuer.

A smuggler who sees a pursuer closing (within ``command.pursuit.evade_detect_range_nm``) sprints at
``evade_speed_factor`` x its transit speed (capped at its type's maximum). If the territorial sea
of a state whose waters the pursuer may not enter at once (the rules say ``request`` or
``denied`` for following it in) is within ``refuge_horizon_h`` at that speed, it heads for the
nearest point of those waters and waits inside; otherwise it runs straight away from the pursuer,
turning up to 90 deg either side to keep off land. The refuge is judged with the same rules the
pursuer will face (:func:`mda_sim.rules.continue_pursuit`), i.e. the smuggler knows the law.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import shapely

from mda_sim.geography.zones import Zone
from mda_sim.rules import continue_pursuit

if TYPE_CHECKING:
    from mda_sim.engine.platforms import Platform
    from mda_sim.engine.vessels import Vessel
    from mda_sim.engine.world import World

__all__ = ["escape_legs", "refuge_for", "sprint_speed_kn"]

#: How far inside a refuge's territorial sea the vessel aims [nm].
_INSIDE_NM = 0.5
_TURNS_DEG = (0.0, 30.0, -30.0, 60.0, -60.0, 90.0, -90.0)


def sprint_speed_kn(world: World, vessel: Vessel) -> float:
    factor = world.spec.command.pursuit.evade_speed_factor
    return float(min(vessel.type.max_speed_kn, max(vessel.transit_speed_kn, 1.0) * factor))


def _barred(world: World, vessel: Vessel, pursuer: Platform, coastal: str) -> bool:
    law = world.law
    acting = law.acting_state(pursuer)
    if coastal == acting:
        return False
    decision = continue_pursuit(acting, vessel.flag, Zone.TERRITORIAL_SEA, coastal, law.treaty, law.agreements,
                                shiprider_embarked=law.shiprider_embarked(pursuer, coastal))
    return not decision.allowed


def refuge_for(world: World, vessel: Vessel, pursuer: Platform) -> tuple[str, np.ndarray | None]:
    """The territory to run for and the aim point inside its territorial sea, or ``('', None)``."""
    here = vessel.position_at(world.now_h)
    reach_nm = sprint_speed_kn(world, vessel) * world.spec.command.pursuit.refuge_horizon_h
    point = shapely.Point(*here)
    best: tuple[float, str, np.ndarray] | None = None
    for code in world.law.territorial_seas_near(point.buffer(reach_nm)):  # bounding-box candidates
        ts = world.geo.territories[code].territorial_sea
        if ts is None or ts.is_empty or ts.distance(point) > reach_nm:
            continue
        coastal = world.law.waters_state(code)
        if not _barred(world, vessel, pursuer, coastal):
            continue
        if ts.contains(point):
            return code, here
        _, b = shapely.shortest_line(point, ts).coords
        b = np.asarray(b)
        d = float(np.hypot(*(b - here)))
        aim = b + (b - here) / d * _INSIDE_NM if d > 0 else b
        if best is None or d < best[0]:
            best = (d, code, aim)
    if best is None:
        return "", None
    return best[1], best[2]


def escape_legs(world: World, vessel: Vessel, pursuer: Platform, step_h: float) -> list[tuple]:
    """Legs ``(position, velocity, duration_h)`` of the next stretch of the run; empty when the
    vessel is already inside its refuge (it waits there)."""
    t = world.now_h
    here = vessel.position_at(t)
    speed = sprint_speed_kn(world, vessel)
    code, aim = refuge_for(world, vessel, pursuer)
    geo = world.geo
    if aim is not None:
        if float(np.hypot(*(aim - here))) < 1e-6 or bool(world.law.waters(here).territory == code
                                                           and world.law.waters(here).territorial):
            return []
        try:
            path = world.route(here, aim)
        except ValueError:
            path = None
        if path is not None:
            legs = []
            for p, q in pairwise(path):
                d = float(np.hypot(*(q - p)))
                if d > 1e-9:
                    legs.append((p, (q - p) * (speed / d), d / speed))
            return legs
    away = here - pursuer.position_at(t)
    norm = float(np.hypot(*away))
    base = away / norm if norm > 1e-9 else np.array([0.0, 1.0])
    run_nm = speed * step_h
    for turn in _TURNS_DEG:
        c, s = np.cos(np.radians(turn)), np.sin(np.radians(turn))
        u = np.array([c * base[0] - s * base[1], s * base[0] + c * base[1]])
        q = here + u * run_nm
        if not bool(geo.segment_crosses_land(here[0], here[1], q[0], q[1])):
            return [(here, u * speed, step_h)]
    return [(here, np.zeros(2), step_h)]  # boxed in by land: hove to and hope
