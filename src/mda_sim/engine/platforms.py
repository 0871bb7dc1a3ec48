"""Patrol platforms: cutters, boats and aircraft, the sensors they carry, and their endurance.

Each asset group of the scenario (``count`` identical hulls or airframes at one base) becomes
``count`` :class:`Platform` objects with ids ``<asset>/<n>``; each boat or helicopter a hull type
carries (``embarked``) becomes a child platform ``<asset>/<n>/<craft type>`` that stays stowed until
command launches it. A platform carries one live sensor per sensor mounted on its type (radar,
EO/IR, visual lookout, AIS receiver; aircraft antennas at the patrol altitude). Its sensors are up
while it is away from base and down at base.

**Endurance** is counted in cruise-equivalent hours (catalog ``endurance_h``): an hour under way at
or below cruise speed, or waiting on scene, uses one hour; an hour above cruise speed uses
``sprint_fuel_factor`` hours (an estimate unless sourced). It is full when the platform leaves base.

What platforms do when not tasked (patrol patterns, availability) is in
:mod:`mda_sim.engine.patrols`; what they do when tasked, in :mod:`mda_sim.engine.prosecution`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import shapely

from mda_sim.engine.sensors import LiveSensor
from mda_sim.eventlog.records import AssetLegStarted, AssetState

if TYPE_CHECKING:
    from mda_sim.engine.world import World
    from mda_sim.scenario.specs import Asset
    from mda_sim.scenario.specs.catalog import AssetType

__all__ = ["Platform", "harbour_exit"]

#: Ships keep patrol waypoints and harbour exits at least this far from the coast [nm], so that sea
#: routes between them exist (the router keeps 0.5 nm off land).
SHIP_OFFING_NM = 1.0
#: Ships' return legs around land are longer than the straight line: plan for this factor [-]
#: (estimate; routes in the area run 1.0–1.3 x the straight line).
SHIP_RETURN_FACTOR = 1.3


class Platform:
    """One hull, airframe or embarked craft on the move, with the sensors it carries.

    Attributes
    ----------
    mode : str
        ``base`` (ready at base), ``turnaround`` (refuelling at base), ``down`` (unavailable),
        ``patrol``, ``returning``, ``tasked`` (prosecuting a suspect), ``holding`` (hove to while
        its boat is away), ``stowed`` (an embarked craft aboard its hull).
    shipriders : dict
        State -> shiprider pool id, for the officers embarked now.
    """

    def __init__(self, world: World, platform_id: str, asset: Asset, base_nm: np.ndarray, *,
                 atype: AssetType | None = None, parent: Platform | None = None,
                 launch_delay_h: float = 0.0) -> None:
        self.world = world
        self.id = platform_id
        self.asset = asset
        self.type = atype if atype is not None else world.spec.asset_type(asset.type)
        self.parent = parent
        self.launch_delay_h = float(launch_delay_h)
        self.base_nm = np.asarray(base_nm, dtype=float).copy()
        self.position_nm = self.base_nm.copy()
        self.mode = "stowed" if parent is not None else "base"
        #: At its base (sensors off); cleared when it sails.
        self.ashore = parent is None
        self.process = None
        self.task = None
        self.shipriders: dict[str, str] = {}
        self.boats: list[Platform] = []
        self._leg_t0_h = 0.0
        self._leg_p0 = self.base_nm.copy()
        self._leg_v = np.zeros(2)
        self._fuel_used0_h = 0.0
        self._fuel_rate = 0.0
        self.sensors: list[LiveSensor] = []
        altitude_m = self.type.patrol_altitude_m
        for mounted in self.type.sensors:
            stype = world.spec.sensor_type(mounted.type)
            height_m = mounted.antenna_height_m if mounted.antenna_height_m is not None else altitude_m
            sensor = LiveSensor(world, f"{platform_id}/{mounted.type}", asset.partner, stype, float(height_m),
                                self.base_nm, fixed=False)
            sensor.up = False
            self.sensors.append(sensor)

    # -- where it is and what it has left ------------------------------------------------------------
    def position_at(self, t_h: float) -> np.ndarray:
        """Position at ``t_h`` on the current leg [nm]."""
        return self._leg_p0 + self._leg_v * (t_h - self._leg_t0_h)

    def fuel_left_h(self, t_h: float | None = None) -> float:
        """Endurance left [cruise-equivalent h] (see the module notes)."""
        t = self.world.now_h if t_h is None else t_h
        used = self._fuel_used0_h + self._fuel_rate * (t - self._leg_t0_h)
        return self.type.endurance_h - used

    def refuel(self) -> None:
        self._fuel_used0_h = 0.0
        self._fuel_rate = 0.0
        self._leg_t0_h = self.world.now_h

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

    def _start(self, p_nm: np.ndarray, velocity: np.ndarray, end_h: float, activity: str, *, rate: float) -> None:
        t = self.world.now_h
        self._fuel_used0_h = self.type.endurance_h - self.fuel_left_h(t)
        self._fuel_rate = rate
        self._leg_t0_h, self._leg_p0, self._leg_v = t, np.asarray(p_nm, dtype=float), np.asarray(velocity, float)
        self.position_nm = self._leg_p0
        self.world.emit(AssetLegStarted(t, self.id, activity, float(p_nm[0]), float(p_nm[1]),
                                        float(velocity[0]), float(velocity[1])))
        for sensor in self.sensors:
            sensor.set_leg(t, p_nm, velocity, end_h)
        self.world.detection.sensors_changed(self.sensors)

    def leg(self, p_nm: np.ndarray, q_nm: np.ndarray, speed_kn: float, activity: str):
        """Move from ``p`` to ``q`` at ``speed_kn`` (a simpy sub-process: ``yield from``)."""
        dist_nm = float(np.hypot(*(q_nm - p_nm)))
        if dist_nm < 1e-9:
            return
        t = self.world.now_h
        duration_h = dist_nm / speed_kn
        velocity = (q_nm - p_nm) / duration_h
        rate = self.type.sprint_fuel_factor if speed_kn > self.type.cruise_speed_kn + 1e-9 else 1.0
        self._start(p_nm, velocity, t + duration_h, activity, rate=rate)
        yield self.world.env.timeout(duration_h)
        self.stop_here()

    def move(self, velocity_kn: np.ndarray, duration_h: float, activity: str) -> None:
        """Start a leg from here with ``velocity_kn`` for ``duration_h`` (the caller waits)."""
        t = self.world.now_h
        speed = float(np.hypot(*velocity_kn))
        rate = self.type.sprint_fuel_factor if speed > self.type.cruise_speed_kn + 1e-9 else 1.0
        self._start(self.position_at(t), velocity_kn, t + duration_h, activity, rate=rate)

    def stop_here(self, activity: str | None = None) -> None:
        """Stay where it is now (after an interrupted leg, or hove to); logs a leg if ``activity``."""
        t = self.world.now_h
        here = self.position_at(t)
        if activity is None:
            used = self.type.endurance_h - self.fuel_left_h(t)
            self._leg_t0_h, self._leg_p0, self._leg_v = t, here, np.zeros(2)
            self._fuel_used0_h, self._fuel_rate = used, 1.0
            self.position_nm = here
            return
        self._start(here, np.zeros(2), math.inf, activity, rate=1.0)

    def at_base(self) -> None:
        """Arrived at base: sensors off, fuel counter at rest (refuelled at the end of turnaround)."""
        self.stop_here()
        self._leg_p0 = self.base_nm.copy()
        self.position_nm = self._leg_p0
        self._fuel_rate = 0.0
        self.ashore = True
        self.sensors_up(False)

    def path(self, p_nm: np.ndarray, q_nm: np.ndarray) -> np.ndarray:
        """Waypoints from ``p`` to ``q``: straight for aircraft, a sea route for ships."""
        if self.type.is_aircraft:
            return np.vstack([p_nm, q_nm])
        try:
            return self.world.route(p_nm, q_nm)
        except ValueError:  # no route found (a pocket of water): go straight, as a last resort
            return np.vstack([p_nm, q_nm])


def harbour_exit(world: World, xy_nm: np.ndarray) -> np.ndarray:
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


