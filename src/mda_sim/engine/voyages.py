"""Playing out a planned voyage, and what a pursuit does to it.

A voyage is planned in full at departure (:mod:`mda_sim.engine.traffic`) and played out here by one
simpy process per vessel. Pursuit changes it through interrupts carrying a :class:`Control`:

- ``evade``: run from the pursuer (:mod:`mda_sim.engine.evasion`): to waters where the pursuer has no
  authority if such waters are near, else straight away from it; the run is re-planned every
  :data:`RUN_STEP_H` while the pursuit lasts;
- ``stop``: heave to (intercepted, or being boarded);
- ``resume``: the pursuit is over; go on with what is left of the plan, from where the vessel is;
- ``seized``: the voyage ends here (the vessel is taken into custody; no ``arrived`` record).

Whenever the vessel starts a leg or its voyage ends, :attr:`Vessel.changed` fires so that pursuers
re-solve their intercept at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import simpy

from mda_sim.eventlog.records import Arrived, LegStarted, Rendezvous, VesselDeparted

if TYPE_CHECKING:
    from mda_sim.engine.traffic import VoyagePlan
    from mda_sim.engine.vessels import Vessel
    from mda_sim.engine.world import World

__all__ = ["Control", "play_voyage"]

#: An evading vessel re-plans its run this often [h].
RUN_STEP_H = 0.5


@dataclass(frozen=True)
class Control:
    """Why a voyage was interrupted: ``evade`` (from ``pursuer``), ``stop``, ``resume``, ``seized``."""

    kind: str
    pursuer: object = None


class _Seized(Exception):
    pass


def _notify(world: World, vessel: Vessel) -> None:
    ev = vessel.changed
    if ev is not None and not ev.triggered:
        vessel.changed = None
        ev.succeed()


def changed_event(world: World, vessel: Vessel) -> simpy.Event:
    """An event that fires when the vessel next starts a leg or ends its voyage."""
    if vessel.changed is None:
        vessel.changed = world.env.event()
    return vessel.changed


def play_voyage(world: World, plan: VoyagePlan):
    """The voyage process (see the module notes)."""
    env = world.env
    vessel = plan.vessel
    if plan.start_h > env.now:
        yield env.timeout(plan.start_h - env.now)
    first = next((s for s in plan.steps if s[0] == "leg"), None)
    x, y = first[1] if first is not None else (np.nan, np.nan)
    vessel.flag = plan.flag
    vessel.process = env.active_process
    world.add_vessel(vessel)
    world.emit(VesselDeparted(world.now_h, vessel.id, vessel.flow, vessel.type.id, vessel.illicit,
                              plan.cargo, plan.flag, float(x), float(y), vessel.ais_on,
                              vessel.cargo_kg, vessel.persons))
    steps = list(plan.steps)
    try:
        while steps:
            step = steps.pop(0)
            try:
                if step[0] == "leg":
                    _, p, v, duration_h, behaviour = step
                    yield from _leg(world, vessel, p, v, duration_h, behaviour)
                elif step[0] == "ais":
                    world.set_ais(vessel, step[1])
                elif step[0] == "rendezvous":
                    pos = vessel.position_at(world.now_h)
                    world.emit(Rendezvous(world.now_h, step[1], vessel.id, float(pos[0]), float(pos[1])))
            except simpy.Interrupt as intr:
                if step[0] == "leg":
                    steps.insert(0, _remainder(world, vessel, step))
                vessel.evading = True
                yield from _controlled(world, vessel, intr.cause)
                vessel.evading = False
                steps[:0] = _rejoin(world, vessel, steps)
    except _Seized:
        world.remove_vessel(vessel)
        _notify(world, vessel)
        return
    end = vessel.position_at(world.now_h)
    world.emit(Arrived(world.now_h, vessel.id, float(end[0]), float(end[1])))
    world.remove_vessel(vessel)
    _notify(world, vessel)
    world.on_voyage_end(vessel)


def _leg(world: World, vessel: Vessel, position, velocity, duration_h: float, behaviour: str):
    t = world.now_h
    vessel.start_leg(t, position, velocity, t + duration_h)
    world.emit(LegStarted(t, vessel.id, vessel.leg, behaviour, float(position[0]), float(position[1]),
                          float(velocity[0]), float(velocity[1])))
    world.vessel_moved(vessel)
    _notify(world, vessel)
    yield world.env.timeout(duration_h)


def _remainder(world: World, vessel: Vessel, step: tuple) -> tuple:
    """What is left of an interrupted leg: to its end point (a wait keeps its remaining time)."""
    _, p, v, duration_h, behaviour = step
    t = world.now_h
    done_h = t - vessel.leg_t0_h
    left_h = max(0.0, duration_h - done_h)
    end = np.asarray(p) + np.asarray(v) * duration_h
    if float(np.hypot(*v)) == 0.0:
        return ("leg", end, np.zeros(2), left_h, behaviour)
    return ("goto", end, behaviour)


def _rejoin(world: World, vessel: Vessel, steps: list) -> list:
    """Legs from where the vessel is to the first remaining point of its plan (a sea route)."""
    if not steps or steps[0][0] != "goto":
        target = next((s[1] for s in steps if s[0] == "leg"), None)
        if target is None:
            return []
        return _route_steps(world, vessel, target, "transit")
    _, end, behaviour = steps.pop(0)
    return _route_steps(world, vessel, end, behaviour)


def _route_steps(world: World, vessel: Vessel, target, behaviour: str) -> list:
    here = vessel.position_at(world.now_h)
    speed = max(vessel.transit_speed_kn, 1.0)
    if float(np.hypot(*(np.asarray(target) - here))) < 1e-6:
        return []
    try:
        path = world.route(here, np.asarray(target, float))
    except ValueError:
        path = np.vstack([here, target])
    out = []
    for p, q in pairwise(path):
        dist = float(np.hypot(*(q - p)))
        if dist > 1e-9:
            out.append(("leg", p, (q - p) * (speed / dist), dist / speed, behaviour))
    return out


def _controlled(world: World, vessel: Vessel, cause: Control):
    """Evade, stop or resume as pursuers command, until told to resume (or seized)."""
    env = world.env
    from mda_sim.engine.evasion import escape_legs  # evasion needs the law adapter: imported late

    while True:
        try:
            if cause.kind == "resume":
                return
            if cause.kind == "seized":
                raise _Seized
            if cause.kind == "stop":
                yield from _leg(world, vessel, vessel.position_at(world.now_h), np.zeros(2), np.inf, "stopped")
                continue
            # evade: run in steps, re-planned while the pursuit lasts
            legs = escape_legs(world, vessel, cause.pursuer, RUN_STEP_H)
            if not legs:
                yield from _leg(world, vessel, vessel.position_at(world.now_h), np.zeros(2), np.inf, "refuge")
                continue
            for p, v, duration_h in legs:
                yield from _leg(world, vessel, p, v, duration_h, "evade")
        except simpy.Interrupt as intr:
            cause = intr.cause
        else:
            if not vessel.pursuers:
                return
            yield env.timeout(0)
