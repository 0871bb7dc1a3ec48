"""Traffic generators: departures of illicit and lawful voyages, and the voyage processes.

Randomness follows common random numbers (DESIGN.md §3): the departure clock of a flow draws from
the stream ``("departures", flow)``; everything about the n-th voyage of a flow (start and end
points, speed, flag, cargo, night timing) from ``("voyage", flow, n)``. Adding an asset or a sensor to
a scenario therefore leaves every voyage exactly as it was.

**Night preference** (reference §4.3: "weight departures so that most of the transit falls between
dusk and dawn", an estimate): with probability ``night_preference`` a voyage's departure is moved to
the first time at or after its drawn departure at which the middle of the planned transit falls on
local solar midnight at the route's midpoint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mda_sim.engine.sampling import draw
from mda_sim.engine.vessels import Vessel
from mda_sim.eventlog.records import Arrived, LegStarted, VesselDeparted
from mda_sim.scenario.specs.traffic import IllicitFlow, PoissonDepartures

if TYPE_CHECKING:
    from mda_sim.engine.world import World

__all__ = ["start_traffic"]

#: Attempts to find a sea point inside a region before giving up with a clear error.
_MAX_POINT_TRIES = 500


def start_traffic(world: World) -> None:
    """Start one departures process per flow of the scenario."""
    for flow in (*world.spec.traffic.illicit, *world.spec.traffic.legitimate):
        world.env.process(_departures(world, flow))


def _departure_times(world: World, flow):
    """Departure times [h] of a flow within the run, in order."""
    d = flow.departures
    if isinstance(d, PoissonDepartures):
        rng = world.streams.get("departures", flow.id)
        rate_per_h = d.rate_per_day / 24.0
        t = 0.0
        while True:
            t += float(rng.exponential(1.0 / rate_per_h))
            if t >= world.duration_h:
                return
            yield t
    else:
        yield from (t for t in sorted(d.times_h) if t < world.duration_h)


def _departures(world: World, flow):
    env = world.env
    for n, t in enumerate(_departure_times(world, flow)):
        if t > env.now:
            yield env.timeout(t - env.now)
        rng = world.streams.get("voyage", flow.id, str(n))
        plan = _plan_voyage(world, flow, n, rng)
        if plan is None:
            continue
        start_h, vessel, waypoints, speed_kn, extras = plan
        env.process(_voyage(world, vessel, start_h, waypoints, speed_kn, extras))


def _sea_point(world: World, region_id: str, rng: np.random.Generator) -> np.ndarray:
    poly = world.region_xy(region_id)
    x0, y0, x1, y1 = poly.bounds
    for _ in range(_MAX_POINT_TRIES):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if world.region_contains(region_id, x, y) and not bool(world.geo.is_land(x, y)):
            return np.array([x, y])
    raise ValueError(f"region {region_id!r}: no sea point found in {_MAX_POINT_TRIES} tries; is it all land?")


def _plan_voyage(world: World, flow, n: int, rng: np.random.Generator):
    spec = world.spec
    vtype = spec.vessel_type(flow.vessel_type)
    illicit = isinstance(flow, IllicitFlow)
    start = _sea_point(world, flow.origin, rng)
    end = _sea_point(world, flow.destination, rng)
    speed_kn = draw(flow.speed_kn, rng) if flow.speed_kn is not None else vtype.cruise_speed_kn
    speed_kn = float(min(max(speed_kn, 1.0), vtype.max_speed_kn))
    flags = sorted(flow.flag)
    weights = np.array([flow.flag[f] for f in flags], dtype=float)
    flag = flags[int(rng.choice(len(flags), p=weights / weights.sum()))]
    cargo = flow.cargo.kind if illicit else ""
    waypoints = world.route(start, end)
    length_nm = float(np.sum(np.hypot(*np.diff(waypoints, axis=0).T)))
    start_h = world.now_h
    night = illicit and rng.random() < flow.night_preference
    if night:
        transit_h = length_nm / speed_kn
        mid = 0.5 * (waypoints[0] + waypoints[-1])
        lon, lat = world.geo.frame.to_lonlat(*mid)
        centre = world.daylight.night_centre_h(start_h + 0.5 * transit_h, float(lon), float(lat))
        start_h = max(start_h, centre - 0.5 * transit_h)
    if start_h >= world.duration_h:
        return None
    if illicit:
        ais_on = flow.ais == "on" or (flow.ais == "switch_off" and vtype.ais_class != "none")
    else:
        ais_on = flow.ais == "on" and vtype.ais_class != "none"
    vessel = Vessel(f"{flow.id}#{n}", flow.id, vtype, illicit=illicit, ais_on=ais_on)
    extras = {"flag": flag, "cargo": cargo, "loiter_h": draw(flow.loiter_h, rng) if flow.loiter_h else 0.0}
    return start_h, vessel, waypoints, speed_kn, extras


def _voyage(world: World, vessel: Vessel, start_h: float, waypoints: np.ndarray, speed_kn: float, extras):
    env = world.env
    if start_h > env.now:
        yield env.timeout(start_h - env.now)
    x, y = waypoints[0]
    world.add_vessel(vessel)
    world.emit(VesselDeparted(world.now_h, vessel.id, vessel.flow, vessel.type.id, vessel.illicit,
                              extras["cargo"], extras["flag"], float(x), float(y), vessel.ais_on))
    legs = [(waypoints[i], waypoints[i + 1]) for i in range(len(waypoints) - 1)]
    for p, q in legs:
        dist_nm = float(np.hypot(*(q - p)))
        if dist_nm < 1e-9:
            continue
        duration_h = dist_nm / speed_kn
        velocity = (q - p) / duration_h
        yield from _leg(world, vessel, p, velocity, duration_h, "transit")
    if extras["loiter_h"] > 0.0:
        yield from _leg(world, vessel, waypoints[-1], np.zeros(2), extras["loiter_h"], "loiter")
    end = vessel.position_at(world.now_h)
    world.emit(Arrived(world.now_h, vessel.id, float(end[0]), float(end[1])))
    world.remove_vessel(vessel)


def _leg(world: World, vessel: Vessel, position, velocity, duration_h: float, behaviour: str):
    t = world.now_h
    vessel.start_leg(t, position, velocity, t + duration_h)
    world.emit(LegStarted(t, vessel.id, vessel.leg, behaviour, float(position[0]), float(position[1]),
                          float(velocity[0]), float(velocity[1])))
    world.vessel_moved(vessel)
    yield world.env.timeout(duration_h)
