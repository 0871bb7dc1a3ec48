"""What platforms do when command has not tasked them: patrol patterns, sorties and availability.

**Patrol cycle** (the scenario's ``patrol`` section):

- ``on_call``: stays at base, mission-capable with probability ``availability`` in each period of
  endurance plus turnaround; command launches it (after ``command.tasking.alert_launch_delay_h``).
- ``area_patrol``, ``random_search``, ``barrier``, ``parallel_sweep``: each hull in turn leaves
  base, goes to its patrol area, follows the pattern (:mod:`mda_sim.assets.patterns`) at cruise
  speed until it must head home to be back within its endurance, returns, and turns around at base
  for ``turnaround_h``. Ships route around land (:func:`mda_sim.geography.routing.sea_route`);
  aircraft fly straight.
- ``scheduled_sorties``: launches as a Poisson process at ``sorties_per_day`` for the group; each
  launch takes the first airframe at base, which flies one patrol as above.

**Availability** (the asset's long-run mission-capable fraction ``A``, an estimate in the scenario):
before each patrol or sortie the hull is mission-capable with probability ``A``; if not it is
unavailable (maintenance, crew rest) for one endurance-plus-turnaround period, so that about ``A``
of its cycles are flown.

**Tasking** interrupts a cycle: the hull prosecutes (:mod:`mda_sim.engine.prosecution`), comes
home, turns around, and the cycle goes on. A hull whose boat is launched heaves to (:class:`Hold`)
until the boat is back, then delivers what the boat seized or resumes its patrol.

Random numbers: the stream ``("patrol", platform)`` for each hull's pattern and availability, and
``("sorties", asset)`` for a group's launch clock (common random numbers across excursions).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import simpy

from mda_sim.assets.patterns import barrier_waypoints, parallel_sweep_waypoints, random_waypoints
from mda_sim.engine.platforms import SHIP_OFFING_NM, SHIP_RETURN_FACTOR, Platform

if TYPE_CHECKING:
    from mda_sim.engine.world import World
    from mda_sim.scenario.specs import Asset

__all__ = ["Hold", "leave_base", "patrol_on", "return_to_base", "start_patrols", "turnaround"]

#: Waypoints drawn per batch for random patterns.
_BATCH = 16


def start_patrols(world: World) -> list[Platform]:
    """Make the platforms of every asset group (and their embarked craft) and start their cycles."""
    platforms = []
    homes: dict[tuple[str, bool], np.ndarray] = {}
    for asset in world.spec.assets:
        aircraft = world.spec.asset_type(asset.type).is_aircraft
        if (asset.base, aircraft) not in homes:
            if aircraft:  # the airfield itself
                base = world.spec.base(asset.base)
                bx, by = world.geo.frame.to_xy(base.lon_deg, base.lat_deg)
                homes[asset.base, aircraft] = np.array([float(bx), float(by)])
            else:  # ships: the harbour exit
                homes[asset.base, aircraft] = world.harbour_exit_of(asset.base)
        hulls = [Platform(world, f"{asset.id}/{i + 1}", asset, homes[asset.base, aircraft])
                 for i in range(asset.count)]
        platforms.extend(hulls)
        for hull in hulls:
            hull.state("at_base")  # every hull appears in the log from the start (analyzers count them)
            for sensor in hull.sensors:
                world.detection.add_sensor(sensor)
            for craft in hull.type.embarked:
                ctype = world.spec.asset_type(craft.type)
                for k in range(craft.count):
                    suffix = f"/{k + 1}" if craft.count > 1 else ""
                    boat = Platform(world, f"{hull.id}/{craft.type}{suffix}", asset, hull.base_nm, atype=ctype,
                                    parent=hull, launch_delay_h=craft.launch_delay_h)
                    hull.boats.append(boat)
                    for sensor in boat.sensors:
                        world.detection.add_sensor(sensor)
        pattern = asset.patrol.pattern
        if pattern == "on_call":
            for hull in hulls:
                if hull.type.can_board:
                    hull.process = world.env.process(_on_call_cycle(world, hull))
            continue
        _check_patrol_area(world, asset, aircraft)
        if pattern == "scheduled_sorties":
            world.env.process(_sortie_clock(world, asset, hulls))
        else:
            for hull in hulls:
                hull.process = world.env.process(_patrol_cycle(world, hull))
    for hull in list(platforms):
        platforms.extend(hull.boats)
    return platforms


def _check_patrol_area(world: World, asset: Asset, aircraft: bool) -> None:
    """Fail at build time, not days into the run, if a ship's patrol area has no open water."""
    if aircraft:
        return
    area = world.region_xy(asset.patrol.region)
    geo = world.geo
    try:
        random_waypoints(area, 1, np.random.default_rng(0),
                         lambda x, y: float(geo.distance_to_coast_nm(x, y)) >= SHIP_OFFING_NM)
    except ValueError:
        raise ValueError(
            f"asset {asset.id!r}: patrol region {asset.patrol.region!r} has no water at least "
            f"{SHIP_OFFING_NM} nm off the coast for a ship to patrol"
        ) from None


