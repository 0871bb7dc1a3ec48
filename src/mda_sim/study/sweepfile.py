"""Sweep files: a base scenario, factors, a design, replications, seeds and the metrics to keep.

A sweep file is YAML (examples in ``configs/``)::

    name: baseline-three-factors          # optional; default: the file's stem
    scenario: ../scenarios/eastern_caribbean.yaml   # relative to this file
    set: [run.duration_h=240]             # fixed --set overrides for every run (optional)
    design: full_factorial                # or {name: latin_hypercube, n_points: 20, seed: 1, maximin: true}
    factors:
      - path: assets.uscg_frc.count       # the same key paths `mda-sim run --set` takes
        levels: [1, 2, 3]
      - path: legal.default_response.delay_h.median
        range: {low: 1.0, high: 8.0, n_levels: 3}
    replications: 5                       # per design point
    base_seed: 20260101                   # default: the scenario's run.seed
    metrics: [disruption_rate, frac_detected, "n_outcome_*"]   # names or patterns; default all
    rank_by: {metric: disruption_rate, goal: max}
    confidence: 0.95
    keep_logs: false                      # true: keep every run's directory (event log and tables)
    scheduler: null                       # a Dask scheduler address, e.g. tcp://10.0.0.5:8786

**Seeds.** Replication ``i`` of *every* design point runs with
:func:`mda_sim.study.replications.replication_seed` ``(base_seed, i)``: common random numbers
across design points (DESIGN.md §3), so differences between points are not buried in seed noise.

**Checked before anything runs.** :func:`load_sweep` reads the file with line numbers, validates
its keys and values (pydantic, like a scenario), builds the design, and loads the base scenario
with the fixed overrides and then with *every* design point's overrides through the scenario
loader, so a factor path the scenario lacks or a level the schema refuses is reported at its line
in the sweep file (``configs/x.yaml:14: factors[1].levels[2]: ...``), all problems at once, as a
:class:`mda_sim.scenario.ScenarioError`. This module runs no simulation.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mda_sim import __version__
from mda_sim.analysis.metrics import METRIC_FAMILY_PREFIXES, known_metric, static_metric_names
from mda_sim.scenario.loader import Scenario, load_scenario
from mda_sim.scenario.problems import (
    KeyPath,
    Location,
    Problem,
    ScenarioError,
    did_you_mean,
    format_path,
)
from mda_sim.scenario.schema_errors import locate, problems_from_validation
from mda_sim.scenario.yamlsource import SourceMap, read_yaml_file
from mda_sim.study.designs import DesignError, Factor, as_overrides, design_point_id, make_design
from mda_sim.study.replications import replication_seed

__all__ = ["Job", "Sweep", "SweepFile", "load_sweep"]

#: Most design points one sweep may hold (each is checked through the scenario loader, ~0.1 s).
MAX_POINTS = 20_000
#: Most runs one sweep may hold (points x replications).
MAX_RUNS = 1_000_000

Scalar = bool | int | float | str
_Strict = ConfigDict(extra="forbid", frozen=True)


class RangeSpec(BaseModel):
    """A numeric range factor: ``low`` < ``high``; ``n_levels`` evenly spaced levels for the full
    factorial and one-at-a-time designs (the Latin hypercube samples the range continuously)."""

    model_config = _Strict
    low: float
    high: float
    n_levels: Annotated[int, Field(ge=2, le=1000)] | None = None
    integer: bool = False


class FactorSpec(BaseModel):
    """One factor: a scenario key path and either ``levels`` or a ``range``."""

    model_config = _Strict
    path: Annotated[str, Field(min_length=1, max_length=300)]
    """A ``--set`` key path, e.g. ``assets.uscg_frc.count`` (list items by id or ``[index]``)."""
    levels: Annotated[list[Scalar], Field(min_length=1, max_length=1000)] | None = None
    range: RangeSpec | None = None
    baseline: Scalar | None = None
    """The factor's value in the one-at-a-time baseline point (default: the middle level)."""


class DesignSpec(BaseModel):
    """The experimental design and its parameters (:mod:`mda_sim.study.designs`)."""

    model_config = _Strict
    name: Literal["full_factorial", "latin_hypercube", "one_at_a_time"]
    n_points: Annotated[int, Field(ge=1, le=MAX_POINTS)] | None = None
    """Latin hypercube only: number of design points."""
    seed: Annotated[int, Field(ge=0)] = 0
    """Latin hypercube only: the seed of the design (not of the runs)."""
    maximin: bool = False
    """Latin hypercube only: keep the most spread of ``candidates`` hypercubes."""
    candidates: Annotated[int, Field(ge=1, le=10_000)] = 50


