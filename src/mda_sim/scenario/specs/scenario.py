"""The whole scenario: one frozen spec tree that nothing downstream re-reads from YAML."""

from __future__ import annotations

from typing import Literal

from mda_sim.scenario.specs.base import Spec, Text
from mda_sim.scenario.specs.catalog import AssetType, Catalog, SensorType, VesselType
from mda_sim.scenario.specs.command import Command
from mda_sim.scenario.specs.exercise import Exercise
from mda_sim.scenario.specs.legal import Legal
from mda_sim.scenario.specs.picture import PictureSettings
from mda_sim.scenario.specs.traffic import Traffic
from mda_sim.scenario.specs.world import (
    Asset,
    Base,
    Environment,
    FixedSensor,
    OperatingArea,
    Partner,
    Region,
    RunSettings,
    State,
)


class ScenarioSpec(Spec):
    """A scenario of the joint operating area (see docs/scenario-reference.md)."""

    schema_version: Literal[1] = 1
    """Version of this scenario language."""
    name: Text
    description: Text = ""
    run: RunSettings
    area: OperatingArea
    environment: Environment = Environment()
    states: tuple[State, ...]
    bases: tuple[Base, ...] = ()
    regions: tuple[Region, ...] = ()
    partners: tuple[Partner, ...] = ()
    assets: tuple[Asset, ...] = ()
    sensors: tuple[FixedSensor, ...] = ()
    legal: Legal = Legal()
    traffic: Traffic = Traffic()
    picture: PictureSettings = PictureSettings()
    """Sharing, track keeping and classification in the common operating picture."""
    command: Command = Command()
    """Tasking of assets against suspects, pursuit, the end-game and intelligence cues."""
    exercise: Exercise = Exercise()
    catalog: Catalog = Catalog()
    """Asset, sensor and vessel types: the built-in catalog with this scenario's entries merged over it."""

    # -- lookups by id (cheap; the tuples are small) --------------------------------------
    def state(self, code: str) -> State:
        return _find(self.states, code, "state")

    def base(self, base_id: str) -> Base:
        return _find(self.bases, base_id, "base")

    def region(self, region_id: str) -> Region:
        return _find(self.regions, region_id, "region")

    def partner(self, partner_id: str) -> Partner:
        return _find(self.partners, partner_id, "partner")

    def asset_type(self, type_id: str) -> AssetType:
        return _find(self.catalog.asset_types, type_id, "asset type")

    def sensor_type(self, type_id: str) -> SensorType:
        return _find(self.catalog.sensor_types, type_id, "sensor type")

    def vessel_type(self, type_id: str) -> VesselType:
        return _find(self.catalog.vessel_types, type_id, "vessel type")


def _find(items, key: str, what: str):
    for item in items:
        if item.id == key:
            return item
    raise KeyError(f"no {what} '{key}'")
