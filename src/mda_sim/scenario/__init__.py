"""The scenario language: YAML files in, frozen validated specs out.

>>> from mda_sim.scenario import load_scenario          # doctest: +SKIP
>>> scenario = load_scenario("scenarios/eastern_caribbean.yaml", ["run.seed=7"])
>>> scenario.spec.run.seed
7
"""

from mda_sim.scenario.loader import Scenario, canonical_json, compose_document, load_scenario
from mda_sim.scenario.problems import Location, Problem, ScenarioError, format_path
from mda_sim.scenario.specs import ScenarioSpec

__all__ = [
    "Location",
    "Problem",
    "Scenario",
    "ScenarioError",
    "ScenarioSpec",
    "canonical_json",
    "compose_document",
    "format_path",
    "load_scenario",
]
