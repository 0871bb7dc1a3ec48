"""Analysis of a parameter sweep: per-point intervals, main effects, interactions, ranking (pure).

A sweep runs every **design point** (one value per factor) for ``R`` replications, and replication
``i`` of *every* point runs with the same seed (common random numbers, CRN: Law & Kelton,
*Simulation Modeling and Analysis*, 5th ed., 2015, §11.2). So the runs of one point are independent
of each other, but the runs of different points that share a replication index are *not*: they
share every named random stream. Every interval here is therefore built with the **replication as
the independent unit**:

* :func:`point_intervals` -- a point's replications are independent: each metric gets the Student-t
  interval over them (Law & Kelton §9.4.1);
* :func:`main_effects` -- for each factor level and each replication ``i``, the mean of the metric
  over the runs of replication ``i`` at that level (averaging over the other factors); then the
  Student-t interval over those per-replication means. Averaging within a replication first keeps
  the correlated runs together, so the ``R`` values are independent and the interval is honest (a
  pooled interval over all runs would treat ``points x R`` correlated runs as independent and be too
  narrow);
* :func:`interaction` -- the same for each cell (level of ``a``, level of ``b``);
* :func:`ranking` -- points by mean, best first, each with the paired-t interval (Law & Kelton
  §10.2.1) of its difference from the best point, pairing runs by replication. Under CRN the pairs
  are positively correlated, so this interval is much narrower than an unpaired one.

**Levels.** A factor with at most ``max_levels`` distinct values among the points is grouped by
value (numbers sorted; other values in the order the factor declares them). A numeric factor with
more (a Latin hypercube range, where every point has its own value) is grouped into ``max_levels``
bins holding equal numbers of design points (equal values always share a bin), labelled
``"low–high"`` by the lowest and highest value in the bin.

**One at a time.** A one-at-a-time design moves one factor at a time from the baseline point, so a
factor's effect is read only from the points where every *other* factor is at its baseline (the
baseline point belongs to every factor's baseline group). Its interactions are not estimable:
:func:`interaction` raises :class:`ValueError`.

Missing, ``None`` and non-finite metric values are NaN and are left out of every mean; a replication
with no finite value in a group is left out of that group's interval (its ``n`` says how many
replications were used). Like every analyzer this is pure: numpy and the standard library only.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mda_sim.analysis.stats import Interval, mean_ci, paired_diff_ci

__all__ = [
    "DEFAULT_MAX_LEVELS",
    "DESIGN_NAMES",
    "ONE_AT_A_TIME",
    "EffectLevel",
    "InteractionGrid",
    "LevelGroup",
    "RankRow",
    "SweepFactor",
    "SweepRun",
    "interaction",
    "level_groups",
    "main_effects",
    "metric_names",
    "point_intervals",
    "ranking",
    "select_metrics",
]

#: The design names of ``mda_sim.study.designs.DESIGNS`` (repeated here: analysis imports no study).
DESIGN_NAMES = ("full_factorial", "latin_hypercube", "one_at_a_time")
ONE_AT_A_TIME = "one_at_a_time"
GOALS = ("max", "min")
#: Most groups a factor is split into before its values are binned.
DEFAULT_MAX_LEVELS = 6

_NAN = math.nan


# --- data -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SweepRun:
    """One finished run of a sweep: its design point, replication index, factor values, metrics.

    ``metrics`` values may be ``None`` or missing (the run did not measure that metric): they read
    as NaN through :meth:`value`.
    """

    point_id: str
    replication: int
    factors: Mapping[str, object]
    metrics: Mapping[str, float | None]

    def value(self, metric: str) -> float:
        """The metric as a float; NaN when missing, ``None``, non-numeric or non-finite."""
        v = self.metrics.get(metric)
        x = float(v) if _is_number(v) else _NAN  # None, bool, text: not a measurement
        return x if math.isfinite(x) else _NAN


@dataclass(frozen=True)
class SweepFactor:
    """A swept factor: its key path, its declared levels (``()`` for a sampled range) and its
    one-at-a-time baseline (``None``: the value most points share)."""

    path: str
    values: tuple = ()
    baseline: object | None = None


@dataclass(frozen=True)
class LevelGroup:
    """One group of a factor's values: a single value, or (``bounds`` set) a bin of values.

    ``value`` is the level's value, or for a bin the mean of its design points' values (where to
    draw it on a numeric axis); ``bounds`` is ``(lowest, highest)`` value in a bin, else ``None``.
    """

    label: str
    value: object
    bounds: tuple[float, float] | None = None


@dataclass(frozen=True)
class EffectLevel:
    """One level of a main effect: the level, the interval of the metric's mean there (Student t
    over per-replication means), and how many design points the level holds.

    ``effect`` is the effect itself: the paired-t interval (Law & Kelton §10.2.1) of this level's
    mean minus the reference level's, paired by replication. Under common random numbers it is
    far narrower than the two levels' own intervals, so it is the one to read for "does this
    factor matter" (overlapping level intervals do not mean "no effect"). The reference is the
    first level, or the factor's baseline in a one-at-a-time design; its own ``effect`` is 0."""

    label: str
    value: object
    bounds: tuple[float, float] | None
    interval: Interval
    n_points: int
    effect: Interval | None = None
    reference: bool = False


