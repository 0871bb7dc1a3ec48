"""Replications of a scenario on local processes, metrics with confidence intervals, paired comparison.

**Seeds.** Replication ``i`` of a study with base seed ``s`` runs with
``replication_seed(s, i)`` (a ``numpy.random.SeedSequence([s, i])`` draw), whatever the scenario:
replication ``i`` of a baseline and of an excursion therefore share every named random stream
(common random numbers, DESIGN.md §3), which is what makes their paired difference precise.

**Intervals.** Each metric's replication values get a Student-t interval (Law & Kelton, *Simulation
Modeling and Analysis*, §9.4.1); a comparison pairs replications by index and gives the paired-t
interval of the difference (§10.2.1), with the unpaired Welch interval (§10.2.2) beside it for
contrast (:mod:`mda_sim.analysis.stats`).

**Outputs** (each file written under a temporary name and renamed, so an interrupted study never
leaves a half-written file): ``rep-NNNN/`` run directories (:func:`mda_sim.engine.run.run_scenario`),
``metrics.csv`` (one row per replication: replication, seed, then every metric), ``summary.json``
(the study, and per metric mean, half width, low, high, n, method) and ``summary.txt``.
Replications run in a :class:`concurrent.futures.ProcessPoolExecutor` (``spawn`` start method, the
portable one) when ``workers`` > 1, in this process otherwise: the same function either way.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from mda_sim.analysis.scorecard import score_objectives, scorecard_table
from mda_sim.analysis.stats import Interval, paired_diff_ci, summarise_metrics, welch_diff_ci
from mda_sim.engine.run import strict_json, write_text_atomic

__all__ = ["Comparison", "ReplicationSet", "compare", "comparison_table", "intervals_table", "replication_seed",
           "run_replications", "study_text"]


def replication_seed(base_seed: int, index: int) -> int:
    """The run seed of replication ``index`` (0-based) of a study with ``base_seed`` (< 2**63).

    >>> replication_seed(1, 0) == replication_seed(1, 0) != replication_seed(1, 1)
    True
    """
    if base_seed < 0 or index < 0:
        raise ValueError(f"base_seed = {base_seed}, index = {index}: both must be >= 0")
    state = np.random.SeedSequence([int(base_seed), int(index)]).generate_state(1, dtype=np.uint64)[0]
    return int(state) >> 1


def _one(job: tuple) -> tuple[int, int, dict[str, float], float]:
    """Run one replication (in a worker process or this one); its index, seed, metrics, wall time."""
    scenario_path, overrides, index, seed, out_dir, duration_h = job
    from mda_sim.analysis.metrics import run_analyzers
    from mda_sim.engine.run import run_scenario
    from mda_sim.scenario import load_scenario

    t0 = time.perf_counter()
    scenario = load_scenario(scenario_path, overrides)
    result = run_scenario(scenario, out_dir, seed=seed, duration_h=duration_h)
    metrics = run_analyzers(result.log, float(result.manifest["duration_h"]))
    return index, seed, metrics, time.perf_counter() - t0


@dataclass(frozen=True)
class ReplicationSet:
    """A finished study: seeds, per-replication metrics (in replication order) and intervals."""

    out_dir: Path
    seeds: list[int]
    metrics: list[dict[str, float]]
    intervals: dict[str, Interval]
    confidence: float
    scores: list = field(default_factory=list)
    """Exercise objectives scored on the intervals (:mod:`mda_sim.analysis.scorecard`)."""

    def values(self, metric: str) -> list[float]:
        return [m.get(metric, math.nan) for m in self.metrics]


def run_replications(scenario_path: str | Path, out_dir: str | Path, replications: int, *,
                     overrides: Sequence[str] = (), workers: int = 1, base_seed: int | None = None,
                     duration_h: float | None = None, confidence: float = 0.95,
                     progress: bool = False) -> ReplicationSet:
    """Run ``replications`` seeds of a scenario and summarise every metric with an interval.

    ``base_seed`` defaults to the scenario's ``run.seed``. See the module notes for seeds, outputs
    and the interval method.
    """
    from mda_sim.scenario import load_scenario

    if replications < 1:
        raise ValueError(f"replications = {replications}: must be >= 1")
    if workers < 1:
        raise ValueError(f"workers = {workers}: must be >= 1")
    scenario = load_scenario(scenario_path, overrides)  # fail here, before any run, on a bad file
    base = scenario.spec.run.seed if base_seed is None else int(base_seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seeds = [replication_seed(base, i) for i in range(replications)]
    jobs = [(str(scenario_path), tuple(overrides), i, seeds[i], str(out / f"rep-{i:04d}"), duration_h)
            for i in range(replications)]
    results: dict[int, dict[str, float]] = {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=replications, unit="rep", desc="replications", leave=False)
    if workers == 1:
        for job in jobs:
            i, _, metrics, _ = _one(job)
            results[i] = metrics
            if bar is not None:
                bar.update(1)
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            for fut in as_completed([pool.submit(_one, job) for job in jobs]):
                i, _, metrics, _ = fut.result()
                results[i] = metrics
                if bar is not None:
                    bar.update(1)
    if bar is not None:
        bar.close()
    per_rep = [results[i] for i in range(replications)]
    intervals = summarise_metrics(per_rep, confidence)
    scores = score_objectives(scenario.spec.exercise.objectives, intervals)
    study = ReplicationSet(out, seeds, per_rep, intervals, confidence, scores)
    _write_outputs(study, scenario_path, overrides, base, scenario.digest)
    return study


def _csv(rows: list[list]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _write_outputs(study: ReplicationSet, scenario_path, overrides, base_seed: int, digest: str) -> None:
    names = list(study.intervals)
    rows = [["replication", "seed", *names]]
    for i, (seed, m) in enumerate(zip(study.seeds, study.metrics, strict=True)):
        rows.append([i, seed, *(repr(m.get(k, math.nan)) for k in names)])
    write_text_atomic(study.out_dir / "metrics.csv", _csv(rows))
    summary = {
        "scenario": str(scenario_path), "overrides": list(overrides), "scenario_sha256": digest,
        "base_seed": base_seed, "replications": len(study.seeds), "seeds": study.seeds,
        "confidence": study.confidence, "metrics": {k: v.as_dict() for k, v in study.intervals.items()},
        "scorecard": [asdict(sc) for sc in study.scores],
    }
    write_text_atomic(study.out_dir / "summary.json", strict_json(summary))
    write_text_atomic(study.out_dir / "summary.txt", study_text(study) + "\n")


def study_text(study: ReplicationSet) -> str:
    """The metrics table and the exercise scorecard."""
    return intervals_table(study.intervals, study.confidence) + "\n\n" + scorecard_table(study.scores)


def _num(x: float) -> str:
    if not math.isfinite(x):
        return "-"
    return f"{x:.4g}"


def intervals_table(intervals: dict[str, Interval], confidence: float) -> str:
    """Every metric: mean, +- half width, [low, high], n."""
    width = max((len(k) for k in intervals), default=6)
    head = f"{'metric':<{width}}  {'mean':>10}  {'+-':>10}  {'low':>10}  {'high':>10}  {'n':>4}"
    lines = [f"Metrics over replications, {confidence:.0%} Student-t intervals (Law & Kelton 9.4.1)",
             head, "-" * len(head)]
    for k, iv in intervals.items():
        lines.append(f"{k:<{width}}  {_num(iv.mean):>10}  {_num(iv.half_width):>10}  {_num(iv.low):>10}  "
                     f"{_num(iv.high):>10}  {iv.n:>4}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Comparison:
    """Paired differences (excursion - baseline) per metric, with the unpaired interval beside."""

    base: ReplicationSet
    excursion: ReplicationSet
    paired: dict[str, Interval]
    unpaired: dict[str, Interval]


def compare(base_path: str | Path, excursion_path: str | Path, out_dir: str | Path, replications: int, *,
            workers: int = 1, base_seed: int | None = None, duration_h: float | None = None,
            confidence: float = 0.95, overrides: Sequence[str] = (), progress: bool = False) -> Comparison:
    """Run both scenarios with the same replication seeds and difference every common metric.

    The seeds come from ``base_seed`` (default: the baseline's ``run.seed``) for both studies, so
    replication ``i`` of each shares its random numbers.
    """
    from mda_sim.scenario import load_scenario

    out = Path(out_dir)
    seed = load_scenario(base_path, overrides).spec.run.seed if base_seed is None else base_seed
    load_scenario(excursion_path, overrides)  # both files checked before anything runs
    a = run_replications(base_path, out / "base", replications, overrides=overrides, workers=workers,
                         base_seed=seed, duration_h=duration_h, confidence=confidence, progress=progress)
    b = run_replications(excursion_path, out / "excursion", replications, overrides=overrides, workers=workers,
                         base_seed=seed, duration_h=duration_h, confidence=confidence, progress=progress)
    names = [k for k in a.intervals if k in b.intervals]
    paired = {k: paired_diff_ci(a.values(k), b.values(k), confidence) for k in names}
    unpaired = {k: welch_diff_ci(a.values(k), b.values(k), confidence) for k in names}
    comp = Comparison(a, b, paired, unpaired)
    write_text_atomic(out / "comparison.txt", comparison_table(comp) + "\n")
    write_text_atomic(out / "comparison.json", strict_json({
        "base": str(base_path), "excursion": str(excursion_path), "replications": replications,
        "base_seed": seed, "confidence": confidence,
        "metrics": {k: {"base": a.intervals[k].as_dict(), "excursion": b.intervals[k].as_dict(),
                        "paired_difference": paired[k].as_dict(),
                        "unpaired_difference": unpaired[k].as_dict()} for k in names},
    }))
    return comp


def comparison_table(comp: Comparison) -> str:
    """Per metric: baseline and excursion means, the paired difference +- half width, and the
    unpaired half width for contrast; '*' marks a paired interval that excludes zero."""
    names = list(comp.paired)
    width = max((len(k) for k in names), default=6)
    head = (f"{'metric':<{width}}  {'base':>10}  {'excursion':>10}  {'difference':>10}  {'+- paired':>10}  "
            f"{'+- unpaired':>11}")
    title = ("Excursion - baseline, paired by replication (common random numbers); paired-t interval "
             "(Law & Kelton 10.2.1), Welch unpaired for contrast")
    lines = [title, head, "-" * len(head)]
    for k in names:
        p, u = comp.paired[k], comp.unpaired[k]
        star = " *" if p.excludes(0.0) else ""
        lines.append(f"{k:<{width}}  {_num(comp.base.intervals[k].mean):>10}  "
                     f"{_num(comp.excursion.intervals[k].mean):>10}  {_num(p.mean):>10}  {_num(p.half_width):>10}  "
                     f"{_num(u.half_width):>11}{star}")
    return "\n".join(lines)