class RankBy(BaseModel):
    """The metric design points are ranked on, and whether more is better."""

    model_config = _Strict
    metric: Annotated[str, Field(min_length=1)]
    goal: Literal["max", "min"] = "max"


class SweepFile(BaseModel):
    """The sweep file schema (see the module notes)."""

    model_config = _Strict
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    scenario: Annotated[str, Field(min_length=1)]
    """The base scenario file, relative to the sweep file."""
    set: list[Annotated[str, Field(min_length=3)]] = []
    """Fixed ``KEY.PATH=VALUE`` overrides applied to every run before the factors."""
    design: DesignSpec
    factors: Annotated[list[FactorSpec], Field(min_length=1, max_length=50)]
    replications: Annotated[int, Field(ge=1, le=100_000)] = 5
    base_seed: Annotated[int, Field(ge=0, lt=2**63)] | None = None
    metrics: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)] = ["*"]
    rank_by: RankBy | None = None
    confidence: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.95
    keep_logs: bool = False
    scheduler: Annotated[str, Field(min_length=1)] | None = None
    """Address of a Dask distributed scheduler to run on instead of local processes."""


class Job(NamedTuple):
    """One run of a sweep: a design point's replication. A tuple starting ``(point_id,
    replication)``, as :meth:`ResultsStore.pending` reads jobs; picklable, for worker processes."""

    point_id: str
    replication: int
    seed: int
    factors: dict[str, Any]
    overrides: tuple[str, ...]
    """Fixed overrides, then the point's factor values, as ``--set`` strings."""


@dataclass(frozen=True)
class Sweep:
    """A checked sweep: the design expanded into points, seeds fixed, ready to run."""

    path: Path
    name: str
    scenario_path: Path
    overrides: tuple[str, ...]
    design: str
    design_params: dict[str, Any]
    factors: tuple[Factor, ...]
    points: tuple[dict[str, Any], ...]
    point_ids: tuple[str, ...]
    replications: int
    base_seed: int
    seeds: tuple[int, ...]
    metrics: tuple[str, ...]
    rank_by: dict[str, str]
    confidence: float
    keep_logs: bool
    scheduler: str | None
    scenario_sha256: str
    """Hash of the base scenario as resolved with the fixed overrides (before factors)."""
    text: str = field(repr=False, default="")
    """The sweep file as read."""

    @property
    def n_runs(self) -> int:
        return len(self.points) * self.replications

    def jobs(self) -> list[Job]:
        """Every run, point by point in design order, replications in order."""
        out = []
        for pid, point in zip(self.point_ids, self.points, strict=True):
            overrides = (*self.overrides, *as_overrides(point))
            out.extend(Job(pid, i, self.seeds[i], dict(point), overrides) for i in range(self.replications))
        return out

    def keeps(self, metric: str) -> bool:
        """Whether ``metric`` is one of the kept metrics (a name or an fnmatch pattern)."""
        return any(fnmatch.fnmatchcase(metric, pattern) for pattern in self.metrics)

    def identity_sha256(self) -> str:
        """What a results store is bound to: runs recorded under one identity stay valid when the
        design grows (more points, more replications) but not when the base scenario, fixed
        overrides, seeds, kept metrics, log keeping or package version change."""
        ident = {"scenario_sha256": self.scenario_sha256, "overrides": list(self.overrides),
                 "base_seed": self.base_seed, "metrics": list(self.metrics), "keep_logs": self.keep_logs,
                 "package_version": __version__}
        return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        """The resolved sweep, as written to ``sweep.json`` in the sweep directory."""
        return {
            "format": 1, "name": self.name, "sweep_file": str(self.path), "scenario": str(self.scenario_path),
            "scenario_sha256": self.scenario_sha256, "overrides": list(self.overrides),
            "design": {"name": self.design, "params": dict(self.design_params)},
            "factors": [{"path": f.path, "levels": None if f.levels is None else list(f.levels), "low": f.low,
                         "high": f.high, "n_levels": f.n_levels, "integer": f.integer, "baseline": f.baseline}
                        for f in self.factors],
            "points": [{"point_id": pid, "factors": dict(p)} for pid, p in zip(self.point_ids, self.points,
                                                                                strict=True)],
            "replications": self.replications, "base_seed": self.base_seed, "seeds": list(self.seeds),
            "metrics": list(self.metrics), "rank_by": dict(self.rank_by), "confidence": self.confidence,
            "keep_logs": self.keep_logs, "identity_sha256": self.identity_sha256(),
            "package_version": __version__,
        }


def _is_pattern(text: str) -> bool:
    return any(c in text for c in "*?[")


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _problem(positions: SourceMap, path: KeyPath, message: str, source: str) -> Problem:
    return Problem(path, message, locate(positions, path) or Location(source))


