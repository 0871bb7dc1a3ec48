"""Frozen, validated specs: the scenario language as typed data."""

from mda_sim.scenario.specs.base import Distribution, Point, Spec, distribution_bounds
from mda_sim.scenario.specs.catalog import AssetType, Catalog, SensorType, VesselType
from mda_sim.scenario.specs.command import Command, Endgame, IntelCues, Pursuit, Tasking
from mda_sim.scenario.specs.exercise import Exercise, Inject, Objective
from mda_sim.scenario.specs.legal import (
    AuthorityResponse,
    BilateralAgreement,
    Legal,
    ShipriderPool,
    TreatyOfSanJose,
    TreatyParty,
)
from mda_sim.scenario.specs.scenario import ScenarioSpec
from mda_sim.scenario.specs.traffic import Cargo, IllicitFlow, LegitimateFlow, Traffic
from mda_sim.scenario.specs.world import (
    Asset,
    Base,
    Environment,
    FixedSensor,
    OperatingArea,
    Partner,
    Patrol,
    Region,
    RunSettings,
    State,
)

__all__ = [
    "Asset",
    "AssetType",
    "AuthorityResponse",
    "Base",
    "BilateralAgreement",
    "Cargo",
    "Catalog",
    "Command",
    "Distribution",
    "Endgame",
    "Environment",
    "Exercise",
    "FixedSensor",
    "IllicitFlow",
    "Inject",
    "IntelCues",
    "Legal",
    "LegitimateFlow",
    "Objective",
    "OperatingArea",
    "Partner",
    "Patrol",
    "Point",
    "Pursuit",
    "Region",
    "RunSettings",
    "ScenarioSpec",
    "SensorType",
    "ShipriderPool",
    "Spec",
    "State",
    "Tasking",
    "Traffic",
    "TreatyOfSanJose",
    "TreatyParty",
    "VesselType",
    "distribution_bounds",
]