def _with_orders(world: World, hull: Platform, period):
    """Run ``period()`` -- a generator function, one period of the hull's own cycle -- again and
    again; an order from command (a simpy Interrupt whose cause is the order) is prosecuted first,
    whatever the hull was doing."""
    order = None
    while True:
        try:
            if order is not None:
                current, order = order, None
                yield from _tasked(world, hull, current)
                continue
            yield from period()
        except simpy.Interrupt as intr:
            order = intr.cause


def _down(world: World, hull: Platform):
    """Unavailable (maintenance, crew rest) for one endurance-plus-turnaround period, then at base."""
    hull.mode = "down"
    hull.state("unavailable")
    yield world.env.timeout(hull.type.endurance_h + hull.type.turnaround_h)
    hull.mode = "base"
    hull.state("at_base")


def _patrol_cycle(world: World, hull: Platform):
    """A patrolling hull: after a random start within one turnaround (hulls do not all sail at
    once), each period it is down with probability ``1 - availability``, else it patrols and turns
    around."""
    rng = world._rng("patrol", hull.id)
    first = [True]

    def period():
        if first[0]:
            first[0] = False
            yield world.env.timeout(float(rng.uniform(0.0, hull.type.turnaround_h)))
        if rng.random() >= hull.asset.availability:
            yield from _down(world, hull)
            return
        yield from _patrol(world, hull, rng)
        yield from turnaround(world, hull)

    yield from _with_orders(world, hull, period)


def _on_call_cycle(world: World, hull: Platform):
    """A hull on call at base: mission-capable with probability ``availability`` for each period of
    endurance plus turnaround; command may launch it while it is ready."""
    rng = world._rng("patrol", hull.id)

    def period():
        if rng.random() >= hull.asset.availability:
            yield from _down(world, hull)
        else:
            yield world.env.timeout(hull.type.endurance_h + hull.type.turnaround_h)

    yield from _with_orders(world, hull, period)


def _tasked(world: World, hull: Platform, order):
    """Prosecute (then come home and turn around), whatever the hull was doing."""
    from mda_sim.engine.prosecution import prosecute  # prosecution uses patrols' turnaround

    yield from prosecute(world, hull, order)


def turnaround(world: World, hull: Platform):
    """Refuel and re-crew at base for ``turnaround_h``, then ready."""
    hull.mode = "turnaround"
    world.law.disembark(hull)
    yield world.env.timeout(hull.type.turnaround_h)
    hull.refuel()
    hull.mode = "base"
    hull.state("at_base")
    world.command.asset_free()


def _sortie_clock(world: World, asset: Asset, hulls: list[Platform]):
    clock = world.streams.get("sorties", asset.id)
    env = world.env
    busy: set[str] = set()
    mean_gap_h = 24.0 / asset.patrol.sorties_per_day
    while True:
        yield env.timeout(float(clock.exponential(mean_gap_h)))
        free = [h for h in hulls if h.id not in busy]
        if not free:
            continue  # every airframe is flying or turning around: the sortie is not flown
        hull = free[0]
        busy.add(hull.id)
        env.process(_one_sortie(world, hull, busy))


def _one_sortie(world: World, hull: Platform, busy: set[str]):
    rng = world._rng("patrol", hull.id)
    if rng.random() >= hull.asset.availability:
        yield from _down(world, hull)
    else:
        yield from _patrol(world, hull, rng)
        yield from turnaround(world, hull)
    busy.discard(hull.id)


