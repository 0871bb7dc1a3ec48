"""Analytic detection scheduling (DESIGN.md §3): coverage intervals in closed form, detection times
drawn from the law over each interval, and targeted rescheduling when anything moves.

For every vessel–sensor pair that can interact (candidates from a shapely ``STRtree`` of sensor
reach circles), the scheduler solves when the vessel's current straight leg is inside the sensor's
footprint (:func:`mda_sim.sensing.coverage.pair_interval`: relative motion, a quadratic), cuts the
interval by the land shadow of fixed sites, and draws the detection time by inversion of the law's
cumulative hazard (:meth:`mda_sim.sensing.laws.DetectionLaw.draw_detection_time`). It then schedules
three kinds of callbacks on the simpy clock: coverage entered, detected, coverage left.

**Rescheduling.** When a vessel starts a new leg, or a sensor moves, goes down or comes back, only the
pairs involving it are recomputed: each pair carries a generation number, and a callback whose
generation is stale does nothing when it fires (simpy timeouts cannot be withdrawn, but ignoring
them costs one comparison). Because the laws are Poisson processes in the hazard, drawing a fresh
threshold at a reschedule is statistically exact (memorylessness).

**Contact.** Once a sensor detects a vessel it holds it (continuous tracking) until the vessel leaves
the footprint; no further draws are made for that pair meanwhile.

**Night.** For sensors that night affects (EO/IR, visual) a coverage interval is cut at dusk and
dawn and the detection time is drawn piece by piece with the law of each piece (the first piece
that detects wins; exact for Poisson hazards, since the pieces are disjoint).

**AIS receivers** are *cooperative* sensors: the same coverage intervals (VHF horizon, instrumented
range, land shadow), but only for vessels whose transmitter is on, and instead of a detection draw
the stretch of reception is handed to :class:`mda_sim.engine.ais.AisReception`. They write no
coverage records (the ``ais_received`` record sums up each stretch).

**Moving sensors** (on patrol platforms) are not in the spatial index; a vectorised closed-form
pre-check over all of them (or, when a platform changes leg, over all vessels) keeps only the pairs
that meet before either leg ends, or that are inside now and must be closed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely

from mda_sim.sensing.coverage import pair_interval

if TYPE_CHECKING:
    from mda_sim.engine.sensors import LiveSensor
    from mda_sim.engine.vessels import Vessel
    from mda_sim.engine.world import World

__all__ = ["DetectionScheduler", "PairState"]

#: Times closer than this are the same instant [h] (3.6 ms).
EPS_H = 1e-6


@dataclass(slots=True)
class PairState:
    """What the scheduler knows about one vessel–sensor pair."""

    generation: int = 0
    inside: bool = False
    in_contact: bool = False


def _meets_fast(d_nm: np.ndarray, w_kn: np.ndarray, reach_nm: np.ndarray, window_h: np.ndarray) -> np.ndarray:
    """Whether ``|d + w tau| <= reach`` for some ``tau`` in ``[0, window]``, rows of (n, 2) arrays.

    The same quadratic as :func:`mda_sim.sensing.coverage.time_in_range` without its argument
    checks and broadcasting (this runs at every platform leg, on every vessel): inside at the start,
    or a real root whose entry falls in the window.
    """
    a = np.einsum("ij,ij->i", w_kn, w_kn)
    b = np.einsum("ij,ij->i", d_nm, w_kn)
    c = np.einsum("ij,ij->i", d_nm, d_nm) - reach_nm * reach_nm
    disc = b * b - a * c
    ok = (reach_nm > 0.0) & (disc >= 0.0) & (a > 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = (-b - np.sqrt(np.where(ok, disc, 0.0))) / np.where(a > 0.0, a, 1.0)
        hi = (-b + np.sqrt(np.where(ok, disc, 0.0))) / np.where(a > 0.0, a, 1.0)
    crossing = ok & (hi >= 0.0) & (lo <= window_h)
    return (c <= 0.0) & (reach_nm > 0.0) | crossing


class DetectionScheduler:
    """Schedules coverage and detection events for all non-cooperative sensors of a world."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.sensors: dict[str, LiveSensor] = {}
        self.pairs: dict[tuple[str, str], PairState] = {}
        self._fixed_ids: list[str] = []
        self._tree: shapely.STRtree | None = None
        self._moving: dict[str, LiveSensor] = {}
        #: sensor id -> the vessels it has a live pair with (kept with ``Vessel.sensor_pairs``).
        self._paired: dict[str, dict[str, Vessel]] = {}

    # -- registration ----------------------------------------------------------------------------
    def add_sensor(self, sensor: LiveSensor) -> None:
        if sensor.id in self.sensors:
            raise ValueError(f"sensor id {sensor.id!r} registered twice")
        self.sensors[sensor.id] = sensor
        if sensor.fixed:
            self._fixed_ids.append(sensor.id)
            self._tree = None
        else:
            self._moving[sensor.id] = sensor

    def _fixed_tree(self) -> shapely.STRtree:
        if self._tree is None:
            circles = [self.sensors[i].reach_circle() for i in self._fixed_ids]
            self._tree = shapely.STRtree(circles)
        return self._tree

    # -- triggers ----------------------------------------------------------------------------------
    def vessel_moved(self, vessel: Vessel) -> None:
        """The vessel started a new leg, appeared, or switched its AIS: reschedule its pairs."""
        t = self.world.now_h
        if self._fixed_ids:
            segment = vessel.segment_until(t, self.world.duration_h)
            candidates = {self._fixed_ids[i] for i in self._fixed_tree().query(segment)}
        else:
            candidates = set()
        moving = [s for s in self._moving.values() if s.up]
        if moving:
            meets = self._meets(vessel, moving, t)
            candidates.update(s.id for s, ok in zip(moving, meets) if ok)
        # Pairs the vessel was inside but that are no longer candidates: it left them now.
        for sensor_id in sorted(vessel.sensor_pairs - candidates):
            self._close_pair(vessel, self.sensors[sensor_id], t)
        for sensor_id in sorted(candidates):
            self._plan_pair(vessel, self.sensors[sensor_id], t)

    def vessel_gone(self, vessel: Vessel) -> None:
        """The vessel arrived or was removed: close all its pairs now."""
        t = self.world.now_h
        for sensor_id in sorted(vessel.sensor_pairs):
            self._close_pair(vessel, self.sensors[sensor_id], t)

    def sensor_changed(self, sensor: LiveSensor) -> None:
        """The sensor moved, went down or came back: reschedule its pairs with the vessels it can meet."""
        self.sensors_changed([sensor])

    def sensors_changed(self, sensors: list[LiveSensor]) -> None:
        """Several sensors (those of one platform) changed at once: one vectorised pre-check."""
        t = self.world.now_h
        vessels = self.world.active_vessels()
        if not vessels:
            return
        p0 = np.array([v.leg_p0_nm for v in vessels])
        vel = np.array([v.velocity_kn for v in vessels])
        t0 = np.array([v.leg_t0_h for v in vessels])
        end = np.minimum(np.array([v.leg_end_h for v in vessels]), self.world.duration_h)
        heights, which = np.unique([v.height_m for v in vessels], return_inverse=True)
        here = p0 + vel * (t - t0)[:, None]
        for sensor in sensors:
            meets = np.zeros(len(vessels), dtype=bool)
            if sensor.up:
                reach = np.array([sensor.reach_nm(h) for h in heights.tolist()])[which]
                window = np.maximum(np.minimum(end, sensor.leg_end_h) - t, 0.0)
                meets = _meets_fast(here - sensor.position_at(t), vel - sensor.velocity_kn, reach, window)
            met = {vessels[i].id for i in np.flatnonzero(meets).tolist()}
            for vessel in sorted(self._paired.get(sensor.id, {}).values(), key=lambda v: v.id):
                if vessel.id not in met:
                    self._close_pair(vessel, sensor, t)
            for i in np.flatnonzero(meets).tolist():
                self._plan_pair(vessels[i], sensor, t)

    def _meets(self, vessel: Vessel, sensors: list[LiveSensor], t: float) -> list[bool]:
        """Vectorised pre-check: does the vessel come inside each sensor's reach before either leg
        (or the run) ends? Conservative: land shadow and AIS state are left to the pair."""
        ps = np.array([s.leg_p0_nm for s in sensors])
        vs = np.array([s.velocity_kn for s in sensors])
        t0 = np.array([s.leg_t0_h for s in sensors])
        reach = np.array([s.reach_nm(vessel.height_m) for s in sensors])
        end = np.minimum(np.array([s.leg_end_h for s in sensors]), min(vessel.leg_end_h, self.world.duration_h))
        here = ps + vs * (t - t0)[:, None]
        return _meets_fast(vessel.position_at(t) - here, vessel.velocity_kn - vs, reach,
                           np.maximum(end - t, 0.0)).tolist()

    def _unpair(self, vessel: Vessel, sensor: LiveSensor) -> None:
        vessel.sensor_pairs.discard(sensor.id)
        self._paired.get(sensor.id, {}).pop(vessel.id, None)

    # -- the pair ----------------------------------------------------------------------------------
    def _state(self, vessel: Vessel, sensor: LiveSensor) -> PairState:
        key = (vessel.id, sensor.id)
        state = self.pairs.get(key)
        if state is None:
            state = self.pairs[key] = PairState()
        return state

    def _close_pair(self, vessel: Vessel, sensor: LiveSensor, t: float) -> None:
        state = self._state(vessel, sensor)
        state.generation += 1
        if state.inside:
            self._left(vessel, sensor, state, t)
        self._unpair(vessel, sensor)

    def _plan_pair(self, vessel: Vessel, sensor: LiveSensor, t: float) -> None:
        state = self._state(vessel, sensor)
        state.generation += 1
        gen = state.generation
        if not sensor.up or (sensor.cooperative and not vessel.ais_on):
            if state.inside:
                self._left(vessel, sensor, state, t)
            self._unpair(vessel, sensor)
            return
        t_end = min(vessel.leg_end_h, sensor.leg_end_h, self.world.duration_h)
        intervals = self._intervals(vessel, sensor, t, t_end)
        continuing = bool(intervals) and intervals[0][0] <= t + EPS_H
        if state.inside and not continuing:
            self._left(vessel, sensor, state, t)
        if not intervals:
            self._unpair(vessel, sensor)
            return
        vessel.sensor_pairs.add(sensor.id)
        self._paired.setdefault(sensor.id, {})[vessel.id] = vessel
        rng = None if sensor.cooperative else self.world.streams_for_pair(vessel.id, sensor.id)
        for k, (a, b) in enumerate(intervals):
            carried_on = k == 0 and continuing and state.inside
            if not carried_on:
                self._at(a, self._enter_cb(vessel, sensor, gen))
            elif sensor.cooperative:
                self.world.ais.resegment(vessel, sensor)  # new leg, new speed: new reporting rate
            if b < t_end - EPS_H:
                self._at(b, self._leave_cb(vessel, sensor, gen))
            if sensor.cooperative or (carried_on and state.in_contact):
                continue
            for lo, hi in sensor.day_night_pieces(a, b):
                tau = self._draw(vessel, sensor, lo, hi, rng)
                if not math.isnan(tau):
                    self._at(lo + tau, self._detect_cb(vessel, sensor, gen))
                    break

    def _intervals(self, vessel: Vessel, sensor: LiveSensor, t0: float, t1: float) -> list[tuple[float, float]]:
        reach = sensor.reach_nm(vessel.height_m)
        if reach <= 0.0 or t1 <= t0:
            return []
        dx, dy = (vessel.position_at(t0) - sensor.position_at(t0)).tolist()
        wx, wy = (vessel.velocity_kn - sensor.velocity_kn).tolist()
        cov = pair_interval(dx, dy, wx, wy, reach, t1 - t0)
        if cov is None or cov[1] - cov[0] <= EPS_H:
            return []
        return sensor.visible_intervals(vessel, t0 + cov[0], t0 + cov[1])

    def _draw(self, vessel: Vessel, sensor: LiveSensor, a: float, b: float, rng: np.random.Generator) -> float:
        law = sensor.law_at(0.5 * (a + b), vessel)
        rel_p = vessel.position_at(a) - sensor.position_at(a)
        rel_v = vessel.velocity_kn - sensor.velocity_kn
        return float(law.draw_detection_time(rel_p, rel_v, b - a, rng))

    # -- callbacks ---------------------------------------------------------------------------------
    def _at(self, t_h: float, callback) -> None:
        delay = max(0.0, t_h - self.world.now_h)
        self.world.env.timeout(delay).callbacks.append(callback)

    def _enter_cb(self, vessel, sensor, gen):
        def fire(_event):
            state = self.pairs[(vessel.id, sensor.id)]
            if state.generation == gen and not state.inside:
                state.inside = True
                if sensor.cooperative:
                    self.world.ais.open(vessel, sensor)
                else:
                    self.world.on_coverage(vessel, sensor, entered=True)
        return fire

    def _leave_cb(self, vessel, sensor, gen):
        def fire(_event):
            state = self.pairs[(vessel.id, sensor.id)]
            if state.generation == gen and state.inside:
                self._left(vessel, sensor, state, self.world.now_h)
        return fire

    def _detect_cb(self, vessel, sensor, gen):
        def fire(_event):
            state = self.pairs[(vessel.id, sensor.id)]
            if state.generation == gen and not state.in_contact:
                state.inside = True
                state.in_contact = True
                self.world.on_detection(vessel, sensor)
        return fire

    def _left(self, vessel, sensor, state: PairState, t: float) -> None:
        was_contact = state.in_contact
        state.inside = False
        state.in_contact = False
        if sensor.cooperative:
            self.world.ais.close(vessel, sensor)
        else:
            self.world.on_coverage(vessel, sensor, entered=False, lost_contact=was_contact)
