"""Load a scenario: read, compose, validate, cross-check, freeze.

``load_scenario`` is the one way from files to specs. It collects every problem it can find
before raising, so ``mda-sim validate`` lists them all at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mda_sim.scenario.compose import apply_override, load_with_extends, merge
from mda_sim.scenario.crossref import check_geography, check_references
from mda_sim.scenario.problems import Location, Problem, ScenarioError
from mda_sim.scenario.schema_errors import locate, problems_from_validation, written_path
from mda_sim.scenario.specs import ScenarioSpec
from mda_sim.scenario.yamlsource import SourceMap, read_yaml_file

CATALOG_FILES = {
    "asset_types": "asset_types.yaml",
    "sensor_types": "sensor_types.yaml",
    "vessel_types": "vessel_types.yaml",
}


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario: the frozen spec plus what it was made from."""

    spec: ScenarioSpec
    resolved: dict[str, Any] = field(repr=False)
    """The merged document that was validated (built-in catalog, extends chain, overrides)."""
    files: tuple[Path, ...] = ()
    overrides: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the resolved document: the scenario hash."""
        return hashlib.sha256(canonical_json(self.resolved).encode()).hexdigest()


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def canonical_json(data: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces) of a resolved document."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=_json_default, ensure_ascii=False)


def read_catalogs(files: Mapping[str, Path]) -> tuple[dict, SourceMap]:
    """Read catalog files (``{'vessel_types': path, ...}``) as ``{'catalog': {...}}`` + source map.

    Each location keeps its catalog file and the key path ``catalog.<section>[i]...`` of
    the entry in that file, so a broken shipped entry is reported against the shipped file.
    """
    data: dict[str, Any] = {}
    positions: SourceMap = {}
    for key, path in files.items():
        items, pos = read_yaml_file(Path(path))
        items = items or []
        if not isinstance(items, list):
            raise ScenarioError([Problem((), "a catalog file must be a list of entries", Location(str(path)))])
        data[key] = items
        positions.update(
            {("catalog", key) + k: replace(v, path=("catalog", key) + k) for k, v in pos.items()}
        )
    return {"catalog": data}, positions


@lru_cache(maxsize=1)
def _builtin_catalog() -> tuple[dict, SourceMap]:
    root = resources.files("mda_sim") / "catalogs"
    with ExitStack() as stack:
        files = {
            key: stack.enter_context(resources.as_file(root / name))
            for key, name in CATALOG_FILES.items()
        }
        return read_catalogs(files)


def builtin_catalog() -> tuple[dict, SourceMap]:
    """The built-in type catalogs as a document fragment ``{'catalog': {...}}`` and source map."""
    import copy

    data, positions = _builtin_catalog()
    return copy.deepcopy(data), dict(positions)


def _freeze(value: Any) -> Any:
    """Lists to tuples, so strict validation fits the frozen tuple fields."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


def validate_document(
    data: dict, positions: SourceMap, *, geography: bool = True
) -> ScenarioSpec:
    """Validate a composed document into a :class:`ScenarioSpec` or raise ScenarioError."""
    try:
        spec = ScenarioSpec.model_validate(_freeze(data))
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, ScenarioSpec, data, positions)) from None
    problems = check_references(spec)
    if geography and not problems:
        from mda_sim.geography import load_geography

        problems = check_geography(spec, load_geography())
    if problems:
        located = []
        for p in problems:
            where = p.location or locate(positions, p.path)
            located.append(Problem(written_path(positions, p.path), p.message, where))
        raise ScenarioError(located)
    return spec


def compose_document(path: str | Path, overrides: Sequence[str] = ()) -> tuple[dict, SourceMap, list[Path]]:
    """Built-in catalog, then the extends chain, then ``--set`` overrides: one document."""
    base, base_pos = builtin_catalog()
    data, positions, files = load_with_extends(Path(path))
    merged, merged_pos = merge(base, base_pos, data, positions)
    problems: list[Problem] = []
    for text in overrides:
        try:
            apply_override(merged, merged_pos, text)
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    return merged, merged_pos, files


def load_scenario(
    path: str | Path, overrides: Sequence[str] = (), *, geography: bool = True
) -> Scenario:
    """Load, compose and validate a scenario file.

    Parameters
    ----------
    path
        The scenario YAML file.
    overrides
        ``KEY.PATH=VALUE`` strings (the CLI's ``--set``), applied after the extends chain.
    geography
        Also check places against the shipped geography (territories, sites on land).

    Raises
    ------
    ScenarioError
        With every problem found, each located ``FILE:LINE: key.path: message``.
    """
    data, positions, files = compose_document(path, overrides)
    spec = validate_document(data, positions, geography=geography)
    return Scenario(spec=spec, resolved=data, files=tuple(files), overrides=tuple(overrides))
