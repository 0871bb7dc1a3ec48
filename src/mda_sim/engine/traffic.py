"""Traffic generators: departures of illicit and lawful voyages, and the voyage processes.

Randomness follows common random numbers (DESIGN.md §3): the departure clock of a flow draws from
the stream ``("departures", flow)``; everything about the n-th voyage of a flow (start and end
points, speed, flag, cargo, night timing, rendezvous) from ``("voyage", flow, n)``. Adding an asset
or a sensor to a scenario therefore leaves every voyage exactly as it was.

**Lanes.** Voyages of a flow share a lane: the turning points of the sea route found for the first
of them that had to go round land (:func:`mda_sim.geography.routing.sea_route`). A later voyage
joins the lane from its own start and leaves it for its own end when both joins are clear of land,
goes straight when it can, and otherwise gets a route of its own. This is how traffic between two
areas behaves (it follows the same passages) and it spares a shortest-path search per voyage; a
voyage may be a little longer than its own shortest route.

A voyage is planned in full when it departs (:class:`VoyagePlan`: a list of steps — constant-
velocity legs, AIS switches, a rendezvous) and then played out by one simpy process per vessel.

**Night preference** (reference §4.3: "weight departures so that most of the transit falls between
dusk and dawn", an estimate): with probability ``night_preference`` a voyage's departure is moved to
the first time at or after its drawn departure at which the middle of the planned run (for a
rendezvous flow: the loaded run from the mother ship to the coast) falls on local solar midnight.

**AIS.** A vessel transmits only if its type has a transponder (``ais_class`` not ``none``) and its
flow says so: lawful flows ``on``/``off``; illicit flows ``on`` (cover as lawful trade), ``off``
(dark), or ``switch_off``: on until the vessel is within ``ais_off_range_nm`` of its destination
point (straight-line distance, the way a skipper judges "50 miles out"), then off for good.

**Rendezvous** (reference §4: mother ships wait > 50 mi offshore [S17], coopering >= 40 mi from
shore [S53]): the mother ship enters the operating area at the box edge nearest the rendezvous
point, sails to it and waits; the go-fast leaves its origin so as to arrive no earlier than the
mother ship, both lie alongside for ``transfer_h`` (the ``rendezvous`` record marks the load
changing hands), then the go-fast runs to its destination and the mother ship leaves by the way it
came. Both are illicit voyages of the flow (ids ``<flow>#<n>`` and ``<flow>#<n>/mother``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from mda_sim.engine.sampling import draw
from mda_sim.engine.vessels import Vessel
from mda_sim.engine.voyages import play_voyage
from mda_sim.scenario.specs.traffic import IllicitFlow, PoissonDepartures
from mda_sim.sensing.coverage import time_in_range

if TYPE_CHECKING:
    from mda_sim.engine.world import World

__all__ = ["VoyagePlan", "start_traffic"]

#: Attempts to find a sea point inside a region before giving up with a clear error.
_MAX_POINT_TRIES = 500


@dataclass
class VoyagePlan:
    """Everything a voyage will do, fixed at departure.

    ``steps`` are ``("leg", position_nm, velocity_kn, duration_h, behaviour)``,
    ``("ais", on)`` or ``("rendezvous", mother_vessel_id)``.
    """

    vessel: Vessel
    start_h: float
    flag: str
    cargo: str
    steps: list[tuple] = field(default_factory=list)

    def add_route(self, waypoints: np.ndarray, speed_kn: float, behaviour: str) -> None:
        for p, q in pairwise(waypoints):
            dist_nm = float(np.hypot(*(q - p)))
            if dist_nm < 1e-9:
                continue
            duration_h = dist_nm / speed_kn
            self.steps.append(("leg", p, (q - p) / duration_h, duration_h, behaviour))

    def add_wait(self, position_nm: np.ndarray, duration_h: float, behaviour: str) -> None:
        if duration_h > 0.0:
            self.steps.append(("leg", np.asarray(position_nm, float), np.zeros(2), duration_h, behaviour))

    @property
    def duration_h(self) -> float:
        return sum(s[3] for s in self.steps if s[0] == "leg")


def start_traffic(world: World) -> None:
    """Start one departures process per flow of the scenario."""
    for flow in (*world.spec.traffic.illicit, *world.spec.traffic.legitimate):
        world.env.process(_departures(world, flow))


def _departure_times(world: World, flow):
    """Departure times [h] of a flow within the run, in order."""
    d = flow.departures
    if isinstance(d, PoissonDepartures):
        rng = world.streams.get("departures", flow.id)
        rate_per_h = d.rate_per_day * world.spec.traffic.rate_scale / 24.0
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
        for plan in _plan_voyages(world, flow, n, rng):
            if plan.start_h < world.duration_h:
                _load(world, flow, n, plan)
                env.process(play_voyage(world, plan))


def _load(world: World, flow, n: int, plan: VoyagePlan) -> None:
    """Cargo aboard an illicit voyage, drawn from its own stream ``("cargo", flow, n)`` (so adding
    cargo draws changed no other random number). A mother ship's load is counted on the go-fast
    it meets (the transfer at the rendezvous), so the mother carries none in the accounting."""
    vessel = plan.vessel
    vessel.transit_speed_kn = next((float(np.hypot(*s[2])) for s in plan.steps if s[0] == "leg"
                                    and np.hypot(*s[2]) > 0), vessel.type.cruise_speed_kn)
    if not isinstance(flow, IllicitFlow) or vessel.id.endswith("/mother"):
        return
    rng = world.streams.get("cargo", flow.id, str(n))
    if flow.cargo.kg is not None:
        vessel.cargo_kg = max(0.0, draw(flow.cargo.kg, rng))
    if flow.cargo.persons is not None:
        vessel.persons = round(max(0.0, draw(flow.cargo.persons, rng)))


def sea_point(world: World, region_id: str, rng: np.random.Generator) -> np.ndarray:
    poly = world.region_xy(region_id)
    x0, y0, x1, y1 = poly.bounds
    for _ in range(_MAX_POINT_TRIES):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if world.region_contains(region_id, x, y) and not bool(world.geo.is_land(x, y)):
            return np.array([x, y])
    raise ValueError(f"region {region_id!r}: no sea point found in {_MAX_POINT_TRIES} tries; is it all land?")


def _transmits(flow, vtype) -> bool:
    """Whether the vessel starts with its AIS on (see the module notes)."""
    return flow.ais in ("on", "switch_off") and vtype.ais_class != "none"


def _length_nm(waypoints: np.ndarray) -> float:
    return float(np.sum(np.hypot(*np.diff(waypoints, axis=0).T)))


def _night_start(world: World, earliest_h: float, run: np.ndarray, run_h: float, lead_h: float) -> float:
    """The first start at or after ``earliest_h`` [h] that puts the middle of ``run`` (which begins
    ``lead_h`` after the start and lasts ``run_h``) on local solar midnight at its midpoint."""
    mid = 0.5 * (run[0] + run[-1])
    lon, lat = world.geo.frame.to_lonlat(*mid)
    centre = world.daylight.night_centre_h(earliest_h + lead_h + 0.5 * run_h, float(lon), float(lat))
    return max(earliest_h, centre - lead_h - 0.5 * run_h)


def _plan_voyages(world: World, flow, n: int, rng: np.random.Generator) -> list[VoyagePlan]:
    spec = world.spec
    vtype = spec.vessel_type(flow.vessel_type)
    illicit = isinstance(flow, IllicitFlow)
    start = sea_point(world, flow.origin, rng)
    end = sea_point(world, flow.destination, rng)
    speed_kn = draw(flow.speed_kn, rng) if flow.speed_kn is not None else vtype.cruise_speed_kn
    speed_kn = float(min(max(speed_kn, 1.0), vtype.max_speed_kn))
    flags = sorted(flow.flag)
    weights = np.array([flow.flag[f] for f in flags], dtype=float)
    flag = flags[int(rng.choice(len(flags), p=weights / weights.sum()))]
    cargo = flow.cargo.kind if illicit else ""
    loiter_h = draw(flow.loiter_h, rng) if flow.loiter_h else 0.0
    night = illicit and rng.random() < flow.night_preference
    vessel = Vessel(f"{flow.id}#{n}", flow.id, vtype, illicit=illicit, ais_on=_transmits(flow, vtype))
    now = world.now_h
    if illicit and flow.behaviour == "rendezvous":
        return _plan_rendezvous(world, flow, vessel, start, end, speed_kn, flag, cargo, night, rng)
    waypoints = _lane_route(world, flow.id, start, end)
    start_h = now
    if night:
        start_h = _night_start(world, now, waypoints, _length_nm(waypoints) / speed_kn, 0.0)
    plan = VoyagePlan(vessel, start_h, flag, cargo)
    plan.add_route(waypoints, speed_kn, "transit")
    plan.add_wait(waypoints[-1], loiter_h, "loiter")
    if illicit and flow.ais == "switch_off" and vessel.ais_on:
        _insert_switch_off(plan, waypoints[-1], flow.ais_off_range_nm)
    return [plan]


def _lane_route(world: World, lane: str, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The route of a voyage along its flow's lane (see the module notes on lanes)."""
    geo = world.geo
    if not bool(geo.segment_crosses_land(start[0], start[1], end[0], end[1])):
        return np.vstack([start, end])
    core = world.lanes.get(lane)
    if core is not None:
        first, last = core[0], core[-1]
        if not (bool(geo.segment_crosses_land(start[0], start[1], first[0], first[1]))
                or bool(geo.segment_crosses_land(last[0], last[1], end[0], end[1]))):
            return np.vstack([start, core, end])
    route = world.route(start, end)
    if core is None and len(route) > 2:
        world.lanes[lane] = route[1:-1]
    return route


