"""Read a finished (or interrupted) sweep directory back into analysis data, and write its analysis.

A sweep directory (``mda-sim sweep``; the layout is the contract of the sweep driver) holds
``sweep.json`` -- the resolved sweep: design, factors, design points in design order, seeds,
kept metrics, the metric to rank on -- and ``results.sqlite``, the
:class:`~mda_sim.study.store.ResultsStore` with one row per run. :func:`read_sweep` turns the two
into a :class:`SweepResults`: the factors as :class:`~mda_sim.analysis.sweep.SweepFactor`, every
``ok`` run as a :class:`~mda_sim.analysis.sweep.SweepRun` (kept metrics only) and every failed run
with its error. :func:`write_sweep_analysis` writes ``points.csv``, ``summary.txt`` and
``summary.json`` from them with the pure functions of :mod:`mda_sim.analysis.sweep`, each file
under a temporary name then renamed.

Neither the engine nor matplotlib is imported: the report (:mod:`mda_sim.report.sweep`) and the
sweep driver both read through here.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mda_sim.analysis.sweep import (
    DEFAULT_MAX_LEVELS,
    SweepFactor,
    SweepRun,
    metric_names,
    point_intervals,
    select_metrics,
)
from mda_sim.analysis.sweep_summary import sweep_summary, sweep_text
from mda_sim.eventlog import write_text_atomic

__all__ = ["FailedSweepRun", "SweepResults", "is_sweep_dir", "read_sweep", "sweep_factor",
           "write_sweep_analysis"]

SWEEP_JSON = "sweep.json"
RESULTS_DB = "results.sqlite"


@dataclass(frozen=True, eq=False)
class FailedSweepRun:
    """A run whose latest attempt failed: where it was in the design, and its error text."""

    point_id: str
    replication: int
    seed: int
    factors: Mapping[str, object]
    error: str


@dataclass(frozen=True, eq=False)
class SweepResults:
    """A sweep directory read back: the resolved sweep (``info``, the parsed ``sweep.json``) and its
    runs. ``points`` are ``(point_id, factors)`` in design order; runs the store holds for points
    ``sweep.json`` no longer lists (the design was edited between runs) are left out; ``metrics``
    are the kept metric names found in the store; ``rank_metric``/``goal`` come from ``rank_by``
    (default: the first kept metric, max)."""

    directory: Path
    info: Mapping[str, object]
    name: str
    design: str
    factors: tuple[SweepFactor, ...]
    points: tuple[tuple[str, Mapping[str, object]], ...]
    runs: tuple[SweepRun, ...]
    failed: tuple[FailedSweepRun, ...]
    metrics: tuple[str, ...]
    rank_metric: str | None
    goal: str
    confidence: float
    replications: int


def is_sweep_dir(path: str | Path) -> bool:
    """A sweep directory: ``sweep.json`` and ``results.sqlite`` both present."""
    p = Path(path)
    return (p / SWEEP_JSON).is_file() and (p / RESULTS_DB).is_file()


def sweep_factor(data: Mapping[str, object], design: str) -> SweepFactor:
    """A ``sweep.json`` factor entry as a :class:`SweepFactor`.

    The entry goes through :class:`mda_sim.study.designs.Factor` (so a bad entry fails with the
    designs' own message): ``values`` are its levels (explicit, or ``n_levels`` over the range;
    ``()`` for a range sampled by a Latin hypercube), and for a one-at-a-time design ``baseline`` is
    :meth:`~mda_sim.study.designs.Factor.baseline_value`, the value the design was built around.
    """
    from mda_sim.study.designs import Factor

    levels = data.get("levels")
    f = Factor(path=data["path"], levels=tuple(levels) if levels is not None else None,  # type: ignore[arg-type]
               low=data.get("low"), high=data.get("high"), n_levels=data.get("n_levels"),  # type: ignore[arg-type]
               integer=bool(data.get("integer") or False), baseline=data.get("baseline"))
    values = f.levels if f.levels is not None else (f.values() if f.n_levels else ())
    baseline = f.baseline_value() if design == "one_at_a_time" else f.baseline
    return SweepFactor(f.path, tuple(values), baseline)


def read_sweep(path: str | Path) -> SweepResults:
    """Read ``sweep.json`` and the results store of the sweep directory ``path``.

    Raises
    ------
    ValueError
        ``path`` is not a sweep directory, or its ``sweep.json`` is not a resolved sweep (the
        message names the file and the problem).
    """
    from mda_sim.study.store import ResultsStore

    directory = Path(path)
    if not is_sweep_dir(directory):
        raise ValueError(f"{directory}: not a sweep directory ({SWEEP_JSON} and {RESULTS_DB})")
    where = directory / SWEEP_JSON
    try:
        info = json.loads(where.read_text(encoding="utf-8"))
        design = str((info.get("design") or {}).get("name", ""))
        factors = tuple(sweep_factor(f, design) for f in info.get("factors", []))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{where}: not a resolved sweep: {exc}") from None
    paths = [f.path for f in factors]
    with ResultsStore(directory / RESULTS_DB) as store:
        stored_runs = store.runs()
    stored = sorted({m for _, _, ms in stored_runs for m in ms})
    kept = select_metrics(stored, [str(p) for p in info.get("metrics") or ["*"]])
    known = {k for _, fs, _ in stored_runs for k in fs}
    runs, failed = [], []
    for fixed, fs, ms in stored_runs:
        fv = {p: fs.get(p) for p in paths if p in known}
        if fixed["status"] == "ok":
            runs.append(SweepRun(fixed["point_id"], int(fixed["replication"]), fv, {m: ms.get(m) for m in kept}))
        else:
            failed.append(FailedSweepRun(fixed["point_id"], int(fixed["replication"]), int(fixed["seed"]), fv,
                                         str(fixed.get("error") or "")))
    points = {str(p["point_id"]): dict(p.get("factors", {})) for p in info.get("points", [])}
    if points:  # rows of design points no longer in the sweep (an edited design) are left out
        runs = [r for r in runs if r.point_id in points]
        failed = [r for r in failed if r.point_id in points]
    rank_by = info.get("rank_by") or {}
    metric = rank_by.get("metric")
    if metric not in kept:
        metric = kept[0] if kept else None
    return SweepResults(
        directory=directory, info=info, name=str(info.get("name", directory.name)), design=design,
        factors=factors, points=tuple(points.items()), runs=tuple(runs), failed=tuple(failed),
        metrics=tuple(kept), rank_metric=metric, goal=str(rank_by.get("goal", "max")),
        confidence=float(info.get("confidence") or 0.95),
        replications=int(info.get("replications") or len({r.replication for r in runs})))


def _cell(x: object) -> object:
    if isinstance(x, float) and not math.isfinite(x):
        return ""
    return x


def points_csv(results: SweepResults) -> str:
    """One row per design point (design order): ``point_id``, ``factor:<path>`` columns, ``runs_ok``,
    then per kept metric ``<metric>``, ``<metric>:half_width``, ``<metric>:low``, ``<metric>:high``
    (Student-t over the point's replications; empty where undefined)."""
    names = list(results.metrics) or metric_names(results.runs)
    intervals = point_intervals(results.runs, results.confidence, names)
    counts: dict[str, int] = {}
    for r in results.runs:
        counts[r.point_id] = counts.get(r.point_id, 0) + 1
    head = ["point_id", *(f"factor:{f.path}" for f in results.factors), "runs_ok"]
    for m in names:
        head += [m, f"{m}:half_width", f"{m}:low", f"{m}:high"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    for pid, fv in results.points:
        row = [pid, *(fv.get(f.path, "") for f in results.factors), counts.get(pid, 0)]
        for m in names:
            iv = intervals.get(pid, {}).get(m)
            row += [_cell(iv.mean), _cell(iv.half_width), _cell(iv.low), _cell(iv.high)] if iv else [""] * 4
        w.writerow(row)
    return buf.getvalue()


def write_sweep_analysis(path: str | Path, *, max_levels: int = DEFAULT_MAX_LEVELS) -> dict[str, Path]:
    """Write ``points.csv``, ``summary.txt`` and ``summary.json`` of the sweep directory ``path``
    (each atomically); returns them by name. Without a finished run only ``points.csv`` and a
    ``summary.txt`` saying so are written."""
    results = read_sweep(path)
    out = results.directory
    written = {"points.csv": write_text_atomic(out / "points.csv", points_csv(results))}
    if not results.runs or results.rank_metric is None:
        text = f"Sweep {results.name}: no finished run ({len(results.failed)} failed)\n"
        written["summary.txt"] = write_text_atomic(out / "summary.txt", text)
        return written
    kw = {"design": results.design, "goal": results.goal, "confidence": results.confidence,
          "max_levels": max_levels}
    text = sweep_text(results.runs, results.factors, results.rank_metric, n_failed=len(results.failed), **kw)
    written["summary.txt"] = write_text_atomic(out / "summary.txt", text + "\n")
    summary = {"name": results.name, "runs_ok": len(results.runs), "runs_failed": len(results.failed),
               **sweep_summary(results.runs, results.factors, results.rank_metric, **kw)}
    written["summary.json"] = write_text_atomic(
        out / "summary.json", json.dumps(summary, indent=1, allow_nan=False) + "\n")
    return written
