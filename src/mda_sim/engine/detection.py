"""Analytic detection scheduling (DESIGN.md §3): coverage intervals in closed form, detection times
drawn from the law over each interval, and targeted rescheduling when anything moves.

For every vessel–sensor pair that can interact (candidates from a shapely ``STRtree`` of sensor
reach circles), the scheduler solves when the vessel's current straight leg is inside the sensor's
footprint (:func:`mda_sim.sensing.coverage.leg_coverage`: relative motion, a quadratic), cuts the
interval by the land shadow of fixed sites, and draws the detection time by inversion of the law's
cumulative hazard (:meth:`mda_sim.sensing.laws.DetectionLaw.draw_detection_time`). It then schedules
three kinds of callbacks on the simpy clock: coverage entered, detected, coverage left.

**Rescheduling.** When a vessel starts a new leg, or a sensor moves, goes down or comes back, only the
pairs involving it are recomputed: each pair carries a generation number, and a callback whose
generation is stale does nothing when it fires (simpy timeouts cannot be withdrawn, but ignoring
them costs one comparison). Because the laws are Poisson processes in the hazard, drawing a fresh
threshold at a reschedule is statistically exact (memorylessness).

**Contact.** Once a sensor detects a vessel it holds it (continuous tracking) until the vessel leaves
the footprint; no further draws are made for that pair meanwhile. AIS receivers are handled by the
traffic's own reports (:mod:`mda_sim.engine.ais`), not here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely

from mda_sim.sensing.coverage import leg_coverage

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


class DetectionScheduler:
    """Schedules coverage and detection events for all non-cooperative sensors of a world."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.sensors: dict[str, LiveSensor] = {}
        self.pairs: dict[tuple[str, str], PairState] = {}
        self._fixed_ids: list[str] = []
        self._tree: shapely.STRtree | None = None
        self._moving: dict[str, LiveSensor] = {}

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
        """The vessel started a new leg (or appeared): reschedule all its pairs."""
        t = self.world.now_h
        segment = vessel.segment_until(t, self.world.duration_h)
        candidates = {self._fixed_ids[i] for i in self._fixed_tree().query(segment)} if self._fixed_ids else set()
        candidates.update(self._moving)
        # Pairs the vessel was inside but that are no longer candidates: it left them now.
        for sensor_id in list(vessel.sensor_pairs):
            if sensor_id not in candidates:
                self._close_pair(vessel, self.sensors[sensor_id], t)
        for sensor_id in sorted(candidates):
            self._plan_pair(vessel, self.sensors[sensor_id], t)

    def vessel_gone(self, vessel: Vessel) -> None:
        """The vessel arrived or was removed: close all its pairs now."""
        t = self.world.now_h
        for sensor_id in sorted(vessel.sensor_pairs):
            self._close_pair(vessel, self.sensors[sensor_id], t)

    def sensor_changed(self, sensor: LiveSensor) -> None:
        """The sensor moved, went down or came back: reschedule its pairs with every vessel."""
        t = self.world.now_h
        for vessel in self.world.active_vessels():
            if sensor.up:
                self._plan_pair(vessel, sensor, t)
            else:
                self._close_pair(vessel, sensor, t)

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
        vessel.sensor_pairs.discard(sensor.id)

    def _plan_pair(self, vessel: Vessel, sensor: LiveSensor, t: float) -> None:
        state = self._state(vessel, sensor)
        state.generation += 1
        gen = state.generation
        if not sensor.up:
            if state.inside:
                self._left(vessel, sensor, state, t)
            return
        t_end = min(vessel.leg_end_h, sensor.leg_end_h, self.world.duration_h)
        intervals = self._intervals(vessel, sensor, t, t_end)
        continuing = bool(intervals) and intervals[0][0] <= t + EPS_H
        if state.inside and not continuing:
            self._left(vessel, sensor, state, t)
        if not intervals:
            vessel.sensor_pairs.discard(sensor.id)
            return
        vessel.sensor_pairs.add(sensor.id)
        rng = self.world.streams_for_pair(vessel.id, sensor.id)
        for k, (a, b) in enumerate(intervals):
            if not (k == 0 and continuing and state.inside):
                self._at(a, self._enter_cb(vessel, sensor, gen))
            if b < t_end - EPS_H:
                self._at(b, self._leave_cb(vessel, sensor, gen))
            if state.in_contact and k == 0 and continuing:
                continue
            tau = self._draw(vessel, sensor, a, b, rng)
            if not math.isnan(tau):
                self._at(a + tau, self._detect_cb(vessel, sensor, gen))

    def _intervals(self, vessel: Vessel, sensor: LiveSensor, t0: float, t1: float) -> list[tuple[float, float]]:
        reach = sensor.reach_nm(vessel.height_m)
        if reach <= 0.0 or t1 <= t0:
            return []
        cov = leg_coverage(
            vessel.position_at(t0), vessel.velocity_kn, sensor.position_at(t0), sensor.velocity_kn, reach, t0, t1
        )
        a, b = float(cov.enter_h), float(cov.exit_h)
        if math.isnan(a) or b - a <= EPS_H:
            return []
        return sensor.visible_intervals(vessel, a, b)

    def _draw(self, vessel: Vessel, sensor: LiveSensor, a: float, b: float, rng: np.random.Generator) -> float:
        law = sensor.law_at(a, vessel)
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
        self.world.on_coverage(vessel, sensor, entered=False, lost_contact=was_contact)