@dataclass(frozen=True)
class InteractionGrid:
    """The metric's interval in every cell (level ``i`` of factor ``a``, level ``j`` of ``b``):
    ``cells[i][j]``, from ``n_points[i][j]`` design points (0: an empty cell, NaN interval)."""

    a: str
    b: str
    metric: str
    a_levels: tuple[LevelGroup, ...]
    b_levels: tuple[LevelGroup, ...]
    cells: tuple[tuple[Interval, ...], ...]
    n_points: tuple[tuple[int, ...], ...]
    contrasts: tuple[tuple[Interval | None, ...], ...] = ()
    """``contrasts[i][j]`` for ``i, j >= 1``: the interaction contrast of cell ``(i, j)`` against
    the first levels, ``y_ij - y_i0 - y_0j + y_00`` per replication (the difference of the two
    effects of ``a``), with its Student-t interval over replications; ``None`` in row and column 0.
    Zero means no interaction; common random numbers cancel in it, as in a main effect."""

    def means(self) -> np.ndarray:
        """Cell means as an array, rows ``a`` levels, columns ``b`` levels (NaN where empty)."""
        return np.array([[c.mean for c in row] for row in self.cells], dtype=float)


@dataclass(frozen=True, eq=False)
class RankRow:
    """A design point in a ranking: its place (1 = best), the metric's interval over its
    replications, and the paired-t interval of ``this - best`` over shared replications."""

    rank: int
    point_id: str
    factors: Mapping[str, object]
    interval: Interval
    diff_from_best: Interval
    differs_from_best: bool


# --- helpers --------------------------------------------------------------------------------


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _key(v: object) -> tuple:
    """A hashable key under which equal scenario values meet: ``2 == 2.0``, ``True != 1``."""
    if isinstance(v, (bool, np.bool_)):
        return ("b", bool(v))
    if _is_number(v):
        return ("n", float(f"{float(v):.12g}"))  # type: ignore[arg-type]
    if v is None:
        return ("z",)
    return ("s", str(v))


def _same(a: object, b: object) -> bool:
    """Equal values of the same kind (``1`` and ``True`` differ; ``2`` and ``2.0`` are equal)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def _label(v: object) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if _is_number(v):
        x = float(v)  # type: ignore[arg-type]
        return str(int(x)) if x == int(x) and abs(x) < 1e15 else f"{x:.4g}"
    return str(v)


def _points(runs: Iterable[SweepRun]) -> dict[str, Mapping[str, object]]:
    """Point id -> factor values, in order of first appearance."""
    out: dict[str, Mapping[str, object]] = {}
    for r in runs:
        out.setdefault(r.point_id, r.factors)
    return out


def _check_confidence(confidence: float) -> float:
    if not 0.0 < float(confidence) < 1.0:
        raise ValueError(f"confidence = {confidence!r}: must be in (0, 1)")
    return float(confidence)


def _check_design(design: str) -> str:
    if design not in DESIGN_NAMES:
        raise ValueError(f"design = {design!r}: unknown; designs: {', '.join(DESIGN_NAMES)}")
    return design


def _factor(factors: Sequence[SweepFactor], path: str) -> SweepFactor:
    for f in factors:
        if f.path == path:
            return f
    raise ValueError(f"factor {path!r} is not a factor of this sweep; factors: "
                     f"{', '.join(f.path for f in factors) or '(none)'}")


def metric_names(runs: Iterable[SweepRun]) -> list[str]:
    """Every metric named in any run, in order of first appearance."""
    names: dict[str, None] = {}
    for r in runs:
        names.update(dict.fromkeys(r.metrics))
    return list(names)


def select_metrics(names: Iterable[str], patterns: Sequence[str] | None) -> list[str]:
    """The ``names`` matching any fnmatch pattern (``["*"]`` or ``None``: all), order kept."""
    names = list(names)
    if not patterns:
        return names
    return [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in patterns)]


# --- levels ---------------------------------------------------------------------------------


def _baselines(points: Mapping[str, Mapping[str, object]], factors: Sequence[SweepFactor]) -> dict:
    """Each factor's baseline key: the declared baseline, else the value most points share."""
    out = {}
    for f in factors:
        if f.baseline is not None:
            out[f.path] = _key(f.baseline)
            continue
        counts: dict[tuple, int] = {}
        for fv in points.values():
            if f.path in fv:
                k = _key(fv[f.path])
                counts[k] = counts.get(k, 0) + 1
        out[f.path] = max(counts, key=counts.__getitem__) if counts else None  # ties: first seen
    return out


