"""Typed event records: the vocabulary of a run's event log.

Every record is a frozen dataclass with the simulation time ``t_h`` [h since the run start] first and a
class-level ``kind`` string; :data:`EVENT_TYPES` maps each kind to its class so a reader can rebuild
typed records from the log. Positions are in the run's planar frame [nm] (see
:mod:`mda_sim.geography.frame`), speeds in knots, ranges in nautical miles.

Adding a field to a record changes the log format: bump :data:`LOG_FORMAT_VERSION`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

__all__ = ["EVENT_TYPES", "LOG_FORMAT_VERSION", "Event", "event_type"]

#: Version of the event-log format, written into every manifest.
LOG_FORMAT_VERSION = 2

EVENT_TYPES: dict[str, type["Event"]] = {}


@dataclass(frozen=True, slots=True)
class Event:
    """Base of all records: the time [h since run start]."""

    kind: ClassVar[str] = ""
    t_h: float

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def event_type(kind: str):
    """Class decorator: make a frozen, slotted dataclass and register it under ``kind``."""

    def register(cls):
        if kind in EVENT_TYPES:
            raise ValueError(f"event kind {kind!r} registered twice")
        cls = dataclass(frozen=True, slots=True)(cls)
        cls.kind = kind
        EVENT_TYPES[kind] = cls
        return cls

    return register


# --- traffic --------------------------------------------------------------------------------------


@event_type("vessel_departed")
class VesselDeparted(Event):
    """A voyage begins: ``vessel`` of ``vessel_type`` from flow ``flow`` leaves its origin."""

    vessel: str
    flow: str
    vessel_type: str
    illicit: bool
    cargo: str
    flag: str
    x_nm: float
    y_nm: float
    ais: bool


@event_type("leg_started")
class LegStarted(Event):
    """The vessel starts a constant-velocity leg at (x, y) with velocity (vx, vy) [kn]."""

    vessel: str
    leg: int
    behaviour: str
    x_nm: float
    y_nm: float
    vx_kn: float
    vy_kn: float


@event_type("ais_switched")
class AisSwitched(Event):
    """The vessel's AIS transmitter is switched on or off."""

    vessel: str
    on: bool


@event_type("rendezvous")
class Rendezvous(Event):
    """A transfer at sea between a mother ship and a go-fast (cargo moves to ``to_vessel``)."""

    vessel: str
    to_vessel: str
    x_nm: float
    y_nm: float


@event_type("arrived")
class Arrived(Event):
    """The voyage ends at its destination."""

    vessel: str
    x_nm: float
    y_nm: float


# --- sensing --------------------------------------------------------------------------------------


@event_type("coverage_entered")
class CoverageEntered(Event):
    """The vessel comes inside the sensor's footprint (horizon, instrumented range, land shadow)."""

    vessel: str
    sensor: str
    range_nm: float


@event_type("coverage_left")
class CoverageLeft(Event):
    """The vessel leaves the sensor's footprint."""

    vessel: str
    sensor: str
    range_nm: float


@event_type("detected")
class Detected(Event):
    """A non-cooperative detection: ``sensor`` of ``partner`` sees ``vessel`` at ``range_nm``.

    ``p_detect`` is the law's ``p_detect`` at that range, for the record: the single-scan probability
    for a glimpse law, 1 for a definite-range law, and for rate laws the probability over one hour's
    dwell (their default).
    """

    vessel: str
    sensor: str
    partner: str
    range_nm: float
    p_detect: float


@event_type("ais_received")
class AisReceived(Event):
    """AIS reports from ``vessel`` reached receiver ``sensor`` of ``partner`` during one stretch of
    reception: ``n_reports`` of them, the first at ``first_h`` and the last at ``last_h``.

    One record per stretch, written when the stretch ends (``t_h``: the vessel left VHF range, went
    silent, arrived, or the receiver went down), not one record per report. A stretch in which no
    report got through writes nothing.
    """

    vessel: str
    sensor: str
    partner: str
    n_reports: int
    first_h: float
    last_h: float


@event_type("sensor_state")
class SensorState(Event):
    """A sensor goes down (outage) or comes back."""

    sensor: str
    up: bool


# --- patrol assets ------------------------------------------------------------------------------


@event_type("asset_state")
class AssetState(Event):
    """A hull or airframe (``asset``: ``<asset group>/<n>``) changes state: ``at_base`` (ready),
    ``sortie`` (left base), ``returned`` (back at base, turning around), ``unavailable``
    (maintenance or no crew)."""

    asset: str
    state: str


@event_type("asset_leg_started")
class AssetLegStarted(Event):
    """The asset starts a constant-velocity leg at (x, y) with velocity (vx, vy) [kn]; ``activity``
    is ``transit`` (to its patrol area), ``patrol`` or ``return``."""

    asset: str
    activity: str
    x_nm: float
    y_nm: float
    vx_kn: float
    vy_kn: float


# --- picture --------------------------------------------------------------------------------------


@event_type("track_created")
class TrackCreated(Event):
    """A picture (a partner's or ``shared``) starts a track on a contact."""

    track: str
    picture: str
    vessel: str
    x_nm: float
    y_nm: float
    sigma_nm: float


@event_type("track_updated")
class TrackUpdated(Event):
    """A picture's track gets a new contact; ``gap_h`` since the previous one."""

    track: str
    picture: str
    vessel: str
    x_nm: float
    y_nm: float
    sigma_nm: float
    gap_h: float


@event_type("track_lost")
class TrackLost(Event):
    """A picture drops a track whose contact was not renewed in time; ``sigma_nm`` at loss."""

    track: str
    picture: str
    vessel: str
    sigma_nm: float


@event_type("classified")
class Classified(Event):
    """A picture classifies a track as ``suspect`` or ``cleared``; ``correct`` against ground truth."""

    track: str
    picture: str
    vessel: str
    label: str
    correct: bool
    basis: str


def event_from_dict(record: dict) -> Event:
    """Rebuild a typed record from its dict form (as read from the log)."""
    kind = record.get("kind")
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"unknown event kind {kind!r}; known: {', '.join(sorted(EVENT_TYPES))}")
    return cls(**{k: v for k, v in record.items() if k != "kind"})