def load_sweep(path: str | Path) -> Sweep:
    """Read, validate and expand a sweep file; raise :class:`ScenarioError` listing every problem,
    each located at its line in the sweep file (or the scenario file it points at)."""
    path = Path(path)
    data, positions = read_yaml_file(path)
    source = str(path)
    if not isinstance(data, dict):
        raise ScenarioError([Problem((), "a sweep file is a mapping with scenario, design and factors",
                                     Location(source, 1))])
    if isinstance(data.get("design"), str):  # `design: full_factorial` is short for {name: ...}
        data = {**data, "design": {"name": data["design"]}}
        positions = {**positions, ("design", "name"): positions.get(("design",), Location(source))}
    try:
        spec = SweepFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, SweepFile, data, positions)) from None
    problems: list[Problem] = []

    factors: list[Factor] = []
    for i, fs in enumerate(spec.factors):
        try:
            if fs.range is not None:
                if fs.levels is not None:
                    raise DesignError("give exactly one of levels or range; got both")
                factors.append(Factor(fs.path, low=fs.range.low, high=fs.range.high, n_levels=fs.range.n_levels,
                                      integer=fs.range.integer, baseline=fs.baseline))
            else:
                factors.append(Factor(fs.path, levels=None if fs.levels is None else tuple(fs.levels),
                                      baseline=fs.baseline))
        except DesignError as exc:
            problems.append(_problem(positions, ("factors", i), str(exc), source))
    for j, pattern in enumerate(spec.metrics):
        if not _is_pattern(pattern) and not known_metric(pattern):
            problems.append(_problem(positions, ("metrics", j), _unknown_metric(pattern), source))
    if spec.rank_by is not None and not known_metric(spec.rank_by.metric):
        problems.append(_problem(positions, ("rank_by", "metric"), _unknown_metric(spec.rank_by.metric), source))
    scenario_path = Path(os.path.normpath(path.parent / spec.scenario))
    try:
        base = _check_scenario(scenario_path, spec.set, positions, source)
    except ScenarioError as exc:
        problems += exc.problems
    if problems:
        raise ScenarioError(problems)

    d = spec.design
    params: dict[str, Any] = {}
    if d.name == "latin_hypercube":
        if d.n_points is None:
            raise ScenarioError([_problem(positions, ("design",), "a latin_hypercube needs n_points", source)])
        params = {"n_points": d.n_points, "seed": d.seed, "maximin": d.maximin, "candidates": d.candidates}
    else:
        given = sorted(k for k in ("n_points", "maximin") if k in d.model_fields_set)
        if given:
            raise ScenarioError([_problem(positions, ("design", given[0]),
                                          f"'{given[0]}' applies to latin_hypercube only, not {d.name}", source)])
    try:
        points = make_design(d.name, factors, **params)
    except DesignError as exc:
        raise ScenarioError([_problem(positions, ("factors",), str(exc), source)]) from None
    if len(points) > MAX_POINTS or len(points) * spec.replications > MAX_RUNS:
        raise ScenarioError([_problem(positions, ("design",), f"{len(points):,} points x {spec.replications} "
                                      f"replications is too many (at most {MAX_POINTS:,} points and "
                                      f"{MAX_RUNS:,} runs)", source)])
    ids = [design_point_id(p) for p in points]
    if len(set(ids)) != len(ids):  # e.g. an integer range narrower than a hypercube's n_points
        seen: set[str] = set()
        keep = [k for k, pid in enumerate(ids) if not (pid in seen or seen.add(pid))]
        points, ids = [points[k] for k in keep], [ids[k] for k in keep]

    _check_points(scenario_path, spec.set, factors, points, positions, source)
    base_seed = base.spec.run.seed if spec.base_seed is None else spec.base_seed
    metrics = tuple(spec.metrics)
    rank_metric = spec.rank_by.metric if spec.rank_by is not None else next(
        (m for m in metrics if not _is_pattern(m)), "disruption_rate")
    rank_by = {"metric": rank_metric, "goal": spec.rank_by.goal if spec.rank_by is not None else "max"}
    if not any(fnmatch.fnmatchcase(rank_metric, m) for m in metrics):
        raise ScenarioError([_problem(positions, ("rank_by", "metric") if spec.rank_by else ("metrics",),
                                      f"rank_by metric '{rank_metric}' is not among the kept metrics "
                                      f"{list(metrics)}", source)])
    return Sweep(
        path=path, name=spec.name or path.stem, scenario_path=scenario_path, overrides=tuple(spec.set),
        design=d.name, design_params=params, factors=tuple(factors), points=tuple(points), point_ids=tuple(ids),
        replications=spec.replications, base_seed=base_seed,
        seeds=tuple(replication_seed(base_seed, i) for i in range(spec.replications)), metrics=metrics,
        rank_by=rank_by, confidence=spec.confidence, keep_logs=spec.keep_logs, scheduler=spec.scheduler,
        scenario_sha256=base.digest, text=path.read_text(encoding="utf-8"),
    )


