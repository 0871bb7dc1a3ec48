"""Patrol platforms: cutters, boats and aircraft on patrol, carrying moving sensors.

Each asset group of the scenario (``count`` identical hulls or airframes at one base) becomes
``count`` :class:`Platform` objects with ids ``<asset>/<n>``. A platform carries one live sensor per
sensor mounted on its type (radar, EO/IR, visual lookout, AIS receiver; aircraft antennas at the
patrol altitude). Its sensors are up while it is away from base and down at base; every leg it
starts moves them and makes the detection scheduler reschedule only their pairs.

**Patrol cycle** (what the scenario's ``patrol`` section asks for when the asset is not tasked):

- ``on_call``: stays at base (tasking arrives with command and control, issue 4).
- ``area_patrol``, ``random_search``, ``barrier``, ``parallel_sweep``: each hull in turn leaves
  base, goes to its patrol area, follows the pattern (:mod:`mda_sim.assets.patterns`) at cruise
  speed until it must head home to be back within its endurance, returns, and turns around at base
  for ``turnaround_h``. Ships route around land (:func:`mda_sim.geography.routing.sea_route`);
  aircraft fly straight.
- ``scheduled_sorties``: launches as a Poisson process at ``sorties_per_day`` for the group; each
  launch takes the first hull at base, which flies one patrol as above.

**Availability** (the asset's long-run mission-capable fraction ``A``, an estimate in the scenario):
before each patrol or sortie the hull is mission-capable with probability ``A``; if not it is
unavailable (maintenance, crew rest) for one endurance-plus-turnaround period, so that about ``A``
of its cycles are flown. Endurance is counted in hours at cruise speed; fuel burn at sprint speed
arrives with pursuit (issue 4).

Random numbers: the stream ``("patrol", platform)`` for each hull's pattern and availability, and
``("sorties", asset)`` for a group's launch clock (common random numbers across excursions).
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import shapely

from mda_sim.assets.patterns import barrier_waypoints, parallel_sweep_waypoints, random_waypoints
from mda_sim.engine.sensors import LiveSensor
from mda_sim.eventlog.records import AssetLegStarted, AssetState

if TYPE_CHECKING:
    from mda_sim.engine.world import World
    from mda_sim.scenario.specs import Asset

__all__ = ["Platform", "start_patrols"]

#: Ships keep patrol waypoints and harbour exits at least this far from the coast [nm], so that sea
#: routes between them exist (the router keeps 0.5 nm off land).
SHIP_OFFING_NM = 1.0
#: Ships' return legs around land are longer than the straight line: plan for this factor [-]
#: (estimate; routes in the area run 1.0–1.3 x the straight line).
SHIP_RETURN_FACTOR = 1.3
#: Waypoints drawn per batch for random patterns.
_BATCH = 16


class Platform:
    """One hull or airframe on the move, with the sensors it carries."""

    def __init__(self, world: World, platform_id: str, asset: Asset, base_nm: np.ndarray) -> None:
        self.world = world
        self.id = platform_id
        self.asset = asset
        self.type = world.spec.asset_type(asset.type)
        self.base_nm = np.asarray(base_nm, dtype=float).copy()
        self.position_nm = self.base_nm.copy()
        self.sensors: list[LiveSensor] = []
        altitude_m = self.type.patrol_altitude_m
        for mounted in self.type.sensors:
            stype = world.spec.sensor_type(mounted.type)
            height_m = mounted.antenna_height_m if mounted.antenna_height_m is not None else altitude_m
            sensor = LiveSensor(world, f"{platform_id}/{mounted.type}", asset.partner, stype, float(height_m),
                                self.base_nm, fixed=False)
            sensor.up = False
            self.sensors.append(sensor)

    # -- state ------------------------------------------------------------------------------------
    def state(self, state: str) -> None:
        self.world.emit(AssetState(self.world.now_h, self.id, state))

    def sensors_up(self, up: bool) -> None:
        """Switch the carried sensors on (leaving base) or off (back at base)."""
        t = self.world.now_h
        for sensor in self.sensors:
            sensor.up = up
            if not up:
                sensor.set_leg(t, self.position_nm, np.zeros(2), math.inf)
        self.world.detection.sensors_changed(self.sensors)

    def leg(self, p_nm: np.ndarray, q_nm: np.ndarray, speed_kn: float, activity: str):
        """Move from ``p`` to ``q`` at ``speed_kn`` (a simpy sub-process: ``yield from``)."""
        dist_nm = float(np.hypot(*(q_nm - p_nm)))
        if dist_nm < 1e-9:
            return
        t = self.world.now_h
        duration_h = dist_nm / speed_kn
        velocity = (q_nm - p_nm) / duration_h
        self.world.emit(AssetLegStarted(t, self.id, activity, float(p_nm[0]), float(p_nm[1]),
                                        float(velocity[0]), float(velocity[1])))
        for sensor in self.sensors:
            sensor.set_leg(t, p_nm, velocity, t + duration_h)
        self.world.detection.sensors_changed(self.sensors)
        yield self.world.env.timeout(duration_h)
        self.position_nm = np.asarray(q_nm, dtype=float)

    def path(self, p_nm: np.ndarray, q_nm: np.ndarray) -> np.ndarray:
        """Waypoints from ``p`` to ``q``: straight for aircraft, a sea route for ships."""
        if self.type.is_aircraft:
            return np.vstack([p_nm, q_nm])
        return self.world.route(p_nm, q_nm)


def _offing(world: World, xy_nm: np.ndarray) -> np.ndarray:
    """A point at sea at least :data:`SHIP_OFFING_NM` off the coast near ``xy_nm`` (a harbour's
    exit for a base given by its quay or town)."""
    geo = world.geo
    if float(geo.distance_to_coast_nm(*xy_nm)) >= SHIP_OFFING_NM:
        return xy_nm
    site = shapely.Point(*xy_nm)
    ring = site.buffer(SHIP_OFFING_NM + 20.0, quad_segs=8)
    near_land = geo.land_nm.intersection(ring.buffer(SHIP_OFFING_NM + 1.0))  # clip first: buffering all land is slow
    sea = ring.difference(near_land.buffer(SHIP_OFFING_NM, quad_segs=2))
    if sea.is_empty:
        raise ValueError(f"no sea within 20 nm of the base at {xy_nm.tolist()} nm")
    line = shapely.shortest_line(site, sea)
    # Step a little into the open water so the point is strictly outside the buffered land.
    q = np.asarray(line.coords[-1], dtype=float)
    d = q - xy_nm
    norm = float(np.hypot(*d))
    return q + (0.05 * d / norm if norm > 0 else 0.0)


def start_patrols(world: World) -> list[Platform]:
    """Make the platforms of every asset group and start their patrol processes."""
    platforms = []
    homes: dict[tuple[str, bool], np.ndarray] = {}
    for asset in world.spec.assets:
        aircraft = world.spec.asset_type(asset.type).is_aircraft
        if (asset.base, aircraft) not in homes:
            base = world.spec.base(asset.base)
            bx, by = world.geo.frame.to_xy(base.lon_deg, base.lat_deg)
            xy = np.array([float(bx), float(by)])
            homes[asset.base, aircraft] = xy if aircraft else _offing(world, xy)  # ships: the harbour exit
        hulls = [Platform(world, f"{asset.id}/{i + 1}", asset, homes[asset.base, aircraft])
                 for i in range(asset.count)]
        platforms.extend(hulls)
        for hull in hulls:
            for sensor in hull.sensors:
                world.detection.add_sensor(sensor)
        pattern = asset.patrol.pattern
        if pattern == "on_call":
            continue
        _check_patrol_area(world, asset, aircraft)
        if pattern == "scheduled_sorties":
            world.env.process(_sortie_clock(world, asset, hulls))
        else:
            for hull in hulls:
                world.env.process(_patrol_cycle(world, hull))
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


def _patrol_cycle(world: World, hull: Platform):
    rng = world._rng("patrol", hull.id)
    env = world.env
    atype = hull.type
    yield env.timeout(float(rng.uniform(0.0, atype.turnaround_h)))  # hulls do not all sail at once
    while True:
        if rng.random() >= hull.asset.availability:
            hull.state("unavailable")
            yield env.timeout(atype.endurance_h + atype.turnaround_h)
            hull.state("at_base")
            continue
        yield from _patrol(world, hull, rng)
        yield env.timeout(atype.turnaround_h)
        hull.state("at_base")


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
    atype = hull.type
    if rng.random() >= hull.asset.availability:
        hull.state("unavailable")
        yield world.env.timeout(atype.endurance_h + atype.turnaround_h)
    else:
        yield from _patrol(world, hull, rng)
        yield world.env.timeout(atype.turnaround_h)
    hull.state("at_base")
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
    """One patrol from base and back, within the endurance."""
    atype = hull.type
    speed = atype.cruise_speed_kn
    t_back_by = world.now_h + atype.endurance_h
    factor = 1.0 if atype.is_aircraft else SHIP_RETURN_FACTOR
    hull.state("sortie")
    hull.sensors_up(True)
    activity = "transit"
    source = _waypoint_source(world, hull, rng)
    failures = 0
    for waypoint in source:
        here = hull.position_nm
        if not atype.is_aircraft and hull.asset.patrol.pattern in ("area_patrol", "random_search"):
            waypoint = _in_sight(world, here, waypoint, source)
        try:
            path = hull.path(here, waypoint)
        except ValueError:  # no sea route to it (a pocket of water the router cannot enter): skip it
            failures += 1
            if failures > MAX_UNREACHABLE:
                break
            continue
        failures = 0
        out_h = float(np.sum(np.hypot(*np.diff(path, axis=0).T))) / speed
        home_h = factor * float(np.hypot(*(hull.base_nm - waypoint))) / speed
        if world.now_h + out_h + home_h > t_back_by:
            break
        for p, q in pairwise(path):
            yield from hull.leg(p, q, speed, activity)
        activity = "patrol"
    path = hull.path(hull.position_nm, hull.base_nm)
    for p, q in pairwise(path):
        yield from hull.leg(p, q, speed, "return")
    hull.sensors_up(False)
    hull.state("returned")