def _insert_switch_off(plan: VoyagePlan, destination_nm: np.ndarray, range_nm: float) -> None:
    """Split the first leg that comes within ``range_nm`` of the destination and switch AIS off there."""
    for i, step in enumerate(plan.steps):
        if step[0] != "leg":
            continue
        _, p, v, duration_h, behaviour = step
        enter, _ = time_in_range(p - destination_nm, v, range_nm, duration_h)
        enter = float(enter)
        if np.isnan(enter):
            continue
        if enter <= 1e-9:
            if i == 0:
                plan.vessel.ais_on = False  # starts inside the range: dark from the start
                return
            plan.steps.insert(i, ("ais", False))
            return
        first = ("leg", p, v, enter, behaviour)
        rest = ("leg", p + v * enter, v, duration_h - enter, behaviour)
        plan.steps[i:i + 1] = [first, ("ais", False), rest]
        return


def _entry_point(world: World, target_nm: np.ndarray) -> np.ndarray:
    """Where a ship from outside enters the operating area to reach ``target_nm``: the nearest point
    of the area's edge that is at sea (edges tried nearest first)."""
    area = world.spec.area
    lon, lat = (float(v) for v in world.geo.frame.to_lonlat(*target_nm))
    coslat = float(np.cos(np.radians(lat)))
    edges = [
        ((lon - area.lon_min_deg) * coslat, (area.lon_min_deg, lat)),
        ((area.lon_max_deg - lon) * coslat, (area.lon_max_deg, lat)),
        (lat - area.lat_min_deg, (lon, area.lat_min_deg)),
        (area.lat_max_deg - lat, (lon, area.lat_max_deg)),
    ]
    for _, (elon, elat) in sorted(edges):
        x, y = world.geo.frame.to_xy(elon, elat)
        if not bool(world.geo.is_land(float(x), float(y))):
            return np.array([float(x), float(y)])
    return np.asarray(target_nm, float)  # boxed in by land on every side: already on station