def _unknown_metric(name: str) -> str:
    return (f"'{name}' is not a metric the analyzers produce{did_you_mean(name, sorted(static_metric_names()))}; "
            f"per-type metrics start with {', '.join(METRIC_FAMILY_PREFIXES)}; patterns like 'n_outcome_*' "
            "are allowed (see metrics.csv of any run for every name)")


def _check_scenario(scenario_path: Path, fixed: Sequence[str], positions: SourceMap, source: str) -> Scenario:
    """The base scenario with the fixed overrides; problems from a ``set`` entry point at it."""
    try:
        return load_scenario(scenario_path, fixed)
    except ScenarioError as exc:
        lines = {f"--set {text}": ("set", j) for j, text in enumerate(fixed)}
        raise ScenarioError([_relocate(p, lines, positions, source) for p in exc.problems]) from None


def _relocate(p: Problem, origins: dict[str, KeyPath], positions: SourceMap, source: str) -> Problem:
    """A problem raised by an override, moved to the sweep-file line that wrote the override."""
    if p.location is None or p.location.source not in origins:
        return p
    key = origins[p.location.source]
    where = locate(positions, key) or Location(source)
    scenario_key = format_path(p.path)
    text = p.location.source.removeprefix("--set ")
    return Problem(key, f"{text}: {scenario_key + ': ' if scenario_key else ''}{p.message}", where)


def _level_key(f: Factor, i: int, value: Any, positions: SourceMap) -> KeyPath:
    """Where in the sweep file factor ``i``'s ``value`` was written: the level, else the range."""
    if f.levels is not None:
        j = next((j for j, lv in enumerate(f.levels) if lv == value and type(lv) is type(value)), None)
        return ("factors", i, "levels", j) if j is not None else ("factors", i, "levels")
    return ("factors", i, "range") if ("factors", i, "range") in positions else ("factors", i)


def _check_points(scenario_path: Path, fixed: Sequence[str], factors: Sequence[Factor],
                  points: Sequence[dict[str, Any]], positions: SourceMap, source: str) -> None:
    """Load the scenario with each factor value alone, then with every design point's values.

    A problem every value of a factor shares (a path the scenario lacks) is reported once, at the
    factor's ``path``; a problem of one value at that level (or range); a problem only a
    combination has, with the design point named. Each distinct problem is reported once.
    """
    found: dict[str, Problem] = {}
    values: list[list[Any]] = [[] for _ in factors]
    index = {f.path: i for i, f in enumerate(factors)}
    for point in points:
        for fpath, value in point.items():
            seen = values[index[fpath]]
            if not any(v == value and type(v) is type(value) for v in seen):
                seen.append(value)
    for i, (f, vals) in enumerate(zip(factors, values, strict=True)):
        per_value: list[list[Problem]] = []
        for value in vals:
            (text,) = as_overrides({f.path: value})
            origins = {f"--set {text}": _level_key(f, i, value, positions)}
            try:
                load_scenario(scenario_path, (*fixed, text), geography=True)
                per_value.append([])
            except ScenarioError as exc:
                where = locate(positions, origins[f"--set {text}"]) or Location(source)
                per_value.append([q if (q := _relocate(p, origins, positions, source)) is not p else
                                  Problem(p.path, f"{p.message} (when {text}, set at {where})", p.location)
                                  for p in exc.problems])
        messages = [{p.message.partition(": ")[2] for p in ps} for ps in per_value]
        common = set.intersection(*messages) if messages and all(messages) else set()
        if common:  # every value fails the same way: the path is wrong
            where = locate(positions, ("factors", i, "path")) or Location(source)
            for m in sorted(common):
                q = Problem(("factors", i, "path"), f"{f.path}: {m}", where)
                found.setdefault(str(q), q)
            continue
        for ps in per_value:
            for q in ps:
                found.setdefault(str(q), q)
    if found:
        raise ScenarioError(list(found.values()))
    for point in points:
        texts = as_overrides(point)
        try:
            load_scenario(scenario_path, (*fixed, *texts), geography=True)
        except ScenarioError as exc:
            for p in exc.problems:
                q = Problem(p.path, f"{p.message} (the combination {', '.join(texts)})", p.location)
                found.setdefault(str(q), q)
    if found:
        raise ScenarioError(list(found.values()))
