"""AIS reception: stretches of reports from a transmitting vessel to a receiver in VHF range.

The detection scheduler finds *when* a vessel with its transmitter on is inside a receiver's VHF
range (the same closed-form coverage as for radar: the 4/3-earth radio horizon of both antennas,
capped by the receiver's instrumented range; land shadow for fixed sites). This module turns each
such stretch into reports without stepping through them:

- The vessel reports autonomously every ``T`` seconds, ``T`` from its transponder class and speed
  (ITU-R M.1371 Annex 1, :func:`mda_sim.sensing.ais.reporting_interval_s`; reference §2.8), with a
  reporting phase uniform in ``[0, T)``. Each report gets through independently with the receiver
  type's ``p_receive``.
- Within a *segment* (a stretch cut where the vessel changes leg, i.e. speed), the slots are
  ``s + phase + kT``. The index of the first received slot is geometric, so the time of the first
  report — when the picture first hears the vessel — is scheduled in advance. When the segment
  ends, the count of the remaining received reports is binomial and the last received slot is
  drawn from the end (geometric again); both are exact for independent slots.
- When the stretch ends, one :class:`~mda_sim.eventlog.records.AisReceived` record sums it up
  (``n_reports``, first and last report times).

Draws come from the stream ``("ais", receiver, vessel)``: common random numbers per pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mda_sim.sensing.ais import S_PER_H, reporting_interval_s

if TYPE_CHECKING:
    import numpy as np

    from mda_sim.engine.sensors import LiveSensor
    from mda_sim.engine.vessels import Vessel
    from mda_sim.engine.world import World

__all__ = ["AIS_EQUIPMENT", "AisReception", "AisStretch"]

#: Catalog ``ais_class`` → ITU-R M.1371 reporting schedule (:data:`mda_sim.sensing.ais.AIS_SCHEDULES`).
AIS_EQUIPMENT = {"A": "class_a", "B_SO": "class_b_so", "B_CS": "class_b_cs", "none": "none"}

#: Below this speed [kn] a vessel counts as at anchor for the Class A schedule (loiter legs are 0 kn).
AT_ANCHOR_KN = 0.1


@dataclass(slots=True)
class AisStretch:
    """One stretch of reception of one vessel by one receiver.

    ``segment`` counts segments (a pending first-report callback of an older segment is stale);
    ``first_idx`` is the slot index, in the current segment, of the first received report once it
    has happened there (``-1`` otherwise).
    """

    segment: int = 0
    seg_start_h: float = 0.0
    interval_h: float = math.inf
    phase_h: float = 0.0
    first_idx: int = -1
    n_reports: int = 0
    first_h: float = math.nan
    last_h: float = math.nan


class AisReception:
    """Report bookkeeping for all vessel–receiver pairs of a world (called by the scheduler)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.stretches: dict[tuple[str, str], AisStretch] = {}

    def _rng(self, vessel: Vessel, sensor: LiveSensor) -> np.random.Generator:
        return self.world._rng("ais", sensor.id, vessel.id)

    # -- stretch lifecycle (the scheduler calls these at coverage entry, leg changes and exit) --------
    def open(self, vessel: Vessel, sensor: LiveSensor) -> None:
        """The vessel, transmitting, comes inside the receiver's range now."""
        stretch = AisStretch()
        self.stretches[(vessel.id, sensor.id)] = stretch
        self._start_segment(vessel, sensor, stretch)

    def resegment(self, vessel: Vessel, sensor: LiveSensor) -> None:
        """The vessel changed leg while in range: count the old segment, start a new one."""
        stretch = self.stretches.get((vessel.id, sensor.id))
        if stretch is None:
            self.open(vessel, sensor)
            return
        self._end_segment(vessel, sensor, stretch)
        self._start_segment(vessel, sensor, stretch)

    def close(self, vessel: Vessel, sensor: LiveSensor) -> None:
        """The stretch ends now (out of range, transmitter off, arrival, receiver down)."""
        stretch = self.stretches.pop((vessel.id, sensor.id), None)
        if stretch is None:
            return
        self._end_segment(vessel, sensor, stretch)
        stretch.segment += 1  # a first-report callback still pending is now stale
        if stretch.n_reports > 0:
            self.world.on_ais_stretch(vessel, sensor, stretch)

    # -- segments -----------------------------------------------------------------------------------
    def _start_segment(self, vessel: Vessel, sensor: LiveSensor, stretch: AisStretch) -> None:
        t = self.world.now_h
        stretch.segment += 1
        stretch.seg_start_h = t
        stretch.first_idx = -1
        speed = vessel.speed_kn
        equipment = AIS_EQUIPMENT[vessel.type.ais_class]
        interval_s = float(reporting_interval_s(equipment, speed, at_anchor=speed < AT_ANCHOR_KN))
        stretch.interval_h = interval_s / S_PER_H
        if not math.isfinite(stretch.interval_h):
            return
        rng = self._rng(vessel, sensor)
        stretch.phase_h = float(rng.uniform(0.0, stretch.interval_h))
        if stretch.n_reports > 0:
            return
        p = sensor.p_receive
        if p <= 0.0:
            return
        k = int(rng.geometric(p)) - 1
        at_h = t + stretch.phase_h + k * stretch.interval_h
        if at_h >= min(vessel.leg_end_h, sensor.leg_end_h, self.world.duration_h):
            return  # the segment ends before then (a later segment draws afresh)
        segment = stretch.segment

        def first_report(_event, key=(vessel.id, sensor.id)):
            current = self.stretches.get(key)
            if current is not stretch or stretch.segment != segment:
                return
            stretch.first_idx = k
            stretch.n_reports = 1
            stretch.first_h = stretch.last_h = self.world.now_h
            self.world.on_ais_contact(vessel, sensor)

        self.world.env.timeout(max(0.0, at_h - t)).callbacks.append(first_report)

    def _end_segment(self, vessel: Vessel, sensor: LiveSensor, stretch: AisStretch) -> None:
        """Count the received reports of the segment ``[seg_start, now)``."""
        if not math.isfinite(stretch.interval_h):
            return
        t = self.world.now_h
        span = t - stretch.seg_start_h - stretch.phase_h
        m = max(0, math.ceil(span / stretch.interval_h)) if span > 0.0 else 0  # slots in [start, now)
        p = sensor.p_receive
        if stretch.first_idx >= 0:
            lo = stretch.first_idx  # received; slots after it are open
            m = max(m, lo + 1)
        elif stretch.n_reports > 0:
            lo = -1  # reports already heard in an earlier segment; all slots here are open
        else:
            return  # nothing heard yet, and the first-report draw says not in this segment
        rng = self._rng(vessel, sensor)
        open_slots = m - lo - 1
        j = int(rng.geometric(p)) - 1 if p > 0.0 else open_slots
        if j < open_slots:
            last = m - 1 - j
            between = last - lo - 1  # open slots strictly between the earlier report and the last
            stretch.n_reports += 1 + int(rng.binomial(between, p))
            stretch.last_h = stretch.seg_start_h + stretch.phase_h + last * stretch.interval_h
