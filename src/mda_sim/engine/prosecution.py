"""What a tasked platform does: launch, pursue, get authority, board, seize or release, deliver, return.

**Boarding authority** where the target is caught (:meth:`mda_sim.engine.law.Law.boarding`):
allowed -> board at once; a request (flag-state consent, Art. 16(2)/(3), Vienna Art. 17) -> the
pursuer shadows the target until the answer (the target sails on; a 16(3) request is deemed granted
after 4 h without an answer), then boards if granted and it still has the target, otherwise the
voyage is ``consent_refused`` or ``blocked``.

**End-game** (``command.endgame``, estimates): a vessel whose flow ``jettisons`` throws its load
overboard with ``p_jettison`` as it is caught (``p_recover_jettisoned`` of it is picked up); the
boarding takes ``boarding_h``; evidence is found with ``p_evidence`` by cargo (or
``p_evidence_after_jettison``). Evidence -> the vessel, cargo and crew are seized under the
jurisdiction the rules give (Treaty Arts 12(3), 16(5), 24; :func:`mda_sim.rules.jurisdiction`) and
taken to the nearest port of that state in the scenario (the asset's own base if it has none);
no evidence -> the vessel is released and sails on. A seizure is delivered by the hull (a boat
hands it to its hull). Random numbers: stream ``("endgame", vessel)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import simpy

from mda_sim.engine.patrols import leave_base, return_to_base, turnaround
from mda_sim.engine.pursuit import CAPTURE_NM, datum_search, pursue
from mda_sim.engine.sampling import draw
from mda_sim.engine.voyages import Control
from mda_sim.eventlog.records import (
    AssetState,
    Boarded,
    Delivered,
    Jettisoned,
    PursuitEnded,
    Seized,
)

if TYPE_CHECKING:
    from mda_sim.engine.command import Order
    from mda_sim.engine.platforms import Platform
    from mda_sim.engine.world import World

__all__ = ["Custody", "deliver", "launch_boat", "prosecute"]

#: A prosecution that ends without a seizure sends a patrolling hull back on patrol if at least this
#: fraction of its endurance is left, else home [-] (estimate).
RESUME_PATROL_FUEL_FRACTION = 0.5

_NOTE = {
    "outran": ("not_intercepted", "outran the pursuer"),
    "endurance": ("not_intercepted", "pursuer at the limit of its endurance"),
    "arrived": ("not_intercepted", "reached its destination before the intercept"),
    "contact_lost": ("contact_lost", "contact lost; the datum search did not find it"),
    "blocked": ("blocked", "no authority to follow it into the waters it entered"),
}


@dataclass(frozen=True)
class Custody:
    """A seized vessel in the pursuer's charge: to be delivered at ``port`` (xy [nm])."""

    vessel_id: str
    port: str
    port_nm: np.ndarray


def prosecute(world: World, hull: Platform, order: Order):
    """A hull's prosecution from wherever it is (a sub-process of its patrol cycle)."""
    from mda_sim.engine.patrols import patrol_on

    if hull.ashore:
        leave_base(world, hull)
    hull.mode = "tasked"
    custody = yield from _work(world, hull, order)
    world.command.released(hull)
    if custody is not None:
        yield from deliver(world, hull, custody)
    elif (hull.asset.patrol.pattern not in ("on_call", "scheduled_sorties")
          and hull.fuel_left_h() >= RESUME_PATROL_FUEL_FRACTION * hull.type.endurance_h):
        rng = world._rng("patrol", hull.id)
        yield from patrol_on(world, hull, rng)
        yield from turnaround(world, hull)
        return
    yield from return_to_base(world, hull)
    yield from turnaround(world, hull)


def launch_boat(world: World, boat: Platform, order: Order, hold):
    """A boat launched from its hull (hove to) after a suspect; back aboard when done."""
    hull = boat.parent
    t = world.now_h
    boat.refuel()
    boat._leg_p0 = hull.position_at(t)
    boat.mode = "tasked"
    world.emit(AssetState(t, boat.id, "launched"))
    boat.sensors_up(True)
    custody = yield from _work(world, boat, order)
    world.command.released(boat)
    home = hull.position_at(world.now_h)
    for p, q in pairwise(boat.path(boat.position_at(world.now_h), home)):
        yield from boat.leg(p, q, boat.type.cruise_speed_kn, "return")
    boat.stop_here()
    boat.sensors_up(False)
    boat.mode = "stowed"
    world.emit(AssetState(world.now_h, boat.id, "recovered"))
    hold.done.succeed(custody)


def _work(world: World, p: Platform, order: Order):
    """Prosecute the order (and any order it is re-tasked to); the custody taken, or None."""
    while True:
        try:
            result = yield from _one(world, p, order)
            return result
        except simpy.Interrupt as intr:
            world.emit(PursuitEnded(world.now_h, p.id, order.vessel.id, "retasked"))
            _let_go(world, p, order)
            order = intr.cause


def _let_go(world: World, p: Platform, order: Order) -> None:
    vessel = order.vessel
    vessel.pursuers.discard(p.id)
    if vessel.active and vessel.evading and not vessel.pursuers:
        vessel.process.interrupt(Control("resume"))


