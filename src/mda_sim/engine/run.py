"""One replication from a loaded scenario to a run directory.

A run directory holds exactly what a later stage needs and nothing it would have to recompute:

- ``manifest.json`` — package version, log format version, scenario hash, seed, duration, the
  scenario files and ``--set`` overrides, event count and the SHA-256 of the event log;
- ``scenario.json`` — the resolved scenario (after ``extends`` and overrides), canonical JSON;
- ``events.jsonl`` — the event log, canonical JSON lines (:mod:`mda_sim.eventlog.io`);
- ``voyages.csv``, ``assets.csv``, ``metrics.csv``, ``summary.json`` — tidy tables (one row per
  voyage, per asset, per metric) and the metrics with the exercise scorecard, for pandas;
- ``summary.txt`` — the summary printed at the end of the run: detection by flow, then every
  illicit voyage's outcome, reason and citation, and the legal decisions by citation.

Every file is written under a temporary name and renamed, the manifest last: a directory with a
manifest is complete, one without is an interrupted run and is overwritten by the next.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from mda_sim import __version__
from mda_sim.analysis.metrics import asset_table, run_analyzers, voyage_table
from mda_sim.analysis.outcomes import (
    check_one_outcome_per_illicit_voyage,
    legal_impact,
    lost_to_law,
    outcome_rows,
    outcomes_table,
)
from mda_sim.analysis.scorecard import score_objectives, scorecard_table
from mda_sim.analysis.stats import Interval
from mda_sim.analysis.voyages import summarise_voyages, summary_table, voyage_facts
from mda_sim.engine.world import World
from mda_sim.eventlog import LOG_FORMAT_VERSION, EventLog, write_events, write_text_atomic
from mda_sim.scenario.loader import Scenario, canonical_json

__all__ = ["RunResult", "run_scenario", "simulate", "strict_json", "write_text_atomic"]


@dataclass(frozen=True)
class RunResult:
    """What a run produced: its directory, log and summary table."""

    out_dir: Path
    log: EventLog
    summary: str
    manifest: dict


def _csv_rows(rows: list) -> str:
    """Dataclass rows as CSV text (a header of the field names; floats by repr, so NaN is 'nan'),
    ready for ``pandas.read_csv``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if rows:
        names = [f.name for f in fields(rows[0])]
        w.writerow(names)
        for r in rows:
            w.writerow([repr(v) if isinstance(v, float) else v for v in (getattr(r, n) for n in names)])
    return buf.getvalue()


def strict_json(obj) -> str:
    """Strict JSON (NaN and infinities as null), sorted keys."""
    def clean(x):
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [clean(v) for v in x]
        return x
    return json.dumps(clean(obj), indent=2, sort_keys=True) + "\n"


def _progress_process(world: World, bar):
    step_h = max(world.duration_h / 200.0, 0.1)
    while True:
        yield world.env.timeout(step_h)
        bar.update(min(step_h, world.duration_h - bar.n))


def simulate(scenario: Scenario, *, seed: int | None = None, duration_h: float | None = None,
             progress: bool = False) -> tuple[World, EventLog]:
    """Run ``scenario`` in memory: the finished world and its event log, nothing written.

    The log is checked for exactly one outcome per illicit voyage; a break is an engine defect and
    raises :class:`RuntimeError` rather than letting a wrong log reach the analyzers. A sweep that
    keeps no logs calls this and the analyzers directly; :func:`run_scenario` writes the same log.
    """
    world = World(scenario.spec, seed=seed, duration_h=duration_h)
    if progress:
        from tqdm import tqdm

        with tqdm(total=world.duration_h, unit="h sim", desc="simulating", leave=False) as bar:
            world.env.process(_progress_process(world, bar))
            log = world.run()
    else:
        log = world.run()
    problems = check_one_outcome_per_illicit_voyage(log)
    if problems:  # an engine defect, never a user error: say so loudly rather than write a wrong summary
        raise RuntimeError("event log breaks 'one outcome per illicit voyage': " + "; ".join(problems[:5]))
    return world, log


def run_scenario(scenario: Scenario, out_dir: str | Path, *, seed: int | None = None,
                 duration_h: float | None = None, progress: bool = False) -> RunResult:
    """Build a world from ``scenario``, run it, and write the run directory ``out_dir``.

    Parameters
    ----------
    scenario
        A loaded scenario (:func:`mda_sim.scenario.load_scenario`).
    out_dir
        Directory to write (created if needed; an existing run there is replaced).
    seed, duration_h
        Override the scenario's ``run.seed`` and ``run.duration_h`` [h].
    progress
        Show a progress bar over simulated time (tqdm, on standard error).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest_path.unlink()  # the directory is incomplete until the new manifest lands
    world, log = simulate(scenario, seed=seed, duration_h=duration_h, progress=progress)
    write_text_atomic(out / "scenario.json", canonical_json(scenario.resolved) + "\n")
    events_path = write_events(out / "events.jsonl", log)
    table = summary_table(summarise_voyages(voyage_facts(log)))
    table += "\n\n" + outcomes_table(outcome_rows(log), legal_impact(log), lost_to_law(log))
    metrics = run_analyzers(log, world.duration_h)
    single = {k: Interval(v, 0.0, v, v, 1, "single run") for k, v in metrics.items()}
    scores = score_objectives(scenario.spec.exercise.objectives, single)
    if scores:
        table += "\n\n" + scorecard_table(scores)
    write_text_atomic(out / "voyages.csv", _csv_rows(voyage_table(log)))
    write_text_atomic(out / "assets.csv", _csv_rows(asset_table(log, world.duration_h)))
    write_text_atomic(out / "metrics.csv", "metric,value\n" + "".join(f"{k},{v!r}\n" for k, v in metrics.items()))
    write_text_atomic(out / "summary.json", strict_json({"metrics": metrics, "scorecard": [asdict(sc) for sc in scores],
                                             "seed": world.seed, "duration_h": world.duration_h}))
    write_text_atomic(out / "summary.txt", table + "\n")
    manifest = {
        "package": "mda_sim",
        "version": __version__,
        "log_format": LOG_FORMAT_VERSION,
        "scenario_name": scenario.spec.name,
        "scenario_sha256": scenario.digest,
        "scenario_files": [str(f) for f in scenario.files],
        "overrides": list(scenario.overrides),
        "seed": world.seed,
        "start_utc": scenario.spec.run.start_utc.isoformat(),
        "duration_h": world.duration_h,
        "events": len(log),
        "events_sha256": hashlib.sha256(events_path.read_bytes()).hexdigest(),
    }
    write_text_atomic(manifest_path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return RunResult(out, log, table, manifest)
