"""A sweep's analysis as text (``summary.txt``) and as JSON-ready data (``summary.json``) (pure).

The numbers come from :mod:`mda_sim.analysis.sweep` (per-point intervals, ranking with the paired
difference from the best, main effects); this module only lays them out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from mda_sim.analysis.sweep import (
    DEFAULT_MAX_LEVELS,
    ONE_AT_A_TIME,
    SweepFactor,
    SweepRun,
    _check_confidence,
    _label,
    _points,
    main_effects,
    point_intervals,
    ranking,
)

__all__ = ["sweep_summary", "sweep_text"]


def _num(x: float) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:.4g}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], right_from: int) -> list[str]:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(head)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if i >= right_from else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    text = [line(head)]
    return [*text, "-" * len(text[0]), *(line(r) for r in rows)]


def sweep_text(runs: Iterable[SweepRun], factors: Sequence[SweepFactor], metric: str, *,
               design: str, goal: str = "max", confidence: float = 0.95,
               max_levels: int = DEFAULT_MAX_LEVELS, n_failed: int = 0) -> str:
    """The plain-text summary of a sweep (``summary.txt``) for ``metric``.

    Three tables: every design point (in order of first appearance) with its factor values and the
    metric's interval; the :func:`ranking` with each point's paired difference from the best; and
    the :func:`main_effects` of every factor.
    """
    runs = list(runs)
    level = f"{100 * _check_confidence(confidence):g}%"
    paths = [f.path for f in factors]
    rank = ranking(runs, metric, goal=goal, confidence=confidence)
    by_point = {row.point_id: row for row in rank}
    n_reps = len({r.replication for r in runs})
    lines = [(f"Sweep: {len(by_point)} design points ({design}), {n_reps} replications, "
              f"{len(runs)} runs ok, {n_failed} failed"),
             (f"Metric {metric} ({goal} is better); {level} Student-t intervals over replications "
              "(Law & Kelton 9.4.1)"), "", "Design points"]
    rows = [[pid, *(_label(row.factors.get(p, "-")) for p in paths), _num(row.interval.mean),
             _num(row.interval.half_width), str(row.interval.n)]
            for pid, row in ((pid, by_point[pid]) for pid in _points(runs))]
    lines += _table(["point", *paths, "mean", "+-", "n"], rows, 1 + len(paths))
    lines += ["", (f"Ranking on {metric}, best first; difference from the best: {level} paired t "
                   "over replications (common random numbers, Law & Kelton 10.2.1)")]
    rows = [[str(r.rank), r.point_id, _num(r.interval.mean), _num(r.interval.half_width),
             _num(r.diff_from_best.mean), _num(r.diff_from_best.low), _num(r.diff_from_best.high),
             "yes" if r.differs_from_best else "no"] for r in rank]
    lines += _table(["rank", "point", "mean", "+-", "diff", "low", "high", "differs"], rows, 2)
    lines += ["", f"Main effects on {metric}: per replication the mean over the level's runs, then "
              f"{level} Student t over replications; effect = level minus the reference level, "
              f"{level} paired t over replications"
              + (" (one at a time: other factors at baseline)" if design == ONE_AT_A_TIME else "")]
    effects = main_effects(runs, factors, metric, design=design, confidence=confidence,
                           max_levels=max_levels)
    for path, levels in effects.items():
        rows = [[lv.label, _num(lv.interval.mean), _num(lv.interval.half_width), _num(lv.interval.low),
                 _num(lv.interval.high), str(lv.n_points), str(lv.interval.n),
                 *(["(reference)", "", "", ""] if lv.reference or lv.effect is None else
                   [_num(lv.effect.mean), _num(lv.effect.low), _num(lv.effect.high),
                    "yes" if lv.effect.excludes(0.0) else "no"])] for lv in levels]
        lines += ["", f"factor {path}"]
        lines += _table(["level", "mean", "+-", "low", "high", "points", "reps", "effect", "low", "high",
                         "nonzero"], rows, 1)
    return "\n".join(lines)


def _plain(v: object) -> object:
    if isinstance(v, np.generic):
        return v.item()
    return v


def sweep_summary(runs: Iterable[SweepRun], factors: Sequence[SweepFactor], metric: str, *,
                  design: str, goal: str = "max", confidence: float = 0.95,
                  max_levels: int = DEFAULT_MAX_LEVELS) -> dict:
    """The sweep analysis as strict-JSON-ready data (NaN as ``None``): every point's metrics with
    intervals, the :func:`ranking` on ``metric`` and its :func:`main_effects`."""
    runs = list(runs)
    points = _points(runs)
    per_point = point_intervals(runs, confidence)
    rank = ranking(runs, metric, goal=goal, confidence=confidence)
    effects = main_effects(runs, factors, metric, design=design, confidence=confidence,
                           max_levels=max_levels)
    return {
        "metric": metric, "goal": goal, "confidence": confidence, "design": design,
        "points": [{"point_id": pid, "factors": {k: _plain(v) for k, v in points[pid].items()},
                    "metrics": {m: iv.as_dict() for m, iv in per_point[pid].items()}}
                   for pid in points],
        "ranking": [{"rank": r.rank, "point_id": r.point_id, "interval": r.interval.as_dict(),
                     "diff_from_best": r.diff_from_best.as_dict(),
                     "differs_from_best": r.differs_from_best} for r in rank],
        "main_effects": {path: [{"label": lv.label, "value": _plain(lv.value),
                                 "bounds": list(lv.bounds) if lv.bounds else None,
                                 "n_points": lv.n_points, "interval": lv.interval.as_dict(),
                                 "reference": lv.reference,
                                 "effect": lv.effect.as_dict() if lv.effect is not None else None}
                                for lv in levels] for path, levels in effects.items()},
    }
