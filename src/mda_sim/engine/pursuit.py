"""Pursuit: closing on a suspect, re-solved whenever it changes course, within endurance and the law.

The pursuer steers the closed-form intercept (lead pursuit at maximum speed, reference
theory-and-calibration §2.7; :func:`mda_sim.kinematics.intercept.solve_intercept`) against the
target's current leg, and re-solves whenever the target starts a new leg (a turn of its route, an
evasion) -- no time stepping. When no intercept exists (the target is faster and not closing) it
chases the target's present position and re-solves every ``chase_step_h``; the chase ends
``outran`` once the gap has grown to ``give_up_gap_factor`` times the gap at the start of the chase.

Each stretch of the pursuit ends at the earliest of: the intercept; the target's leg end; the
moment the target enters the territorial sea of a state where the pursuer has no authority yet
(the law is asked then, :meth:`mda_sim.engine.law.Law.entry`: allowed goes on; a request holds
the pursuer outside until the answer, blocked if the voyage ends first or the answer is no); the
moment an evading target sees the pursuer (within ``evade_detect_range_nm``: it runs, see
:mod:`mda_sim.engine.evasion`); the moment endurance only just covers the way home plus the
reserve (``endurance``).

If the shared picture loses the track while the pursuer's own sensors do not hold the target, the
pursuer runs a **datum search**: an IAMSAR expanding square (:mod:`mda_sim.assets.search`) around
the dead-reckoned last position, track spacing twice its best sensor's reach, for up to
``search_h``; the detection of the target on it is the engine's own (analytic detection of the
moving sensors), so its probability follows the sensors' sweep width. If the shared picture holds
the vessel again, the pursuit goes on; otherwise ``contact_lost``.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import shapely

from mda_sim.assets.search import expanding_square_waypoints, legs_to_cover, search_area_nm2
from mda_sim.engine.command import SHARED
from mda_sim.engine.evasion import refuge_for, sprint_speed_kn
from mda_sim.engine.law import Waters
from mda_sim.engine.platforms import SHIP_RETURN_FACTOR
from mda_sim.engine.voyages import Control, changed_event
from mda_sim.eventlog.records import DatumSearch, Evading
from mda_sim.geography.zones import Zone
from mda_sim.kinematics.intercept import solve_intercept, time_to_close_within_h
from mda_sim.rules import Decision

if TYPE_CHECKING:
    from mda_sim.engine.command import Order
    from mda_sim.engine.platforms import Platform
    from mda_sim.engine.vessels import Vessel
    from mda_sim.engine.world import World

__all__ = ["CAPTURE_NM", "pursue"]

#: Alongside: the pursuer has caught the target within this distance [nm].
CAPTURE_NM = 0.05
_EPS_H = 1e-7
#: A crossing this close [h] counts as now (a vessel on the boundary, within rounding).
_CROSSING_NOW_H = 1e-6
#: Endurance margin below which a pursuit breaks off for home [h] (36 s).
_MIN_MARGIN_H = 0.01
#: Iterations advancing under 1e-6 h each after which a pursuit is declared stuck (a defect, raised loudly).
_MAX_STALLED = 1000


def _home(p: Platform, t: float) -> np.ndarray:
    return p.parent.position_at(t) if p.parent is not None else p.base_nm


def _fuel_margin_h(world: World, p: Platform, t: float) -> float:
    factor = 1.0 if p.type.is_aircraft else SHIP_RETURN_FACTOR
    home_h = factor * float(np.hypot(*(p.position_at(t) - _home(p, t)))) / p.type.cruise_speed_kn
    return p.fuel_left_h(t) - home_h - world.spec.command.tasking.reserve_h


def _held_by_own(world: World, p: Platform, vessel: Vessel) -> bool:
    track = world.pictures[p.asset.partner].tracks.get(vessel.id)
    return track is not None and any(s.id in track.held_by for s in p.sensors)


def _first_entry(world: World, p: Platform, vessel: Vessel, t: float, dt: float):
    """(time from now [h], Waters) of the target's first entry, within ``dt``, into a territorial sea
    where this pursuer has no authority yet; None if it enters none."""
    law = world.law
    acting = law.acting_state(p)
    a = vessel.position_at(t)
    b = vessel.position_at(t + dt) if math.isfinite(dt) else a
    granted = {s for (pid, s) in vessel.entry_granted if pid == p.id}
    best = None
    seg = shapely.LineString([a, b]) if float(np.hypot(*(b - a))) > 1e-9 else shapely.Point(a)
    for code in law.territorial_seas_near(seg):
        state = law.waters_state(code)
        if state == acting or state in granted:
            continue
        ts = world.geo.territories[code].territorial_sea
        if ts.contains(shapely.Point(a)):
            frac = 0.0
        else:
            hit = seg.intersection(ts)
            if hit.is_empty:
                continue
            pts = shapely.get_coordinates(hit)
            frac = min(seg.project(shapely.Point(q)) for q in pts) / max(seg.length, 1e-12)
        if best is None or frac < best[0]:
            best = (frac, code)
    if best is None:
        return None
    s = best[0] * dt if math.isfinite(dt) else 0.0
    # The waters it enters are the territory found, not a lookup at the crossing point (on a shared
    # boundary that lookup can name the neighbour it is leaving).
    return s, Waters(Zone.TERRITORIAL_SEA, best[1], law.waters_state(best[1]))


def pursue(world: World, p: Platform, order: Order, *, follow_until_h: float | None = None):
    """Prosecute ``order`` with platform ``p`` until it ends (a simpy sub-process).

    Returns ``(result, citation)``: ``intercepted``; ``followed`` (``follow_until_h`` reached while
    shadowing); ``arrived`` (the voyage ended); ``outran``; ``endurance``; ``contact_lost``;
    ``blocked`` or ``refused`` (with the citation that decided).
    """
    env = world.env
    vessel = order.vessel
    cfg = world.spec.command.pursuit
    flow = world.illicit_flows.get(vessel.flow)
    evades = flow is not None and flow.evades
    vmax = p.type.max_speed_kn
    chase_gap0 = None
    first = follow_until_h is None
    last_t, stalled = math.nan, 0
    vessel.pursuers.add(p.id)
    while True:
        t = world.now_h
        if not vessel.active:
            return "arrived", ""
        if follow_until_h is not None and t >= follow_until_h - _EPS_H:
            return "followed", ""
        if world.pictures[SHARED].tracks.get(vessel.id) is None and not _held_by_own(world, p, vessel):
            if not cfg.datum_search:
                return "contact_lost", ""
            found = yield from datum_search(world, p, vessel, "contact_lost")
            if not found:
                return "contact_lost", ""
            continue
        margin = _fuel_margin_h(world, p, t)
        if margin <= _MIN_MARGIN_H:  # (a floor, not 0: steps sized to the margin would shrink geometrically)
            return "endurance", ""
        stalled = stalled + 1 if t - last_t < 1e-6 else 0  # NaN at the start compares False
        if stalled > _MAX_STALLED:
            raise RuntimeError(f"pursuit of {vessel.id} by {p.id} makes no progress at t = {t} h (engine defect)")
        last_t = t
        pos, x, v = p.position_at(t), vessel.position_at(t), vessel.velocity_kn
        gap = float(np.hypot(*(x - pos)))
        # -- the law first: is the target in waters the pursuer may not enter yet?
        entry = _first_entry(world, p, vessel, t, 0.0)
        if entry is not None:
            result = yield from _ask_entry(world, p, vessel, entry[1], pursuit=not first)
            first = False
            if result is not None:
                return result
            continue
        first = False
        alongside = gap <= CAPTURE_NM
        if alongside and follow_until_h is None:
            return "intercepted", ""
        if alongside:  # shadowing while an answer is awaited: keep station on the target
            speed = float(np.hypot(*v))
            vel = v if speed <= vmax else v * (vmax / speed)
            dt = follow_until_h - t
            chase_gap0 = None
        else:
            sol = solve_intercept(pos, x, v, vmax)
            if sol is not None and sol.time_h > 0.0:
                vel, dt = sol.pursuer_velocity_kn, sol.time_h
                chase_gap0 = None
            else:
                vel = (x - pos) / gap * vmax if gap > 0 else np.zeros(2)
                dt = cfg.chase_step_h
                if chase_gap0 is None:
                    chase_gap0 = gap
                elif gap > cfg.give_up_gap_factor * chase_gap0:
                    return "outran", ""
            if follow_until_h is not None:
                dt = min(dt, follow_until_h - t)
        rate = p.type.sprint_fuel_factor if float(np.hypot(*vel)) > p.type.cruise_speed_kn + 1e-9 else 1.0
        dt = min(dt, margin / (rate + vmax / p.type.cruise_speed_kn))
        if math.isfinite(vessel.leg_end_h):
            dt = min(dt, max(vessel.leg_end_h - t, 0.0))
        evade_at = None
        if evades and not vessel.evading and not alongside:
            s = float(time_to_close_within_h(x - pos, v - vel, cfg.evade_detect_range_nm))
            if math.isfinite(s) and s <= dt:
                dt, evade_at = s, t + s
        crossing = _first_entry(world, p, vessel, t, dt)
        if crossing is not None and crossing[0] <= _CROSSING_NOW_H:  # on the boundary now
            result = yield from _ask_entry(world, p, vessel, crossing[1], pursuit=True)
            if result is not None:
                return result
            continue
        if crossing is not None:
            dt = crossing[0]
        dt = max(dt, 0.0)
        p.move(vel, dt, "pursuit")
        changed = changed_event(world, vessel)
        yield env.timeout(dt) | changed
        if evade_at is not None and world.now_h >= evade_at - _EPS_H and vessel.active and not vessel.evading:
            _start_evasion(world, vessel, p)


def _start_evasion(world: World, vessel: Vessel, p: Platform) -> None:
    t = world.now_h
    code, _aim = refuge_for(world, vessel, p)
    r = float(np.hypot(*(vessel.position_at(t) - p.position_at(t))))
    world.emit(Evading(t, vessel.id, p.id, r, sprint_speed_kn(world, vessel), code))
    vessel.evading = True
    vessel.process.interrupt(Control("evade", p))


def _ask_entry(world: World, p: Platform, vessel: Vessel, where, *, pursuit: bool):
    """The target is in (or entering) ``where``: ask the law; wait outside for an answer if need be.
    Returns None to go on, or the ``(result, citation)`` that ends the pursuit."""
    law = world.law
    decision = law.entry(p, vessel, where, pursuit=pursuit)
    if decision.allowed:
        vessel.entry_granted[(p.id, where.coastal)] = decision
        return None
    world.command.handover(vessel, where.coastal, p)
    if decision.outcome == "denied":
        return "blocked", decision.citation
    res = law.answer(vessel, decision)
    p.stop_here("awaiting_authorization")
    ended = changed_event(world, vessel)
    deadline = world.now_h + res.after_h
    while vessel.active and world.now_h < deadline - _EPS_H:
        ended = changed_event(world, vessel)
        yield world.env.timeout(deadline - world.now_h) | ended
    if not vessel.active:
        return "blocked", decision.citation
    law.answered(vessel, "enter", decision, res)
    if not res.granted:
        return "blocked", res.citation
    vessel.entry_granted[(p.id, where.coastal)] = Decision("allowed", res.rule, res.citation, note=res.note)
    return None


def datum_search(world: World, p: Platform, vessel: Vessel, cause: str, *, datum=None,
                 sigma_nm: float | None = None):
    """Expanding square around the datum (given, or the dead-reckoned last shared contact); True
    if the shared picture (or the searcher's own sensors) hold the vessel again."""
    cfg = world.spec.command.pursuit
    env = world.env
    t0 = world.now_h
    if datum is None:
        last = world.last_shared_contact.get(vessel.id)
        if last is None:
            return False
        t_c, xy, vel = last
        datum = np.asarray(xy) + np.asarray(vel) * (t0 - t_c)
        sigma_nm = math.hypot(world.spec.picture.radar_sigma_nm, world.spec.picture.sigma_growth_kn * (t0 - t_c))
    reach = max((s.reach_nm(vessel.height_m) for s in p.sensors if not s.cooperative), default=1.0)
    spacing = max(2.0 * reach, 0.5)
    side = math.sqrt(float(search_area_nm2(max(sigma_nm or 0.0, spacing))))
    n = max(1, legs_to_cover(side, spacing))
    waypoints = expanding_square_waypoints(datum, spacing, n)
    world.emit(DatumSearch(t0, p.id, vessel.id, float(datum[0]), float(datum[1]), spacing, True, cause))
    found = False
    path = np.vstack([p.position_at(t0), waypoints])
    searching_since = None
    for i, (a, b) in enumerate(pairwise(path)):
        if i > 0 and searching_since is None:
            searching_since = world.now_h  # on the datum: the search time starts
        if (searching_since is not None and world.now_h - searching_since >= cfg.search_h
                or _fuel_margin_h(world, p, world.now_h) <= 0.0 or not vessel.active):
            break
        d = float(np.hypot(*(b - a)))
        if d < 1e-9:
            continue
        speed = p.type.max_speed_kn if i == 0 else p.type.cruise_speed_kn  # to the datum at speed, then search
        dt = d / speed if i == 0 else min(d / speed, cfg.search_h - (world.now_h - searching_since))
        p.move((b - a) / d * speed, dt, "datum_search")
        reacquired = world.reacquired_event(vessel)
        yield env.timeout(dt) | reacquired
        if world.pictures[SHARED].tracks.get(vessel.id) is not None or _held_by_own(world, p, vessel):
            found = True
            break
    p.stop_here()
    world.emit(DatumSearch(world.now_h, p.id, vessel.id, float(datum[0]), float(datum[1]), spacing, False, cause))
    return found