def _one(world: World, p: Platform, order: Order):
    case = order.case
    vessel = order.vessel
    p.stop_here("awaiting_launch" if order.delay_h > 0 else None)
    if order.delay_h > 0:
        yield world.env.timeout(order.delay_h)
    if order.cue_nm is not None:
        found = yield from datum_search(world, p, vessel, "intel_cue", datum=np.asarray(order.cue_nm),
                                        sigma_nm=world.spec.command.intel.position_error_nm)
        if not found:
            world.emit(PursuitEnded(world.now_h, p.id, vessel.id, "cue_not_found"))
            _let_go(world, p, order)
            return None
    result, citation = yield from pursue(world, p, order)
    if result != "intercepted":
        world.emit(PursuitEnded(world.now_h, p.id, vessel.id, result))
        outcome, reason = _NOTE.get(result, ("not_intercepted", result))
        case.note(outcome, reason, citation)
        _let_go(world, p, order)
        return None
    world.emit(PursuitEnded(world.now_h, p.id, vessel.id, "intercepted"))
    custody = yield from _endgame(world, p, order)
    return custody


def _endgame(world: World, p: Platform, order: Order):
    law = world.law
    case = order.case
    vessel = order.vessel
    where = law.waters(vessel.position_at(world.now_h))
    decision = law.boarding(p, vessel, where)
    if decision.outcome == "denied":
        case.note("blocked", "boarding not authorized", decision.citation)
        _let_go(world, p, order)
        return None
    if decision.outcome == "request":
        res = law.answer(vessel, decision)
        result, citation = yield from pursue(world, p, order, follow_until_h=world.now_h + res.after_h)
        if result in ("arrived",):
            case.note("blocked", f"reached its destination awaiting {decision.authority}'s answer", decision.citation)
            _let_go(world, p, order)
            return None
        if result != "followed":
            outcome, reason = _NOTE.get(result, ("not_intercepted", result))
            case.note(outcome, f"{reason} while awaiting {decision.authority}'s answer", citation or decision.citation)
            _let_go(world, p, order)
            return None
        law.answered(vessel, "board", decision, res)
        if not res.granted:
            case.note("consent_refused", f"{decision.authority} refused consent to board", res.citation)
            _let_go(world, p, order)
            return None
        if float(np.hypot(*(vessel.position_at(world.now_h) - p.position_at(world.now_h)))) > CAPTURE_NM:
            result, citation = yield from pursue(world, p, order)
            if result != "intercepted":
                outcome, reason = _NOTE.get(result, ("not_intercepted", result))
                case.note(outcome, f"{reason} after consent arrived", citation)
                _let_go(world, p, order)
                return None
        citation = res.citation
    else:
        citation = decision.citation
    return (yield from _board(world, p, order, citation))


def _board(world: World, p: Platform, order: Order, authority_citation: str):
    cfg = world.spec.command.endgame
    case = order.case
    vessel = order.vessel
    rng = world._rng("endgame", vessel.id)
    flow = world.illicit_flows.get(vessel.flow)
    jettisoned = False
    if flow is not None and flow.jettisons and vessel.cargo_kg > 0.0 and rng.random() < cfg.p_jettison:
        recovered = vessel.cargo_kg * cfg.p_recover_jettisoned
        world.emit(Jettisoned(world.now_h, vessel.id, p.id, vessel.cargo_kg, recovered))
        case.removed_kg = vessel.cargo_kg
        case.note("jettisoned", f"jettisoned {vessel.cargo_kg:.0f} kg as {p.id} closed; {recovered:.0f} kg recovered",
                  authority_citation)
        jettisoned = True
    vessel.process.interrupt(Control("stop"))
    p.stop_here("boarding")
    duration_h = max(0.0, draw(cfg.boarding_h, rng))
    yield world.env.timeout(duration_h)
    p_find = cfg.p_evidence_after_jettison if jettisoned else cfg.p_evidence.get(case.cargo, 0.9)
    evidence = bool(rng.random() < p_find)
    world.emit(Boarded(world.now_h, vessel.id, p.id, duration_h, evidence))
    if not evidence or not vessel.active:
        if not jettisoned:
            case.note("boarded_no_evidence", "boarded; no evidence found, released", authority_citation)
        _let_go(world, p, order)
        return None
    where = world.law.waters(vessel.position_at(world.now_h))
    j = world.law.jurisdiction(p, vessel, where)
    port_id, port_nm = world.port_of(j.state, vessel.position_at(world.now_h), p)
    detainees = round(max(0.0, draw(cfg.crew, rng)))
    kg = 0.0 if jettisoned else vessel.cargo_kg
    world.emit(Seized(world.now_h, vessel.id, p.id, kg, vessel.persons, detainees, j.state, port_id,
                      f"{j.citation}; boarding: {authority_citation}"))
    if not jettisoned:
        case.removed_kg = vessel.cargo_kg
        case.note("seized", f"seized by {p.id}; {j.state} jurisdiction, to {port_id}", authority_citation)
    else:
        case.note("jettisoned", case.results["jettisoned"][0] + "; vessel and crew seized", authority_citation)
    vessel.pursuers.discard(p.id)
    vessel.process.interrupt(Control("seized"))
    world.command.close(vessel)
    return Custody(vessel.id, port_id, port_nm)


def deliver(world: World, hull: Platform, custody: Custody):
    """Take a seized vessel to its port (at the slower of cruise and 10 kn under tow or escort)."""
    speed = min(hull.type.cruise_speed_kn, 10.0)
    hull.mode = "escort"
    for p, q in pairwise(hull.path(hull.position_at(world.now_h), custody.port_nm)):
        yield from hull.leg(p, q, speed, "escort")
    world.emit(Delivered(world.now_h, hull.id, custody.vessel_id, custody.port))
