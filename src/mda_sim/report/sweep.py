"""The report of a parameter sweep: figures and the context of the ``sweep.html.j2`` page.

:func:`mda_sim.report.html.write_report` calls :func:`sweep_context` for a sweep directory
(``sweep.json`` and ``results.sqlite``, read by :func:`mda_sim.study.results.read_sweep`). The page
shows, for the sweep's ``rank_by`` metric: the ranking of the design points with each point's
paired-t difference from the best; the main effect of every factor (and of a few other headline
metrics); the two-factor interaction plots; a response heatmap over the first two factors; then
every kept metric per design point with its interval, and the failed runs with their errors.

Every interval comes from :mod:`mda_sim.analysis.sweep`, with the replication as the independent
unit (replication ``i`` of every point shares seed ``i``): see that module for the method.

Figure functions take analysis results and return a :class:`~matplotlib.figure.Figure`; like
:mod:`mda_sim.report.figures` they touch no pyplot state and no rcParams.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from mda_sim.analysis.sweep import (
    DEFAULT_MAX_LEVELS,
    ONE_AT_A_TIME,
    EffectLevel,
    InteractionGrid,
    interaction,
    main_effects,
    point_intervals,
    ranking,
)
from mda_sim.analysis.sweep_summary import sweep_text
from mda_sim.study.results import SweepResults, read_sweep

__all__ = ["MAX_PAIRS", "SWEEP_SECTIONS", "effect_sizes_figure", "heatmap_figure", "interactions_figure",
           "main_effects_figure", "sweep_context"]

#: Section id -> heading, in page order.
SWEEP_SECTIONS: dict[str, str] = {
    "ranking": "Ranking of design points",
    "effects": "Main effects",
    "interactions": "Two-factor interactions",
    "heatmap": "Response heatmap",
    "points": "Every metric per design point",
    "failed": "Failed runs",
}

#: Most factor pairs drawn in the interaction plots (pairs in factor order).
MAX_PAIRS = 6
#: Levels per factor in the interaction plots and heatmap (more are binned; see analysis.sweep).
INTERACTION_LEVELS = 4
#: Headline metrics whose main effects are drawn besides the ranked one, when kept (at most two).
EXTRA_EFFECT_METRICS = ("frac_detected", "frac_disrupted", "disruption_rate", "removal_rate")
MAX_EXTRA_EFFECT_METRICS = 2

_LINE = "#1f618d"
_COLOURS = ("#1f618d", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#17202a", "#7f8c8d", "#16a085")


def _wrap(path: str, width: int = 40) -> str:
    """A key path on lines of at most ``width`` characters, broken after its dots."""
    lines: list[str] = []
    for token in re.findall(r"[^.]+\.?|\.", path):
        if lines and len(lines[-1]) + len(token) <= width:
            lines[-1] += token
        else:
            lines.append(token)
    return "\n".join(lines) or path


def _errors(ivs) -> tuple[np.ndarray, np.ndarray]:
    means = np.array([iv.mean for iv in ivs], float)
    hw = np.array([iv.half_width for iv in ivs], float)
    return means, np.where(np.isfinite(hw), hw, 0.0)


def _grid(n: int, panel: tuple[float, float]) -> tuple[Figure, list]:
    cols = min(3, max(n, 1))
    rows = math.ceil(max(n, 1) / cols)
    fig = Figure(figsize=(panel[0] * cols + 0.4, panel[1] * rows + 0.5), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, sharey=True).ravel().tolist()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def main_effects_figure(effects: Mapping[str, Sequence[EffectLevel]], metric: str, *,
                        subtitle: str = "") -> Figure:
    """One panel per factor: the metric's mean at each level with its confidence interval as an
    error bar (a shared y axis, so the panels' effects compare directly)."""
    fig, axes = _grid(len(effects), (3.0, 2.6))
    for ax, (path, levels) in zip(axes, effects.items(), strict=True):
        x = np.arange(len(levels))
        means, hw = _errors([lv.interval for lv in levels])
        ax.errorbar(x, means, yerr=hw, fmt="o-", color=_LINE, ecolor="#17202a", capsize=3,
                    linewidth=1.2, markersize=4)
        ax.set_xticks(x, [lv.label for lv in levels], fontsize=7,
                      rotation=30 if len(levels) > 3 else 0)
        ax.set_title(_wrap(path), fontsize=8)
        ax.grid(axis="y", linewidth=0.3, alpha=0.6)
        ax.set_xlim(-0.5, len(levels) - 0.5)
    if axes:
        axes[0].set_ylabel(metric, fontsize=8)
    fig.suptitle(f"Main effects on {metric}" + (f"\n({subtitle})" if subtitle else ""), fontsize=10)
    return fig


def effect_sizes_figure(effects: Mapping[str, Sequence[EffectLevel]], metric: str, *,
                        subtitle: str = "") -> Figure:
    """Every factor level's effect against its reference level: the paired difference by
    replication with its interval, one row each, and a line at zero (an interval that misses zero
    is an effect the sweep resolves)."""
    rows = [(f"{_wrap(path, 48)}\n{lv.label} vs {ref}", lv.effect)
            for path, levels in effects.items()
            for ref in [next((r.label for r in levels if r.reference), levels[0].label if levels else "")]
            for lv in levels if not lv.reference and lv.effect is not None]
    fig = Figure(figsize=(6.4, 0.55 * max(len(rows), 1) + 1.3), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    means, hw = _errors([iv for _, iv in rows])
    colours = [_COLOURS[1] if iv.excludes(0.0) else _LINE for _, iv in rows]
    for yi, m, h, c in zip(y, means, hw, colours, strict=True):
        ax.errorbar([m], [yi], xerr=[h], fmt="o", color=c, ecolor=c, capsize=3, markersize=4)
    ax.axvline(0.0, color="#7f8c8d", linewidth=0.8)
    ax.set_yticks(y, [label for label, _ in rows], fontsize=7)
    ax.set_xlabel(f"difference in {metric}", fontsize=8)
    ax.grid(axis="x", linewidth=0.3, alpha=0.6)
    fig.suptitle(f"Effects on {metric}" + (f"\n({subtitle})" if subtitle else ""), fontsize=10)
    return fig


def interactions_figure(grids: Sequence[InteractionGrid], metric: str, *, subtitle: str = "") -> Figure:
    """One panel per factor pair ``(a, b)``: the metric's mean across the levels of ``a``, a line for
    each level of ``b``, with confidence intervals (lines nudged sideways so bars do not overlap).
    Parallel lines: no interaction."""
    fig, axes = _grid(len(grids), (3.3, 2.8))
    for ax, g in zip(axes, grids, strict=True):
        x = np.arange(len(g.a_levels))
        nb = len(g.b_levels)
        for j, lv in enumerate(g.b_levels):
            means, hw = _errors([g.cells[i][j] for i in range(len(g.a_levels))])
            dx = (j - (nb - 1) / 2) * min(0.08, 0.4 / max(nb, 1))
            ax.errorbar(x + dx, means, yerr=hw, fmt="o-", color=_COLOURS[j % len(_COLOURS)],
                        capsize=2, linewidth=1.1, markersize=3, label=lv.label)
        ax.set_xticks(x, [lv.label for lv in g.a_levels], fontsize=7,
                      rotation=30 if len(g.a_levels) > 3 else 0)
        ax.set_xlabel(_wrap(g.a, 36), fontsize=7)
        ax.legend(title=_wrap(g.b, 24), fontsize=6, title_fontsize=6, loc="best")
        ax.grid(axis="y", linewidth=0.3, alpha=0.6)
    if axes:
        axes[0].set_ylabel(metric, fontsize=8)
    fig.suptitle(f"Two-factor interactions on {metric}" + (f"\n({subtitle})" if subtitle else ""),
                 fontsize=10)
    return fig


def heatmap_figure(grid: InteractionGrid, metric: str, *, subtitle: str = "") -> Figure:
    """The metric's cell means over the levels of ``grid.a`` (x) and ``grid.b`` (y), each cell
    annotated with its mean and interval half width; empty cells blank."""
    means = grid.means().T  # rows: b levels, columns: a levels
    fig = Figure(figsize=(max(4.2, 0.9 * means.shape[1] + 2.4), max(2.8, 0.6 * means.shape[0] + 1.6)),
                 layout="constrained")
    ax = fig.add_subplot()
    masked = np.ma.masked_invalid(means)
    im = ax.imshow(masked, origin="lower", aspect="auto", cmap="viridis")
    finite = means[np.isfinite(means)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    for (j, i), m in np.ndenumerate(means):
        if not math.isfinite(m):
            continue
        hw = grid.cells[i][j].half_width
        text = f"{m:.3g}" + (f"\n±{hw:.2g}" if math.isfinite(hw) else "")
        light = hi > lo and (m - lo) / (hi - lo) < 0.55
        ax.text(i, j, text, ha="center", va="center", fontsize=7, color="white" if light else "#17202a")
    ax.set_xticks(range(means.shape[1]), [lv.label for lv in grid.a_levels], fontsize=7,
                  rotation=30 if means.shape[1] > 3 else 0)
    ax.set_yticks(range(means.shape[0]), [lv.label for lv in grid.b_levels], fontsize=7)
    ax.set_xlabel(_wrap(grid.a, 60), fontsize=8)
    ax.set_ylabel(_wrap(grid.b, 24), fontsize=8)
    fig.colorbar(im, ax=ax, shrink=0.9).set_label(metric, fontsize=8)
    ax.set_title(f"Response of {metric} to two factors" + (f"\n({subtitle})" if subtitle else ""),
                 fontsize=10)
    return fig


# --- page context -----------------------------------------------------------------------------------


def _label(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.6g}"
    return "-" if v is None else str(v)


def _key(metric: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", metric)


def sweep_context(source: str | Path, figs: Callable[[str, Figure], None]) -> dict:
    """Read the sweep directory ``source``, draw its figures through ``figs(key, figure)`` and return
    the template context of ``sweep.html.j2`` (without the keys every report shares)."""
    res = read_sweep(source)
    metric, conf, design = res.rank_metric, res.confidence, res.design
    runs = list(res.runs)
    paths = [f.path for f in res.factors]
    level = f"{conf:.0%}"
    ctx: dict = {"factor_paths": paths, "metric": metric, "goal": res.goal, "design": design,
                 "confidence": level, "notes": {}, "max_levels": DEFAULT_MAX_LEVELS,
                 "interaction_levels": INTERACTION_LEVELS}
    ctx["facts"] = _facts(res)
    ctx["title"] = f"{res.name} (sweep of {len(res.points)} design points)"
    ctx["failed"] = [{"point_id": f.point_id, "replication": f.replication, "seed": f.seed,
                      "factors": [_label(f.factors.get(p)) for p in paths], "error": f.error}
                     for f in res.failed]
    ctx["metrics"] = list(res.metrics)
    per_point = point_intervals(runs, conf, res.metrics)
    counts: dict[str, int] = {}
    for r in runs:
        counts[r.point_id] = counts.get(r.point_id, 0) + 1
    ctx["points"] = [{"point_id": pid, "factors": [_label(fv.get(p)) for p in paths],
                      "runs": counts.get(pid, 0),
                      "values": [per_point[pid][m].as_dict() if pid in per_point else None for m in res.metrics]}
                     for pid, fv in res.points]
    ctx.update(ranking=[], effects=[], effect_images=[], interaction_pairs=[], contrasts=[], heatmap=None,
               summary_text="")
    if not runs or metric is None:
        ctx["notes"]["all"] = "No run of this sweep has finished: there is nothing to analyse yet."
        return ctx

    ctx["ranking"] = [{"rank": r.rank, "point_id": r.point_id,
                       "factors": [_label(r.factors.get(p)) for p in paths], "interval": r.interval.as_dict(),
                       "diff": r.diff_from_best.as_dict(), "differs": r.differs_from_best}
                      for r in ranking(runs, metric, goal=res.goal, confidence=conf)]

    oat = design == ONE_AT_A_TIME
    effect_note = f"{level} intervals over replications" + ("; other factors at baseline" if oat else "")
    extra = [m for m in EXTRA_EFFECT_METRICS if m in res.metrics and m != metric][:MAX_EXTRA_EFFECT_METRICS]
    for m in [metric, *extra]:
        eff = main_effects(runs, res.factors, m, design=design, confidence=conf)
        key = "effects" if m == metric else f"effects-{_key(m)}"
        figs(key, main_effects_figure(eff, m, subtitle=effect_note))
        ctx["effect_images"].append({"key": key, "metric": m})
        if m == metric:
            figs("effect-sizes", effect_sizes_figure(eff, m, subtitle=f"paired by replication, {level} "
                                                     "paired-t intervals; red: the interval excludes 0"))
            ctx["effects"] = [{"factor": path, "levels": [
                {"label": lv.label, "n_points": lv.n_points, **lv.interval.as_dict(), "reference": lv.reference,
                 "effect": lv.effect.as_dict() if lv.effect is not None else None,
                 "nonzero": lv.effect is not None and lv.effect.excludes(0.0)} for lv in levels]}
                for path, levels in eff.items()]

    pairs = list(itertools.combinations(paths, 2))
    if oat:
        ctx["notes"]["interactions"] = ("A one-at-a-time design moves one factor at a time from the "
                                        "baseline, so interactions and a two-factor response are not "
                                        "estimable from it.")
    elif not pairs:
        ctx["notes"]["interactions"] = "The sweep has one factor: there is no pair to draw."
    else:
        grids = [interaction(runs, res.factors, a, b, metric, design=design, confidence=conf,
                             max_levels=INTERACTION_LEVELS) for a, b in pairs[:MAX_PAIRS]]
        sub = f"means with {level} intervals over replications"
        figs("interactions", interactions_figure(grids, metric, subtitle=sub))
        figs("heatmap", heatmap_figure(grids[0], metric, subtitle=f"cell means ± {level} half width"))
        ctx["interaction_pairs"] = [f"{a} × {b}" for a, b in pairs[:MAX_PAIRS]]
        ctx["contrasts"] = [{"a": g.a, "b": g.b, "a_level": g.a_levels[i].label, "b_level": g.b_levels[j].label,
                             "a_ref": g.a_levels[0].label, "b_ref": g.b_levels[0].label, **c.as_dict(),
                             "nonzero": c.excludes(0.0)}
                            for g in grids for i, row in enumerate(g.contrasts) for j, c in enumerate(row)
                            if c is not None]
        ctx["pairs_left_out"] = len(pairs) - len(grids)
        ctx["heatmap"] = {"a": grids[0].a, "b": grids[0].b}
    if oat or not pairs:
        ctx["notes"]["heatmap"] = ctx["notes"]["interactions"]

    text = res.directory / "summary.txt"
    ctx["summary_text"] = (text.read_text(encoding="utf-8") if text.is_file() else
                           sweep_text(runs, res.factors, metric, design=design, goal=res.goal,
                                      confidence=conf, n_failed=len(res.failed)))
    return ctx


def _facts(res: SweepResults) -> list[tuple[str, str]]:
    info = res.info
    design = info.get("design") or {}
    params = ", ".join(f"{k}={v}" for k, v in (design.get("params") or {}).items())
    rank_by = f"{res.rank_metric} ({res.goal} is better)" if res.rank_metric else "-"
    expected = len(res.points) * res.replications
    return [
        ("sweep directory", str(res.directory)), ("sweep", res.name),
        ("sweep file", str(info.get("sweep_file", "-"))), ("scenario", str(info.get("scenario", "-"))),
        ("overrides", ", ".join(map(str, info.get("overrides") or [])) or "-"),
        ("design", res.design + (f" ({params})" if params else "")),
        ("factors", ", ".join(f.path for f in res.factors) or "-"),
        ("design points", str(len(res.points))), ("replications", str(res.replications)),
        ("runs", f"{len(res.runs)} ok, {len(res.failed)} failed, of {expected}"),
        ("base seed", str(info.get("base_seed", "-"))), ("confidence level", f"{res.confidence:.0%}"),
        ("ranked on", rank_by),
        ("scenario SHA-256", str(info.get("scenario_sha256") or "-")[:16]),
    ]