def _oat_points(points, factors: Sequence[SweepFactor], path: str) -> dict:
    """The points of a one-at-a-time design where every factor but ``path`` is at its baseline."""
    base = _baselines(points, factors)
    others = [f.path for f in factors if f.path != path]
    return {pid: fv for pid, fv in points.items()
            if all(o in fv and _key(fv[o]) == base[o] for o in others)}


def level_groups(runs: Iterable[SweepRun], factor: SweepFactor, *,
                 max_levels: int = DEFAULT_MAX_LEVELS) -> tuple[list[LevelGroup], dict[str, int]]:
    """Group the design points of ``runs`` by their value of ``factor``.

    Parameters
    ----------
    runs : iterable of SweepRun
        The runs whose design points are grouped (each point once, whatever its replications).
    factor : SweepFactor
        The factor; its ``values`` order non-numeric levels.
    max_levels : int, default 6
        At most this many distinct values are grouped by value; a numeric factor with more is split
        into ``max_levels`` bins of equal numbers of points: the points sorted by value, the point of
        sorted rank ``r`` (0-based, of ``n``) in bin ``floor(r * max_levels / n)``, except that equal
        values share the bin of the first of them (so bins may then differ in size, and fewer bins
        may result; empty bins are dropped).

    Returns
    -------
    (list of LevelGroup, dict of str to int)
        The groups in order, and each grouped point's group index (points lacking the factor are
        left out).
    """
    if isinstance(max_levels, bool) or not isinstance(max_levels, int) or max_levels < 1:
        raise ValueError(f"max_levels = {max_levels!r}: must be a whole number >= 1")
    values = {pid: fv[factor.path] for pid, fv in _points(runs).items() if factor.path in fv}
    distinct: dict[tuple, object] = {}
    for v in values.values():
        distinct.setdefault(_key(v), v)
    numeric = bool(distinct) and all(_is_number(v) for v in distinct.values())
    if numeric and len(distinct) > max_levels:
        return _bins(values, max_levels)
    keys = list(distinct)
    if numeric:
        keys.sort(key=lambda k: k[1])
    elif factor.values:
        declared = [_key(v) for v in factor.values]
        keys.sort(key=lambda k: declared.index(k) if k in declared else len(declared))
    index = {k: i for i, k in enumerate(keys)}
    groups = [LevelGroup(_label(distinct[k]), distinct[k]) for k in keys]
    return groups, {pid: index[_key(v)] for pid, v in values.items()}


