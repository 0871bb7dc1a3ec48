"""Traffic generators: illicit voyages and legitimate shipping."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from mda_sim.scenario.specs.base import Distribution, Id, Probability, Source, Spec, Text

CargoKind = Literal["cocaine", "cannabis", "firearms", "migrants", "fuel", "iuu_catch"]
_BY_PERSONS = {"migrants"}
#: Flag keys that are not states: a vessel with no nationality, or one that makes no claim.
NON_STATE_FLAGS = ("stateless", "no_claim")


class Cargo(Spec):
    """What an illicit voyage carries: ``kg`` for goods, ``persons`` for migrants."""

    kind: CargoKind
    kg: Distribution | None = None
    """Mass of contraband [kg]."""
    persons: Distribution | None = None
    """People on board besides the crew."""

    @model_validator(mode="after")
    def _amount(self) -> "Cargo":
        if self.kind in _BY_PERSONS and self.persons is None:
            raise ValueError(f"cargo kind '{self.kind}' needs 'persons'")
        if self.kind not in _BY_PERSONS and self.kg is None:
            raise ValueError(f"cargo kind '{self.kind}' needs 'kg'")
        return self


class PoissonDepartures(Spec):
    """Departures as a Poisson process."""

    process: Literal["poisson"]
    rate_per_day: Annotated[float, Field(gt=0.0, le=10000.0)]
    """Mean departures per day [1/d]."""


class ScheduledDepartures(Spec):
    """Departures at fixed times after the start [h]."""

    process: Literal["schedule"]
    times_h: tuple[Annotated[float, Field(ge=0.0)], ...]

    @field_validator("times_h")
    @classmethod
    def _some(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if not value:
            raise ValueError("a schedule needs at least one time")
        return value


Departures = Annotated[PoissonDepartures | ScheduledDepartures, Field(discriminator="process")]


class Rendezvous(Spec):
    """A mother ship waits offshore and transfers the load to the go-fasts of this flow."""

    region: Id
    """Where the mother ship loiters (reference: > 50 mi offshore [S17], >= 40 mi [S53])."""
    mother_ship_type: Id
    transfer_h: Distribution = {"dist": "uniform", "low": 0.5, "high": 2.0}
    """Time alongside for the transfer [h] (estimate)."""


class _Flow(Spec):
    id: Id
    name: Text | None = None
    vessel_type: Id
    """Vessel type from the catalog (``catalog.vessel_types``)."""
    origin: Id
    """Region the voyages start from."""
    destination: Id
    """Region the voyages head for."""
    departures: Departures
    speed_kn: Distribution | None = None
    """Transit speed [kn]; defaults to the vessel type's cruise speed."""
    flag: dict[str, Annotated[float, Field(ge=0.0, le=1e6)]] = {"stateless": 1.0}
    """Relative weights of the flag claimed: state codes, 'stateless' or 'no_claim'."""
    source: Source | None = None

    @field_validator("flag")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        if not value or sum(value.values()) <= 0.0:
            raise ValueError("flag weights must include at least one positive weight")
        return value


class IllicitFlow(_Flow):
    """A stream of illicit voyages (drugs, firearms, migrants, fuel, IUU fishing)."""

    cargo: Cargo
    night_preference: Probability = 0.0
    """Fraction of departures timed so that the transit falls in darkness [-]."""
    ais: Literal["off", "on", "switch_off"] = "off"
    """'off' runs dark; 'on' transmits throughout; 'switch_off' transmits until within
    ``ais_off_range_nm`` of the destination."""
    ais_off_range_nm: Annotated[float, Field(gt=0.0, le=500.0)] = 50.0
    behaviour: Literal["transit", "loiter", "rendezvous"] = "transit"
    loiter_h: Distribution | None = None
    """Time spent loitering (IUU fishing) in the destination region [h]."""
    rendezvous: Rendezvous | None = None
    evades: bool = True
    """Turns away and sprints when it sees a patrol asset approach."""
    jettisons: bool = True
    """Throws the cargo overboard when intercept is imminent."""

    @model_validator(mode="after")
    def _behaviour(self) -> "IllicitFlow":
        if self.behaviour == "rendezvous" and self.rendezvous is None:
            raise ValueError("behaviour 'rendezvous' needs a 'rendezvous' section")
        if self.behaviour == "loiter" and self.loiter_h is None:
            raise ValueError("behaviour 'loiter' needs 'loiter_h'")
        return self


class LegitimateFlow(_Flow):
    """A stream of lawful traffic (cargo, cruise, ferries, fishing) that transmits AIS."""

    ais: Literal["on", "off"] = "on"
    behaviour: Literal["transit", "loiter"] = "transit"
    loiter_h: Distribution | None = None


class Traffic(Spec):
    """Illicit and legitimate traffic generators."""

    illicit: tuple[IllicitFlow, ...] = ()
    legitimate: tuple[LegitimateFlow, ...] = ()
    rate_scale: Annotated[float, Field(gt=0.0, le=1000.0)] = 1.0
    """Multiplier on every Poisson departure rate [-] (traffic-volume excursions and benchmarks;
    scheduled departures are not scaled)."""
