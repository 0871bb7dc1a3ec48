"""Exercise scorecards: each objective of the scenario scored against its metric (pure).

An objective (``exercise.objectives``) names a metric produced by the analyzers
(:mod:`mda_sim.analysis.metrics`), a comparator (``>=`` or ``<=``), a ``target`` and optionally a
``partial_target`` on the unmet side. The score uses the metric's mean over replications (or its
value in a single run): **met** if the mean reaches the target, **partly met** if it reaches only the
partial target, **not met** otherwise, **not scored** if no run produced the metric. The interval is
reported beside it, with ``confident`` = the whole interval is on the met side of the target (so a
planner can tell "met on average" from "met beyond doubt").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mda_sim.analysis.stats import Interval

__all__ = ["Score", "score_objectives", "scorecard_table"]

MET, PARTLY, NOT_MET, NOT_SCORED = "met", "partly met", "not met", "not scored"


@dataclass(frozen=True)
class Score:
    objective: str
    description: str
    metric: str
    comparator: str
    target: float
    partial_target: float | None
    value: float
    low: float
    high: float
    status: str
    confident: bool


def _reaches(value: float, comparator: str, threshold: float) -> bool:
    return value >= threshold if comparator == ">=" else value <= threshold


def score_objectives(objectives: Iterable, intervals: Mapping[str, Interval]) -> list[Score]:
    """Score every objective against ``intervals`` (metric name -> interval; a single run's value
    is an interval with ``low == high == mean``)."""
    out = []
    for o in objectives:
        iv = intervals.get(o.metric)
        value = iv.mean if iv is not None else math.nan
        low = iv.low if iv is not None else math.nan
        high = iv.high if iv is not None else math.nan
        if not math.isfinite(value):
            status, confident = NOT_SCORED, False
        elif _reaches(value, o.comparator, o.target):
            status = MET
            worst = low if o.comparator == ">=" else high
            confident = math.isfinite(worst) and _reaches(worst, o.comparator, o.target)
        elif o.partial_target is not None and _reaches(value, o.comparator, o.partial_target):
            status, confident = PARTLY, False
        else:
            status, confident = NOT_MET, False
        out.append(Score(o.id, o.description, o.metric, o.comparator, float(o.target),
                         None if o.partial_target is None else float(o.partial_target),
                         value, low, high, status, confident))
    return out


def _num(x: float) -> str:
    return f"{x:.3g}" if math.isfinite(x) else "-"


def scorecard_table(scores: list[Score]) -> str:
    """Plain-text scorecard: objective, status, value [interval], target."""
    if not scores:
        return "Exercise scorecard: no objectives in the scenario"
    w = max(len(s.objective) for s in scores)
    lines = [("Exercise scorecard (the metric's value, its mean over replications if several, with the interval; "
             "'!' = the whole interval meets the target)")]
    for s in scores:
        partial = f", partly {s.comparator} {s.partial_target:g}" if s.partial_target is not None else ""
        mark = " !" if s.confident else ""
        lines.append(f"{s.objective:<{w}}  {s.status:<10}{mark:2}  {s.metric} = {_num(s.value)} "
                     f"[{_num(s.low)}, {_num(s.high)}]  target {s.comparator} {s.target:g}{partial}")
    return "\n".join(lines)
