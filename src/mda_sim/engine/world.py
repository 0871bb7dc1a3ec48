"""The live world: scenario specs built onto a simpy environment, run once to an event log.

One :class:`World` is one replication. It owns the simpy environment, the named random streams, the
event log, the vessels and sensors, the detection scheduler and the pictures, and it is passed
explicitly to every process (no module-level state). Its lifecycle is guarded: ``built`` → ``run()``
→ ``finished``; running twice or reading results before the run raises a clear error.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cache

import numpy as np
import shapely
import simpy

from mda_sim.engine.ais import AisReception, AisStretch
from mda_sim.engine.command import SHARED, Command
from mda_sim.engine.detection import DetectionScheduler
from mda_sim.engine.law import Law
from mda_sim.engine.outages import start_outages
from mda_sim.engine.patrols import start_patrols
from mda_sim.engine.sensors import LiveSensor
from mda_sim.engine.streams import RandomStreams
from mda_sim.engine.traffic import start_traffic
from mda_sim.engine.vessels import Vessel
from mda_sim.environment import DaylightModel
from mda_sim.eventlog import EventLog
from mda_sim.eventlog.records import (
    AisReceived,
    AisSwitched,
    CoverageEntered,
    CoverageLeft,
    Detected,
    Event,
)
from mda_sim.geography import Geography, load_geography
from mda_sim.picture import Contact, Picture
from mda_sim.scenario.regions import region_polygon_xy
from mda_sim.scenario.specs import ScenarioSpec

__all__ = ["World"]



class World:
    """One replication of a scenario.

    Parameters
    ----------
    spec
        The validated scenario.
    seed
        Run seed (default: the scenario's ``run.seed``).
    duration_h
        Simulated time [h] (default: the scenario's ``run.duration_h``).
    geo
        Geography (default: the shipped data).
    """

    def __init__(self, spec: ScenarioSpec, *, seed: int | None = None, duration_h: float | None = None,
                 geo: Geography | None = None) -> None:
        self.spec = spec
        self.seed = spec.run.seed if seed is None else int(seed)
        self.duration_h = float(spec.run.duration_h if duration_h is None else duration_h)
        if not self.duration_h > 0.0:
            raise ValueError(f"duration_h = {self.duration_h}: must be > 0")
        self.geo = geo if geo is not None else load_geography()
        self.env = simpy.Environment()
        self.streams = RandomStreams(self.seed)
        self.log = EventLog()
        daylight = spec.environment.daylight
        self.daylight = DaylightModel(spec.run.start_utc, daylight.model, daylight.sun_elevation_deg)
        self.sea_state = spec.environment.sea_state
        self.state = "built"
        self.vessels: dict[str, Vessel] = {}
        self.detection = DetectionScheduler(self)
        self.ais = AisReception(self)
        self.pictures = {p.id: Picture(p.id, spec.picture) for p in spec.partners}
        self.pictures[SHARED] = Picture(SHARED, spec.picture)
        self._rngs: dict[tuple[str, ...], np.random.Generator] = {}
        #: Flow lanes: the turning points each flow's voyages share (see :mod:`mda_sim.engine.traffic`).
        self.lanes: dict[str, np.ndarray] = {}
        self._regions = cache(self._region)
        self.max_vessel_height_m = max((v.height_m for v in spec.catalog.vessel_types), default=1.0)
        self.illicit_flows = {f.id: f for f in spec.traffic.illicit}
        #: Last contact of the shared picture on each vessel: (t [h], xy [nm], velocity [kn]).
        self.last_shared_contact: dict[str, tuple] = {}
        self._reacquired: dict[str, simpy.Event] = {}
        self._ports: dict[str, list[tuple[str, np.ndarray]]] | None = None
        self._exits: dict[str, np.ndarray] = {}  # harbour exit of each base [nm]
        self.law = Law(self)
        self.command = Command(self)
        self._build_sensors()
        start_outages(self)
        self.platforms = start_patrols(self)
        start_traffic(self)

    # -- building ----------------------------------------------------------------------------------
    def _build_sensors(self) -> None:
        for site in self.spec.sensors:
            stype = self.spec.sensor_type(site.type)
            x, y = self.geo.frame.to_xy(site.lon_deg, site.lat_deg)
            self.detection.add_sensor(
                LiveSensor(self, site.id, site.operator, stype, site.antenna_height_m, (float(x), float(y)),
                           fixed=True, availability=site.availability)
            )

    # -- clock and output --------------------------------------------------------------------------
    @property
    def now_h(self) -> float:
        return float(self.env.now)

    def emit(self, event: Event) -> None:
        self.log.append(event)
        self.command.observe(event)

    def run(self) -> EventLog:
        """Run to the end of the scenario and return the event log (once only)."""
        if self.state != "built":
            raise RuntimeError(f"this world is already {self.state}; build a new World for another run")
        self.state = "running"
        self.env.run(until=self.duration_h)
        self.command.finish()
        self.state = "finished"
        return self.log

    def results(self) -> EventLog:
        if self.state != "finished":
            raise RuntimeError(f"no results yet: the world is {self.state}; call run() first")
        return self.log

    # -- places ------------------------------------------------------------------------------------
    def _region(self, region_id: str):
        poly = region_polygon_xy(self.spec.region(region_id), self.geo.frame)
        shapely.prepare(poly)
        return poly

    def region_xy(self, region_id: str):
        return self._regions(region_id)

    def region_contains(self, region_id: str, x: float, y: float) -> bool:
        return bool(shapely.contains_xy(self._regions(region_id), x, y))

    def route(self, start_nm: np.ndarray, end_nm: np.ndarray) -> np.ndarray:
        """Waypoints [nm] from start to end at sea (see :mod:`mda_sim.geography.routing`)."""
        try:
            from mda_sim.geography.routing import sea_route
        except ImportError:  # routing lands with the geography; until then, the straight line
            return np.vstack([start_nm, end_nm])
        return sea_route(self.geo, start_nm, end_nm)

    def harbour_exit_of(self, base_id: str) -> np.ndarray:
        """The harbour exit of base ``base_id`` [nm]: where its ships enter and leave the sea
        (:func:`mda_sim.engine.platforms.harbour_exit`), computed once per world."""
        if base_id not in self._exits:
            from mda_sim.engine.platforms import harbour_exit

            base = self.spec.base(base_id)
            bx, by = self.geo.frame.to_xy(base.lon_deg, base.lat_deg)
            self._exits[base_id] = harbour_exit(self, np.array([float(bx), float(by)]))
        return self._exits[base_id]

    def port_of(self, state: str, xy_nm, platform) -> tuple[str, np.ndarray]:
        """The scenario port of ``state`` nearest ``xy_nm`` (id, harbour exit [nm]); the platform's
        own base when the state has no port in the scenario."""
        if self._ports is None:
            self._ports = {}
            for base in self.spec.bases:
                if base.has_port:
                    self._ports.setdefault(base.state, []).append((base.id, self.harbour_exit_of(base.id)))
        ports = self._ports.get(state)
        if not ports:
            home = (platform.parent or platform)
            return home.asset.base, home.base_nm
        xy = np.asarray(xy_nm, float)
        return min(ports, key=lambda p: (float(np.hypot(*(p[1] - xy))), p[0]))

    def reacquired_event(self, vessel: Vessel) -> simpy.Event:
        """Fires when the shared picture next gets a contact on the vessel."""
        ev = self._reacquired.get(vessel.id)
        if ev is None:
            ev = self._reacquired[vessel.id] = self.env.event()
        return ev

    def on_voyage_end(self, vessel: Vessel) -> None:
        """An illicit voyage's outcome is judged after the other events of this instant, so that a
        pursuer woken by the arrival records why its pursuit ended first."""
        if vessel.illicit:
            self.at_end_of_instant(lambda v=vessel: self.command.close(v))

    def at_end_of_instant(self, action) -> None:
        """Call ``action`` after every other event of the current instant, including those the
        instant's own events schedule (simpy processes events by time, then priority, then order:
        priority 2 comes after simpy's NORMAL = 1)."""
        ev = self.env.event()
        ev._ok, ev._value = True, None  # a triggered event, scheduled below at the lowest priority
        ev.callbacks.append(lambda _e: action())
        self.env.schedule(ev, priority=2)

    # -- vessels -----------------------------------------------------------------------------------
    def add_vessel(self, vessel: Vessel) -> None:
        self.vessels[vessel.id] = vessel

    def remove_vessel(self, vessel: Vessel) -> None:
        self.detection.vessel_gone(vessel)
        vessel.active = False
        del self.vessels[vessel.id]

    def active_vessels(self) -> list[Vessel]:
        return [v for v in self.vessels.values() if v.active]

    def vessel_moved(self, vessel: Vessel) -> None:
        self.detection.vessel_moved(vessel)

    def set_ais(self, vessel: Vessel, on: bool) -> None:
        """Switch the vessel's AIS transmitter. Going silent while a non-AIS sensor of a partner
        holds the vessel makes that partner's picture flag it ("went dark")."""
        if vessel.ais_on == on:
            return
        vessel.ais_on = on
        t = self.now_h
        self.emit(AisSwitched(t, vessel.id, on))
        if vessel.leg_end_h > t + 1e-9:
            # Mid-leg: replan now. At a leg's end the next leg (or the arrival) replans at this
            # same instant; replanning on the ending leg would close and reopen every pair.
            self.detection.vessel_moved(vessel)
        if on:
            return
        for name, picture in self.pictures.items():
            track = picture.tracks.get(vessel.id)
            if track is None or not any(not self.detection.sensors[s].cooperative for s in track.held_by):
                continue
            if name == SHARED:
                continue  # the shared picture adopts the partner's label after the latency
            events = picture.went_dark(t, vessel.id, vessel.illicit)
            for event in events:
                self.emit(event)
            if events:
                label = picture.tracks[vessel.id].label
                self._after_latency(lambda label=label, v=vessel: self._shared_label(v, label, "went_dark"))

    def _shared_label(self, vessel: Vessel, label: str, basis: str) -> None:
        for event in self.pictures[SHARED].adopt_label(self.now_h, vessel.id, label, vessel.illicit, basis):
            self.emit(event)

    def _rng(self, *names: str) -> np.random.Generator:
        """The generator of a named stream, kept so that successive draws continue the stream."""
        rng = self._rngs.get(names)
        if rng is None:
            rng = self._rngs[names] = self.streams.get(*names)
        return rng

    def streams_for_pair(self, vessel_id: str, sensor_id: str) -> np.random.Generator:
        return self._rng("detect", sensor_id, vessel_id)

    # -- sensing outcomes --------------------------------------------------------------------------
    def on_coverage(self, vessel: Vessel, sensor: LiveSensor, *, entered: bool, lost_contact: bool = False) -> None:
        t = self.now_h
        r = float(np.hypot(*(vessel.position_at(t) - sensor.position_at(t))))
        self.emit((CoverageEntered if entered else CoverageLeft)(t, vessel.id, sensor.id, r))
        if not entered and lost_contact:
            self.pictures[sensor.partner].hold(vessel.id, sensor.id, False, t)
            self._schedule_expiry(sensor.partner, vessel)
            self._after_latency(lambda: self._shared_release(vessel, sensor))

    def on_detection(self, vessel: Vessel, sensor: LiveSensor) -> None:
        t = self.now_h
        pos = vessel.position_at(t)
        r = float(np.hypot(*(pos - sensor.position_at(t))))
        # At the footprint's edge r can exceed the reach by rounding (1e-15 nm): judge p inside it.
        r_in = min(r, sensor.reach_nm(vessel.height_m))
        p = float(np.asarray(sensor.law_at(t, vessel).p_detect(r_in)).item())
        self.emit(Detected(t, vessel.id, sensor.id, sensor.partner, r, p))
        sigma = self.spec.picture.radar_sigma_nm
        contact = Contact(t, vessel.id, sensor.id, float(pos[0]), float(pos[1]), sigma, vessel.speed_kn,
                          vessel.illicit, classifies=sensor.type.classifies,
                          vx_kn=float(vessel.velocity_kn[0]), vy_kn=float(vessel.velocity_kn[1]))
        self._to_picture(sensor.partner, contact, hold_sensor=sensor.id)
        self._after_latency(lambda: self._shared_contact(contact, sensor.id))

    def on_ais_contact(self, vessel: Vessel, sensor: LiveSensor) -> None:
        """The first report of a stretch reaches the receiver: the picture hears the vessel."""
        t = self.now_h
        pos = vessel.position_at(t)
        contact = Contact(t, vessel.id, sensor.id, float(pos[0]), float(pos[1]), self.spec.picture.ais_sigma_nm,
                          vessel.speed_kn, vessel.illicit, cooperative=True,
                          vx_kn=float(vessel.velocity_kn[0]), vy_kn=float(vessel.velocity_kn[1]))
        self._to_picture(sensor.partner, contact, hold_sensor=sensor.id)
        self._after_latency(lambda: self._shared_contact(contact, sensor.id))

    def on_ais_stretch(self, vessel: Vessel, sensor: LiveSensor, stretch: AisStretch) -> None:
        """A stretch of reception with at least one report ended now: record it, release the hold."""
        t = self.now_h
        self.emit(AisReceived(t, vessel.id, sensor.id, sensor.partner, stretch.n_reports,
                              stretch.first_h, stretch.last_h))
        self.pictures[sensor.partner].hold(vessel.id, sensor.id, False, stretch.last_h)
        self._schedule_expiry(sensor.partner, vessel)
        self._after_latency(lambda: self._shared_release(vessel, sensor))

    # -- pictures ----------------------------------------------------------------------------------
    def _to_picture(self, name: str, contact: Contact, hold_sensor: str | None) -> None:
        picture = self.pictures[name]
        if name == SHARED:
            self.last_shared_contact[contact.vessel] = (contact.t_h, (contact.x_nm, contact.y_nm),
                                                        (contact.vx_kn, contact.vy_kn))
            ev = self._reacquired.pop(contact.vessel, None)
            if ev is not None and not ev.triggered:
                ev.succeed()
        for event in picture.contact(contact, self._rng("classify", name, contact.vessel)):
            self.emit(event)
        if hold_sensor is not None:
            picture.hold(contact.vessel, hold_sensor, True, contact.t_h)

    def _shared_contact(self, contact: Contact, sensor_id: str) -> None:
        self._to_picture(SHARED, replace(contact, t_h=self.now_h), hold_sensor=sensor_id)

    def _shared_release(self, vessel: Vessel, sensor: LiveSensor) -> None:
        self.pictures[SHARED].hold(vessel.id, sensor.id, False, self.now_h)
        self._schedule_expiry(SHARED, vessel)

    def _after_latency(self, action) -> None:
        delay = self.spec.picture.sharing_latency_h
        if delay <= 0.0:
            action()
            return
        self.env.timeout(delay).callbacks.append(lambda _e: action())

    def _schedule_expiry(self, name: str, vessel: Vessel) -> None:
        picture = self.pictures[name]
        due = picture.expiry_h(vessel.id)
        if math.isinf(due):
            return

        def check(_event, name=name, vid=vessel.id):
            for event in self.pictures[name].expire(self.now_h, vid):
                self.emit(event)

        self.env.timeout(max(0.0, due - self.now_h)).callbacks.append(check)
