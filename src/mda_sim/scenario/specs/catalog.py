"""Catalog entries: asset, sensor and vessel types.

The built-in catalogs ship as data files in ``mda_sim/catalogs/`` with the source of each
figure (``sources: {field: citation}``) or the word ``estimate``; a scenario's ``catalog:``
section merges over them by ``id``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from mda_sim.scenario.specs.base import Fraction, Id, Probability, Source, Spec, Text

AssetCategory = Literal[
    "cutter", "patrol_vessel", "frigate", "interceptor", "helicopter", "patrol_aircraft"
]
AIR_CATEGORIES = frozenset({"helicopter", "patrol_aircraft"})
#: Upper bound on speeds [kn]: faster than any boat or patrol aircraft in the catalog by a margin.
MAX_SURFACE_SPEED_KN = 80.0
MAX_AIR_SPEED_KN = 600.0


class DefiniteRange(Spec):
    """Cookie-cutter law: detection certain inside ``range_nm``, impossible outside."""

    model: Literal["definite_range"]
    range_nm: Annotated[float, Field(gt=0.0, le=500.0)]


class Glimpse(Spec):
    """Scanning sensor: each scan detects with p(r) = p_max / (1 + (r / r50_nm)^steepness).

    ``r50_nm`` is the range [nm] where the single-scan probability is half of ``p_max``
    against the reference target (a small craft, sea state <= 2).
    """

    model: Literal["glimpse"]
    scan_period_s: Annotated[float, Field(gt=0.0, le=600.0)]
    p_max: Probability
    r50_nm: Annotated[float, Field(gt=0.0, le=500.0)]
    steepness: Annotated[float, Field(gt=0.0, le=50.0)] = 4.0


class Reporting(Spec):
    """Cooperative reporting (AIS): every report from a transmitter in range is received
    with probability ``p_receive`` (VHF range limited by the horizon)."""

    model: Literal["reporting"]
    p_receive: Probability = 1.0


DetectionLaw = Annotated[DefiniteRange | Glimpse | Reporting, Field(discriminator="model")]

SensorKind = Literal["surface_radar", "airborne_radar", "eo_ir", "ais_receiver", "visual"]


class SensorType(Spec):
    """A kind of sensor: coastal or shipborne radar, airborne radar, EO/IR, AIS receiver."""

    id: Id
    name: Text
    kind: SensorKind
    instrumented_range_nm: Annotated[float, Field(gt=0.0, le=500.0)]
    """Largest range the sensor reports at [nm], whatever the horizon."""
    detection: DetectionLaw
    classifies: bool = False
    """True if a detection also identifies the target type (EO/IR, visual, AIS)."""
    night_factor: Probability = 1.0
    """Multiplier on detection at night (1 for radar and AIS; < 1 for EO and visual)."""
    sources: dict[str, Source] = {}
    notes: Text = ""

    @model_validator(mode="after")
    def _law_fits_kind(self) -> "SensorType":
        if (self.kind == "ais_receiver") != (self.detection.model == "reporting"):
            raise ValueError(
                f"detection.model '{self.detection.model}' does not fit kind '{self.kind}':"
                " AIS receivers use 'reporting', other sensors 'glimpse' or 'definite_range'"
            )
        return self


class MountedSensor(Spec):
    """A sensor carried by an asset type, with its antenna height above the sea [m]."""

    type: Id
    antenna_height_m: Annotated[float, Field(gt=0.0, le=15000.0)] | None = None
    """For ships, mast height; for aircraft, leave unset: the patrol altitude is used."""


class EmbarkedCraft(Spec):
    """Boats or helicopters carried by an asset type."""

    type: Id
    count: Annotated[int, Field(ge=1, le=10)] = 1
    launch_delay_h: Annotated[float, Field(ge=0.0, le=12.0)]
    """Time from the order to the craft under way [h]."""


class AssetType(Spec):
    """A class of patrol asset: cutter, patrol vessel, interceptor, helicopter, aircraft."""

    id: Id
    name: Text
    category: AssetCategory
    max_speed_kn: Annotated[float, Field(gt=0.0)]
    cruise_speed_kn: Annotated[float, Field(gt=0.0)]
    endurance_h: Annotated[float, Field(gt=0.0, le=24 * 120)]
    """Time away from base before it must return [h] (days at sea for ships, flight hours)."""
    range_nm: Annotated[float, Field(gt=0.0, le=20000.0)] | None = None
    sprint_fuel_factor: Annotated[float, Field(ge=1.0, le=10.0)] = 2.0
    """Endurance used per hour at max speed relative to cruise [-] (estimate unless sourced)."""
    patrol_altitude_m: Annotated[float, Field(gt=0.0, le=15000.0)] | None = None
    turnaround_h: Annotated[float, Field(ge=0.0, le=24 * 30)] = 12.0
    """Time at base to refuel and re-crew before the next sortie [h]."""
    crew: Annotated[int, Field(ge=1, le=500)] | None = None
    sensors: tuple[MountedSensor, ...] = ()
    embarked: tuple[EmbarkedCraft, ...] = ()
    can_board: bool = True
    """False for aircraft: they detect, track and cue, but cannot board."""
    sources: dict[str, Source] = {}
    notes: Text = ""

    @property
    def is_aircraft(self) -> bool:
        return self.category in AIR_CATEGORIES

    @model_validator(mode="after")
    def _plausible(self) -> "AssetType":
        limit = MAX_AIR_SPEED_KN if self.is_aircraft else MAX_SURFACE_SPEED_KN
        if self.max_speed_kn > limit:
            raise ValueError(
                f"max_speed_kn = {self.max_speed_kn} is absurd for a {self.category}: must be <= {limit}"
            )
        if self.cruise_speed_kn > self.max_speed_kn:
            raise ValueError(
                f"cruise_speed_kn = {self.cruise_speed_kn} exceeds max_speed_kn = {self.max_speed_kn}"
            )
        if self.is_aircraft and self.patrol_altitude_m is None:
            raise ValueError(f"a {self.category} needs patrol_altitude_m")
        if not self.is_aircraft and self.patrol_altitude_m is not None:
            raise ValueError(f"patrol_altitude_m is only for aircraft, not a {self.category}")
        return self


VesselCategory = Literal[
    "go_fast",
    "yola",
    "sailing_yacht",
    "fishing_vessel",
    "coastal_freighter",
    "semi_submersible",
    "mother_ship",
    "cargo_ship",
    "tanker",
    "cruise_ship",
    "ferry",
    "pleasure_craft",
]
AisClass = Literal["A", "B_SO", "B_CS", "none"]


class VesselType(Spec):
    """A class of vessel in the traffic (illicit or legitimate)."""

    id: Id
    name: Text
    category: VesselCategory
    length_m: Annotated[float, Field(gt=0.0, le=400.0)]
    height_m: Annotated[float, Field(gt=0.0, le=80.0)]
    """Height of the radar-reflecting superstructure above the sea [m] (sets the horizon)."""
    max_speed_kn: Annotated[float, Field(gt=0.0, le=MAX_SURFACE_SPEED_KN)]
    cruise_speed_kn: Annotated[float, Field(gt=0.0, le=MAX_SURFACE_SPEED_KN)]
    small_craft: bool
    """Boat under 30 ft class for sea-state corrections (US NSS Table D-1)."""
    ais_class: AisClass = "none"
    """Transponder fitted (ITU-R M.1371 class) when the vessel transmits at all."""
    cargo_capacity_kg: Annotated[float, Field(ge=0.0, le=1e8)] | None = None
    persons_capacity: Annotated[int, Field(ge=0, le=10000)] | None = None
    sources: dict[str, Source] = {}
    notes: Text = ""

    @model_validator(mode="after")
    def _speeds(self) -> "VesselType":
        if self.cruise_speed_kn > self.max_speed_kn:
            raise ValueError(
                f"cruise_speed_kn = {self.cruise_speed_kn} exceeds max_speed_kn = {self.max_speed_kn}"
            )
        return self


class Catalog(Spec):
    """Type catalogs; the built-in ones are merged under the scenario's own entries."""

    asset_types: tuple[AssetType, ...] = ()
    sensor_types: tuple[SensorType, ...] = ()
    vessel_types: tuple[VesselType, ...] = ()


__all__ = [
    "AIR_CATEGORIES",
    "AssetType",
    "Catalog",
    "DefiniteRange",
    "EmbarkedCraft",
    "Fraction",
    "Glimpse",
    "MountedSensor",
    "Reporting",
    "SensorType",
    "VesselType",
]