def _waypoint_source(world: World, hull: Platform, rng: np.random.Generator):
    """An endless iterator of patrol waypoints in the hull's area, by pattern."""
    area = world.region_xy(hull.asset.patrol.region)
    pattern = hull.asset.patrol.pattern
    accept = None
    if not hull.type.is_aircraft:
        geo = world.geo

        def accept(x: float, y: float) -> bool:
            return float(geo.distance_to_coast_nm(x, y)) >= SHIP_OFFING_NM

    if pattern == "barrier":
        cycle = barrier_waypoints(area, 1)
    elif pattern == "parallel_sweep":
        reach = max((s.reach_nm(1.0) for s in hull.sensors if not s.cooperative), default=2.0)
        cycle = parallel_sweep_waypoints(area, max(2.0 * reach, 0.5))
    else:
        cycle = None
    if cycle is not None:
        if accept is not None:
            cycle = np.array([p for p in cycle if accept(*p)]) if any(accept(*p) for p in cycle) else None
        if cycle is not None and len(cycle):
            while True:
                yield from cycle
    while True:  # area patrol, random search (and a fixed pattern with no point at sea)
        yield from random_waypoints(area, _BATCH, rng, accept)


#: A ship that cannot route to this many waypoints in a row ends its patrol and heads home [-].
MAX_UNREACHABLE = 50
#: A ship on area patrol draws up to this many waypoints looking for one in line of sight [-].
SIGHT_TRIES = 6


def _in_sight(world: World, here: np.ndarray, waypoint: np.ndarray, source) -> np.ndarray:
    """The first of ``waypoint`` and the next draws that the ship can steer for in a straight line
    (patrol boats pick their next leg within sight rather than across an island); after
    :data:`SIGHT_TRIES` the last draw is kept and reached by a sea route."""
    geo = world.geo
    for _ in range(SIGHT_TRIES):
        if not bool(geo.segment_crosses_land(here[0], here[1], waypoint[0], waypoint[1])):
            return waypoint
        waypoint = next(source)
    return waypoint


def _patrol(world: World, hull: Platform, rng: np.random.Generator):
    """One patrol from base and back, within the endurance. Command may interrupt it: to take the
    hull itself (the interrupt propagates to the cycle), or to hold it while its boat is away."""
    leave_base(world, hull)
    yield from patrol_on(world, hull, rng, activity="transit")


def patrol_on(world: World, hull: Platform, rng: np.random.Generator, activity: str = "patrol"):
    """Patrol from where the hull is until endurance calls it home, then return to base."""
    atype = hull.type
    speed = atype.cruise_speed_kn
    factor = 1.0 if atype.is_aircraft else SHIP_RETURN_FACTOR
    source = _waypoint_source(world, hull, rng)
    failures = 0
    for waypoint in source:
        here = hull.position_nm
        if not atype.is_aircraft and hull.asset.patrol.pattern in ("area_patrol", "random_search"):
            waypoint = _in_sight(world, here, waypoint, source)
        try:
            path = world.route(here, waypoint) if not atype.is_aircraft else np.vstack([here, waypoint])
        except ValueError:  # no sea route to it (a pocket of water the router cannot enter): skip it
            failures += 1
            if failures > MAX_UNREACHABLE:
                break
            continue
        failures = 0
        out_h = float(np.sum(np.hypot(*np.diff(path, axis=0).T))) / speed
        home_h = factor * float(np.hypot(*(hull.base_nm - waypoint))) / speed
        if out_h + home_h > hull.fuel_left_h():
            break
        hull.mode = "patrol"
        custody = None
        for p, q in pairwise(path):
            try:
                yield from hull.leg(p, q, speed, activity)
            except simpy.Interrupt as intr:
                if not isinstance(intr.cause, Hold):
                    raise
                custody = yield from _hold(world, hull, intr.cause)
                break
        activity = "patrol"
        if custody is not None:
            from mda_sim.engine.prosecution import deliver

            yield from deliver(world, hull, custody)
            break
    yield from return_to_base(world, hull)


class Hold:
    """Command's order to a hull: heave to while its boat prosecutes; ``done`` fires when the boat
    is back aboard, with the custody it brings (a seized vessel to deliver) or None."""

    def __init__(self, world: World) -> None:
        self.done = world.env.event()


def _hold(world: World, hull: Platform, hold: Hold):
    hull.mode = "holding"
    hull.stop_here("hove_to")
    custody = yield hold.done
    hull.mode = "patrol"
    return custody


def leave_base(world: World, hull: Platform) -> None:
    hull.ashore = False
    hull.refuel()
    hull.state("sortie")
    hull.sensors_up(True)
    world.law.embark(hull)


def return_to_base(world: World, hull: Platform):
    hull.mode = "returning"
    path = hull.path(hull.position_at(world.now_h), hull.base_nm)
    for p, q in pairwise(path):
        yield from hull.leg(p, q, hull.type.cruise_speed_kn, "return")
    hull.at_base()
    hull.state("returned")
