"""The physical world of a scenario: run settings, area, states, places, partners, assets, sensors."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from mda_sim.scenario.specs.base import (
    Fraction,
    Id,
    LatDeg,
    LonDeg,
    Point,
    Source,
    Spec,
    StateCode,
    Text,
)


class RunSettings(Spec):
    """When the simulation starts, how long it runs, and its random seed."""

    start_utc: Annotated[datetime, Field(strict=False)]
    """Start time, ISO 8601 with a UTC offset of zero, e.g. ``2026-01-05T00:00:00Z``."""
    duration_h: Annotated[float, Field(gt=0.0, le=24 * 366)]
    """Simulated time [h] (at most one year)."""
    seed: Annotated[int, Field(ge=0, lt=2**63)]
    """Base seed of the run's ``numpy.random.SeedSequence``."""

    @field_validator("start_utc")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() != timedelta(0):
            raise ValueError(f"{value.isoformat()} must be in UTC, e.g. 2026-01-05T00:00:00Z")
        return value


class OperatingArea(Spec):
    """The joint operating area: a latitude/longitude box."""

    name: Text
    lon_min_deg: LonDeg
    lon_max_deg: LonDeg
    lat_min_deg: LatDeg
    lat_max_deg: LatDeg
    source: Source | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "OperatingArea":
        if self.lon_min_deg >= self.lon_max_deg:
            raise ValueError(f"lon_min_deg ({self.lon_min_deg}) must be west of lon_max_deg ({self.lon_max_deg})")
        if self.lat_min_deg >= self.lat_max_deg:
            raise ValueError(f"lat_min_deg ({self.lat_min_deg}) must be south of lat_max_deg ({self.lat_max_deg})")
        return self


class State(Spec):
    """A state (a possible coastal state, flag state or treaty party) and the territories it holds.

    Territories are codes of the shipped geography (``PRI``, ``GLP``, ``BES`` ...); a state with
    no territory in the data (Belize, Panama) can still be a flag state or a treaty party.
    """

    id: StateCode
    name: Text
    territories: tuple[StateCode, ...] = ()


class Base(Spec):
    """A port, airfield or both, from which assets operate."""

    id: Id
    name: Text
    state: StateCode
    kind: Literal["port", "airfield", "port_airfield"]
    lat_deg: LatDeg
    lon_deg: LonDeg
    source: Source | None = None

    @property
    def has_port(self) -> bool:
        return self.kind in ("port", "port_airfield")

    @property
    def has_airfield(self) -> bool:
        return self.kind in ("airfield", "port_airfield")


class Circle(Spec):
    """A circle on the sea: centre and radius [nm]."""

    lat_deg: LatDeg
    lon_deg: LonDeg
    radius_nm: Annotated[float, Field(gt=0.0, le=1000.0)]


class Region(Spec):
    """A named sea region (traffic origin or destination, patrol box, rendezvous area).

    Give exactly one of ``polygon`` (at least three corners, in order) or ``circle``.
    """

    id: Id
    name: Text
    polygon: tuple[Point, ...] | None = None
    circle: Circle | None = None
    source: Source | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> "Region":
        if (self.polygon is None) == (self.circle is None):
            raise ValueError("give exactly one of 'polygon' or 'circle'")
        if self.polygon is not None and len(self.polygon) < 3:
            raise ValueError(f"a polygon needs at least 3 corners, got {len(self.polygon)}")
        return self


PartnerKind = Literal[
    "coast_guard",
    "navy",
    "customs",
    "border_protection",
    "police_marine",
    "air_wing",
    "regional_security_system",
    "other",
]


class Partner(Spec):
    """An agency of the coordination group (USCG, CBP AMO, RSS, DCCG, Marine nationale ...)."""

    id: Id
    name: Text
    state: StateCode
    """The state whose law enforcement authority the partner exercises."""
    kind: PartnerKind
    source: Source | None = None


PatrolPattern = Literal[
    "on_call", "area_patrol", "barrier", "parallel_sweep", "random_search", "scheduled_sorties"
]


class Patrol(Spec):
    """How an asset spends its time when not tasked: on call at base, or a patrol pattern in a region."""

    pattern: PatrolPattern = "on_call"
    region: Id | None = None
    """Region patrolled (required for every pattern but ``on_call``)."""
    sorties_per_day: Annotated[float, Field(gt=0.0, le=24.0)] | None = None
    """For ``scheduled_sorties``: mean launches per day."""

    @model_validator(mode="after")
    def _needs_region(self) -> "Patrol":
        if self.pattern != "on_call" and self.region is None:
            raise ValueError(f"pattern '{self.pattern}' needs a region")
        if self.pattern == "scheduled_sorties" and self.sorties_per_day is None:
            raise ValueError("pattern 'scheduled_sorties' needs sorties_per_day")
        return self


class Asset(Spec):
    """A group of identical assets of one partner at one base (``count`` hulls or airframes)."""

    id: Id
    name: Text | None = None
    partner: Id
    type: Id
    """Asset type from the catalog (``catalog.asset_types``)."""
    base: Id
    count: Annotated[int, Field(ge=1, le=100)] = 1
    availability: Fraction = 1.0
    """Long-run fraction of hulls or airframes mission-capable (maintenance, crews) [-]."""
    patrol: Patrol = Patrol()
    source: Source | None = None


class FixedSensor(Spec):
    """A sensor at a fixed site: a coastal radar or an AIS receiver."""

    id: Id
    name: Text | None = None
    type: Id
    """Sensor type from the catalog (``catalog.sensor_types``)."""
    operator: Id
    """Partner that operates it and first sees its detections."""
    lat_deg: LatDeg
    lon_deg: LonDeg
    antenna_height_m: Annotated[float, Field(gt=0.0, le=3000.0)]
    """Antenna height above mean sea level [m] (sets the radar or VHF horizon)."""
    on_platform: bool = False
    """True for a sensor at sea (platform, buoy, aerostat); otherwise it must stand on land."""
    availability: Fraction = 1.0
    """Long-run fraction of time the sensor is up [-]."""
    mean_outage_h: Annotated[float, Field(gt=0.0, le=24 * 90)] = 12.0
    """Mean length of an outage [h] when ``availability`` < 1 (estimate: a fault found and fixed
    within a shift or two; outages and repairs are drawn as exponential)."""
    source: Source | None = None


class Daylight(Spec):
    """How day and night are decided: from the sun's position, or fixed for tests."""

    model: Literal["solar", "always_day", "always_night"] = "solar"
    sun_elevation_deg: Annotated[float, Field(ge=-18.0, le=0.0)] = -6.0
    """Sun elevation below which it counts as night [deg] (-6 = civil twilight)."""


class Environment(Spec):
    """Sea state and daylight."""

    sea_state: Annotated[int, Field(ge=0, le=9)] = 3
    """Douglas sea state (0 calm ... 9 phenomenal); 3-4 is typical in the trade winds."""
    daylight: Daylight = Daylight()
    source: Source | None = None


__all__ = [
    "Asset",
    "Base",
    "Circle",
    "Daylight",
    "Environment",
    "FixedSensor",
    "OperatingArea",
    "Partner",
    "Patrol",
    "Region",
    "RunSettings",
    "State",
    "Fraction",
]