def _bins(values: Mapping[str, object], k: int) -> tuple[list[LevelGroup], dict[str, int]]:
    order = sorted(values, key=lambda pid: float(values[pid]))  # type: ignore[arg-type]
    n = len(order)
    raw: dict[str, int] = {}
    first_bin: dict[float, int] = {}
    for rank, pid in enumerate(order):
        x = float(values[pid])  # type: ignore[arg-type]
        raw[pid] = first_bin.setdefault(x, rank * k // n)
    used = sorted(set(raw.values()))
    renumber = {b: i for i, b in enumerate(used)}
    members: list[list[float]] = [[] for _ in used]
    out = {}
    for pid, b in raw.items():
        out[pid] = renumber[b]
        members[renumber[b]].append(float(values[pid]))  # type: ignore[arg-type]
    groups = []
    for xs in members:
        lo, hi = min(xs), max(xs)
        label = f"{lo:.4g}–{hi:.4g}" if lo != hi else f"{lo:.4g}"
        groups.append(LevelGroup(label, float(np.mean(xs)), (lo, hi)))
    return groups, out


def _replication_means(runs: Sequence[SweepRun], metric: str, group_of: Mapping[str, int],
                       n_groups: int) -> np.ndarray:
    """``(n_groups, R)``: per group and replication, the mean metric over that group's runs."""
    reps = sorted({r.replication for r in runs})
    col = {rep: j for j, rep in enumerate(reps)}
    total = np.zeros((n_groups, len(reps)))
    count = np.zeros((n_groups, len(reps)))
    for r in runs:
        g = group_of.get(r.point_id)
        x = r.value(metric)
        if g is None or math.isnan(x):
            continue
        total[g, col[r.replication]] += x
        count[g, col[r.replication]] += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


# --- intervals ------------------------------------------------------------------------------


def point_intervals(runs: Iterable[SweepRun], confidence: float = 0.95,
                    metrics: Sequence[str] | None = None) -> dict[str, dict[str, Interval]]:
    """Every metric's Student-t interval over each design point's replications.

    Parameters
    ----------
    runs : iterable of SweepRun
        The finished runs.
    confidence : float, default 0.95
        Two-sided confidence level.
    metrics : sequence of str, optional
        The metrics (default: every metric in any run, :func:`metric_names`).

    Returns
    -------
    dict of str to dict of str to Interval
        ``{point_id: {metric: Interval}}``, points in order of first appearance. The interval is
        :func:`~mda_sim.analysis.stats.mean_ci` of the point's finite values (Law & Kelton §9.4.1);
        a metric no replication of the point measured has a NaN mean and ``n == 0``.
    """
    confidence = _check_confidence(confidence)
    runs = list(runs)
    names = metric_names(runs) if metrics is None else list(metrics)
    by_point: dict[str, list[SweepRun]] = {}
    for r in runs:
        by_point.setdefault(r.point_id, []).append(r)
    return {pid: {m: mean_ci([r.value(m) for r in rs], confidence) for m in names}
            for pid, rs in by_point.items()}


def main_effects(runs: Iterable[SweepRun], factors: Sequence[SweepFactor], metric: str, *,
                 design: str, confidence: float = 0.95,
                 max_levels: int = DEFAULT_MAX_LEVELS) -> dict[str, list[EffectLevel]]:
    """Main effect of each factor on ``metric``: the metric's mean at each level, with intervals.

    Parameters
    ----------
    runs : iterable of SweepRun
        The finished runs; replication ``i`` of every point shares seed ``i`` (CRN).
    factors : sequence of SweepFactor
        The sweep's factors, in order.
    metric : str
        The metric.
    design : str
        The design name (:data:`DESIGN_NAMES`); ``"one_at_a_time"`` reads each factor only from the
        points with every other factor at its baseline.
    confidence : float, default 0.95
        Two-sided confidence level.
    max_levels : int, default 6
        Grouping of the factor's values (:func:`level_groups`).

    Returns
    -------
    dict of str to list of EffectLevel
        Per factor path, its levels in order. For level ``L`` and replication ``i`` let
        ``y_i(L)`` be the mean of the metric over the runs of replication ``i`` at level ``L``
        (averaging over the other factors); the level's interval is the Student-t interval over
        ``y_1(L) .. y_R(L)`` (Law & Kelton §9.4.1). The replications are independent (distinct
        seeds) while the runs within one replication share their random numbers, so this -- and not
        an interval over the pooled runs -- is the valid interval; ``n`` counts replications.
        Each level's ``effect`` is the paired-t interval of ``y_i(L) - y_i(reference)`` over
        replications (:class:`EffectLevel`).
    """
    confidence = _check_confidence(confidence)
    design = _check_design(design)
    runs = list(runs)
    points = _points(runs)
    out: dict[str, list[EffectLevel]] = {}
    for f in factors:
        use = runs
        if design == ONE_AT_A_TIME:
            keep = _oat_points(points, factors, f.path)
            use = [r for r in runs if r.point_id in keep]
        groups, group_of = level_groups(use, f, max_levels=max_levels)
        y = _replication_means(use, metric, group_of, len(groups))
        sizes = np.bincount(list(group_of.values()), minlength=len(groups))
        ref = next((i for i, g in enumerate(groups)
                    if design == ONE_AT_A_TIME and f.baseline is not None and _same(g.value, f.baseline)), 0)
        out[f.path] = [EffectLevel(g.label, g.value, g.bounds, mean_ci(y[i], confidence), int(sizes[i]),
                                   effect=paired_diff_ci(y[ref], y[i], confidence), reference=i == ref)
                       for i, g in enumerate(groups)]
    return out


def interaction(runs: Iterable[SweepRun], factors: Sequence[SweepFactor], a: str, b: str,
                metric: str, *, design: str, confidence: float = 0.95,
                max_levels: int = DEFAULT_MAX_LEVELS) -> InteractionGrid:
    """The two-factor table of ``metric`` over the levels of factors ``a`` and ``b``.

    Each cell's interval is made as in :func:`main_effects`: per replication, the mean over the
    runs in the cell (averaging over any other factors), then the Student-t interval over
    replications (Law & Kelton §9.4.1). Non-parallel lines across ``a`` for the levels of ``b``
    show an interaction. An empty cell (no point, e.g. in a small Latin hypercube) has a NaN
    interval and ``n_points`` 0.

    Raises
    ------
    ValueError
        The design is one at a time (no point moves two factors, so no interaction is estimable),
        ``a == b``, or either is not a factor.
    """
    confidence = _check_confidence(confidence)
    design = _check_design(design)
    if design == ONE_AT_A_TIME:
        raise ValueError(f"design 'one_at_a_time' moves one factor at a time, so the interaction of "
                         f"'{a}' and '{b}' is not estimable; use full_factorial or latin_hypercube")
    if a == b:
        raise ValueError(f"an interaction needs two different factors, got '{a}' twice")
    fa, fb = _factor(factors, a), _factor(factors, b)
    runs = list(runs)
    ga, of_a = level_groups(runs, fa, max_levels=max_levels)
    gb, of_b = level_groups(runs, fb, max_levels=max_levels)
    nb = len(gb)
    cell_of = {pid: of_a[pid] * nb + of_b[pid] for pid in of_a if pid in of_b}
    y = _replication_means(runs, metric, cell_of, len(ga) * nb)
    sizes = np.bincount(list(cell_of.values()), minlength=len(ga) * nb)
    cells = tuple(tuple(mean_ci(y[i * nb + j], confidence) for j in range(nb)) for i in range(len(ga)))
    counts = tuple(tuple(int(sizes[i * nb + j]) for j in range(nb)) for i in range(len(ga)))
    contrasts = tuple(tuple(None if i == 0 or j == 0 else
                            mean_ci(y[i * nb + j] - y[i * nb] - y[j] + y[0], confidence)
                            for j in range(nb)) for i in range(len(ga)))
    return InteractionGrid(a, b, metric, tuple(ga), tuple(gb), cells, counts, contrasts)


def ranking(runs: Iterable[SweepRun], metric: str, *, goal: str = "max",
            confidence: float = 0.95) -> list[RankRow]:
    """Design points ordered best first on ``metric``, each compared with the best (paired t).

    Parameters
    ----------
    runs : iterable of SweepRun
        The finished runs.
    metric : str
        The metric to rank on.
    goal : {"max", "min"}
        Whether a larger or a smaller mean is better.
    confidence : float, default 0.95
        Two-sided confidence level of both intervals.

    Returns
    -------
    list of RankRow
        Points by mean (best first; ties and points with no finite value last, in order of first
        appearance). ``interval`` is the Student-t interval over the point's replications;
        ``diff_from_best`` the paired-t interval (Law & Kelton §10.2.1) of ``this - best`` over the
        replications both points completed, pairing by replication index (common random numbers);
        ``differs_from_best`` is whether that interval excludes 0. The best point's own difference
        is 0 with half width 0.
    """
    confidence = _check_confidence(confidence)
    if goal not in GOALS:
        raise ValueError(f"goal = {goal!r}: must be 'max' or 'min'")
    runs = list(runs)
    points = _points(runs)
    reps = sorted({r.replication for r in runs})
    col = {rep: j for j, rep in enumerate(reps)}
    values = {pid: np.full(len(reps), np.nan) for pid in points}
    for r in runs:
        values[r.point_id][col[r.replication]] = r.value(metric)
    intervals = {pid: mean_ci(v, confidence) for pid, v in values.items()}
    sign = -1.0 if goal == "max" else 1.0
    order = sorted(points, key=lambda pid: (math.isnan(intervals[pid].mean),
                                            sign * np.nan_to_num(intervals[pid].mean)))
    rows = []
    best = values[order[0]] if order else None
    for rank, pid in enumerate(order, start=1):
        diff = paired_diff_ci(best, values[pid], confidence)
        differs = diff.excludes(0.0)
        rows.append(RankRow(rank, pid, points[pid], intervals[pid], diff, differs))
    return rows