def _plan_rendezvous(world, flow, vessel, start, end, speed_kn, flag, cargo, night, rng) -> list[VoyagePlan]:
    rdv_spec = flow.rendezvous
    mtype = world.spec.vessel_type(rdv_spec.mother_ship_type)
    meet = sea_point(world, rdv_spec.region, rng)
    transfer_h = max(0.0, draw(rdv_spec.transfer_h, rng))
    out_route = _lane_route(world, f"{flow.id}/out", start, meet)
    run_route = _lane_route(world, f"{flow.id}/run", meet, end)
    entry = _entry_point(world, meet)
    mother_route = world.route(entry, meet) if np.hypot(*(entry - meet)) > 1e-6 else np.vstack([meet, meet])
    mother_speed_kn = mtype.cruise_speed_kn
    now = world.now_h
    out_h = _length_nm(out_route) / speed_kn
    run_h = _length_nm(run_route) / speed_kn
    mother_arrives_h = now + _length_nm(mother_route) / mother_speed_kn
    start_h = max(now, mother_arrives_h - out_h)
    if night:
        start_h = _night_start(world, start_h, run_route, run_h, out_h + transfer_h)
    meet_h = start_h + out_h

    mother = Vessel(f"{vessel.id}/mother", flow.id, mtype, illicit=True, ais_on=_transmits(flow, mtype))
    mplan = VoyagePlan(mother, now, flag, cargo)
    mplan.add_route(mother_route, mother_speed_kn, "transit")
    mplan.add_wait(meet, meet_h - mother_arrives_h, "wait")
    mplan.add_wait(meet, transfer_h, "transfer")
    mplan.add_route(mother_route[::-1], mother_speed_kn, "transit")

    plan = VoyagePlan(vessel, start_h, flag, cargo)
    plan.add_route(out_route, speed_kn, "transit")
    plan.add_wait(meet, transfer_h, "transfer")
    plan.steps.append(("rendezvous", mother.id))
    plan.add_route(run_route, speed_kn, "transit")
    if flow.ais == "switch_off" and vessel.ais_on:
        _insert_switch_off(plan, run_route[-1], flow.ais_off_range_nm)
    return [mplan, plan]
