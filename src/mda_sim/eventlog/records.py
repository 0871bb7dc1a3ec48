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

__all__ = [
    "DISRUPTING_OUTCOMES",
    "EVENT_TYPES",
    "LAW_STOPPED_OUTCOMES",
    "LOG_FORMAT_VERSION",
    "VOYAGE_OUTCOMES",
    "Event",
    "event_type",
]

#: Version of the event-log format, written into every manifest.
LOG_FORMAT_VERSION = 3

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
    cargo_kg: float = 0.0
    """Contraband on board at departure [kg] (0 for lawful voyages and migrant runs)."""
    persons: int = 0
    """People carried besides the crew (migrant runs)."""


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


# --- command, pursuit and the law --------------------------------------------------------------


@event_type("tasked")
class Tasked(Event):
    """Command orders ``asset`` (a hull, or a boat launched from one) after the suspect ``vessel``
    (shared-picture ``track``); the predicted intercept is ``intercept_h`` from now at (x, y)."""

    asset: str
    track: str
    vessel: str
    intercept_h: float
    x_nm: float
    y_nm: float
    reason: str


@event_type("pursuit_ended")
class PursuitEnded(Event):
    """The asset stops prosecuting the vessel: ``intercepted``, ``outran`` (intercept infeasible),
    ``endurance``, ``contact_lost``, ``blocked``, ``retasked``, ``arrived`` (the voyage ended first)."""

    asset: str
    vessel: str
    reason: str


@event_type("evading")
class Evading(Event):
    """The vessel sees the pursuer ``asset`` at ``range_nm`` and runs at ``speed_kn``; ``toward``
    names the territory whose waters it heads for ('' when it simply runs away)."""

    vessel: str
    asset: str
    range_nm: float
    speed_kn: float
    toward: str


@event_type("datum_search")
class DatumSearch(Event):
    """The asset starts (``started=True``) or ends a datum search for the vessel around (x, y)
    with track spacing ``spacing_nm``; ``cause`` is ``contact_lost`` or ``intel_cue``."""

    asset: str
    vessel: str
    x_nm: float
    y_nm: float
    spacing_nm: float
    started: bool
    cause: str


@event_type("intel_cue")
class IntelCue(Event):
    """An intelligence tip places a suspect ``vessel`` at (x, y); ``true`` is ground truth
    (whether the tip was right), for analysis only."""

    vessel: str
    x_nm: float
    y_nm: float
    true: bool


@event_type("shiprider")
class Shiprider(Event):
    """A shiprider of ``state`` embarks on (``embarked=True``) or leaves the hull ``asset``."""

    asset: str
    state: str
    embarked: bool


@event_type("legal_decision")
class LegalDecision(Event):
    """A rule decides whether ``acting`` may do ``action`` (``board``, ``enter``) to ``vessel``:
    ``outcome`` ``allowed``/``request``/``denied``, the ``rule`` and the ``citation`` that decided
    it, the ``authority`` asked for a request, and the position's zone and territory."""

    vessel: str
    asset: str
    acting: str
    action: str
    outcome: str
    rule: str
    citation: str
    authority: str
    zone: str
    territory: str
    note: str


@event_type("authority_answered")
class AuthorityAnswered(Event):
    """The authority asked about ``vessel`` answers after ``waited_h``: ``granted`` or not; ``rule``
    and ``citation`` name what decided (e.g. authorization deemed after 4 h, Art. 16(3))."""

    vessel: str
    authority: str
    action: str
    granted: bool
    waited_h: float
    rule: str
    citation: str


@event_type("jettisoned")
class Jettisoned(Event):
    """The vessel throws its cargo overboard as the pursuer closes; ``recovered_kg`` is picked up."""

    vessel: str
    asset: str
    kg: float
    recovered_kg: float


@event_type("boarded")
class Boarded(Event):
    """A boarding team from ``asset`` searches the vessel for ``duration_h``; ``evidence`` found or not."""

    vessel: str
    asset: str
    duration_h: float
    evidence: bool


@event_type("seized")
class Seized(Event):
    """Cargo, vessel and crew are detained; ``jurisdiction`` takes the case (Art. 24, 12(3), 16(5))
    and they are taken to ``port``."""

    vessel: str
    asset: str
    kg: float
    persons: int
    detainees: int
    jurisdiction: str
    port: str
    citation: str


@event_type("delivered")
class Delivered(Event):
    """The asset hands the seized vessel over at ``port``."""

    asset: str
    vessel: str
    port: str


#: The ``outcome`` of a ``voyage_outcome``, from the best end for the enforcer to the worst: the
#: reporting order, and the order in which the engine picks the most decisive of a voyage's results.
VOYAGE_OUTCOMES: tuple[str, ...] = (
    "seized",
    "jettisoned",
    "boarded_no_evidence",
    "consent_refused",
    "blocked",
    "contact_lost",
    "not_intercepted",
    "detected_no_asset",
    "detected_not_classified",
    "arrived_undetected",
    "at_sea_at_end",
)
#: Outcomes that are a disruption: seizure or forced jettison (JIATF-S definition).
DISRUPTING_OUTCOMES: tuple[str, ...] = ("seized", "jettisoned")
#: Outcomes where the law stopped the enforcer.
LAW_STOPPED_OUTCOMES: tuple[str, ...] = ("blocked", "consent_refused")


@event_type("voyage_outcome")
class VoyageOutcome(Event):
    """How an illicit voyage ended, exactly once per illicit voyage (at its end, or at the end of
    the run for one still at sea): ``outcome`` (``seized``, ``jettisoned``, ``boarded_no_evidence``,
    ``blocked``, ``consent_refused``, ``not_intercepted``, ``contact_lost``, ``detected_no_asset``,
    ``detected_not_classified``, ``arrived_undetected``, ``at_sea_at_end``), a ``reason`` in words,
    the ``citation`` where the law decided it, ``disrupted`` (seizure or forced jettison, JIATF-S
    definition), and the cargo shipped and removed [kg]."""

    vessel: str
    flow: str
    outcome: str
    reason: str
    citation: str
    disrupted: bool
    cargo_kg: float
    removed_kg: float


def event_from_dict(record: dict) -> Event:
    """Rebuild a typed record from its dict form (as read from the log)."""
    kind = record.get("kind")
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"unknown event kind {kind!r}; known: {', '.join(sorted(EVENT_TYPES))}")
    return cls(**{k: v for k, v in record.items() if k != "kind"})
