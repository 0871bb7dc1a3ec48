"""The after-action report: PNG figures and one self-contained HTML page from a run, a study or a sweep.

:func:`write_report` reads a **run directory** (written by :func:`mda_sim.engine.run.run_scenario`:
``manifest.json``, ``scenario.json``, ``events.jsonl``, ``summary.txt``) or a **study directory**
(written by :func:`mda_sim.study.run_replications`: ``rep-NNNN/`` run directories, ``summary.json``
with every metric's interval and the scorecard) and writes ``report-<figure>.png`` and
``report.html`` into the output directory (default: the directory read).

The page holds everything it shows: figures are embedded as base64 ``data:`` URIs, the style sheet
is inline, there is no script and no external resource, so it opens offline and can be mailed as one
file. It is rendered with Jinja2 from the package template ``templates/report.html.j2`` with
autoescaping on (reasons and citations are text, never markup). Every file is written under a
temporary name and renamed (``os.replace``), so an interrupted report never leaves a half-written
file under its final name.

Sections (:data:`SECTIONS`): the map with the illicit voyages' tracks coloured by outcome; the
kill-chain funnel; outcomes with every illicit voyage's reason and citation; times to detect and to
intercept; hours at sea per asset group; legal decisions by citation; the exercise scorecard; all
metrics. For a study the metrics carry their confidence intervals (from ``summary.json``), the
funnel its error bars and the scorecard is the study's; the map shows the first replication and the
other sections pool the replications' event logs (read one at a time).

A **sweep directory** (``sweep.json`` and ``results.sqlite``, written by ``mda-sim sweep``) gets its
own page, ``templates/sweep.html.j2`` in the same style, with the sections of
:data:`mda_sim.report.sweep.SWEEP_SECTIONS` (ranking, main effects, interactions, heatmap, every
metric per design point, failed runs); the figures and context come from :mod:`mda_sim.report.sweep`.
"""

from __future__ import annotations

import base64
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from matplotlib.figure import Figure

from mda_sim import __version__
from mda_sim.analysis.killchain import KILLCHAIN_STEPS, VoyageRow, voyage_table
from mda_sim.analysis.metrics import run_analyzers
from mda_sim.analysis.outcomes import OutcomeRow, legal_impact, outcome_counts, outcome_rows
from mda_sim.analysis.performance import AssetRow, asset_table
from mda_sim.analysis.scorecard import MET, NOT_MET, NOT_SCORED, PARTLY, Score, score_objectives
from mda_sim.analysis.stats import Interval
from mda_sim.eventlog import Event, read_events, write_bytes_atomic
from mda_sim.report import figures as F
from mda_sim.scenario.loader import validate_document
from mda_sim.scenario.specs import ScenarioSpec

__all__ = ["SECTIONS", "Report", "ReportError", "is_run_dir", "is_study_dir", "load_run_spec", "write_report"]

#: Section id -> heading, in page order.
SECTIONS: dict[str, str] = {
    "map": "Map and tracks",
    "funnel": "Kill-chain funnel",
    "outcomes": "Outcomes and reasons",
    "timing": "Time to detect and to intercept",
    "assets": "Asset utilization",
    "legal": "Legal decisions by citation",
    "scorecard": "Exercise scorecard",
    "metrics": "Metrics",
}

#: Most voyage rows listed in a study's pooled table (a single run lists every voyage).
MAX_STUDY_VOYAGE_ROWS = 1000

_STATUS_CLASS = {MET: "met", PARTLY: "partly", NOT_MET: "notmet", NOT_SCORED: "unscored"}


class ReportError(ValueError):
    """The directory is not a complete run directory, a study directory or a sweep directory."""


@dataclass(frozen=True)
class Report:
    """What :func:`write_report` wrote: the page, the figures by section id, and what it read."""

    html: Path
    figures: dict[str, Path]
    kind: str  # "run", "study" or "sweep"


# --- reading ------------------------------------------------------------------------------------------


def is_run_dir(path: str | Path) -> bool:
    """A complete run directory: its manifest (written last) and event log exist."""
    p = Path(path)
    return (p / "manifest.json").is_file() and (p / "events.jsonl").is_file()


def _rep_dirs(path: Path) -> list[Path]:
    return sorted(d for d in path.glob("rep-*") if d.is_dir() and is_run_dir(d))


def is_study_dir(path: str | Path) -> bool:
    """A replication study: a study ``summary.json`` (one with ``replications``; a run directory
    has a ``summary.json`` too) and at least one complete ``rep-*`` run directory."""
    p = Path(path)
    try:
        summary = _read_json(p / "summary.json")
    except (OSError, ValueError):
        return False
    return isinstance(summary, dict) and "replications" in summary and bool(_rep_dirs(p))


def load_run_spec(run_dir: str | Path) -> ScenarioSpec:
    """The scenario of a run, rebuilt from its ``scenario.json`` (the resolved document).

    The document goes through the loader's own validation (lists to tuples for the strict frozen
    specs); the geography checks were done when the run was made and are skipped here.
    """
    data = json.loads((Path(run_dir) / "scenario.json").read_text(encoding="utf-8"))
    return validate_document(data, {}, geography=False)


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _nan(x) -> float:
    return math.nan if x is None else float(x)


@dataclass
class _Digest:
    """What the report needs from one run's log, so the log itself can be dropped."""

    duration_h: float
    metrics: dict[str, float]
    voyages: list[VoyageRow]  # illicit only
    outcomes: list[OutcomeRow]
    assets: list[AssetRow]
    legal: list[tuple[str, str, str, int]]


def _digest(events: Sequence[Event], duration_h: float) -> _Digest:
    return _Digest(
        duration_h=duration_h,
        metrics=run_analyzers(events, duration_h),
        voyages=[r for r in voyage_table(events) if r.illicit],
        outcomes=outcome_rows(events),
        assets=asset_table(events, duration_h),
        legal=legal_impact(events),
    )


def _load_run(run_dir: Path) -> tuple[dict, list[Event], _Digest]:
    manifest = _read_json(run_dir / "manifest.json")
    events = list(read_events(run_dir / "events.jsonl"))
    duration_h = float(manifest["duration_h"])
    return manifest, events, _digest(events, duration_h)


# --- tables for the page ------------------------------------------------------------------------------


@dataclass
class _GroupHours:
    hulls: float = 0.0
    sorties: float = 0.0
    at_sea_h: float = 0.0
    available_h: float = 0.0
    taskings: float = 0.0
    intercepts: float = 0.0
    boardings: float = 0.0
    seizures: float = 0.0
    seized_kg: float = 0.0

    def add(self, other: _GroupHours, weight: float = 1.0) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + weight * getattr(other, f.name))


def _asset_groups(rows: Sequence[AssetRow], duration_h: float) -> dict[str, _GroupHours]:
    """Per asset group: hulls, their hours at sea and available hours (hulls x run length), and the
    counts over every asset of the group (launched boats included), as the ``assets`` analyzer."""
    out: dict[str, _GroupHours] = {}
    for r in rows:
        g = out.setdefault(r.group, _GroupHours())
        if r.hull:
            g.hulls += 1
            g.at_sea_h += r.hours_at_sea_h
            g.available_h += duration_h
        g.sorties += r.sorties
        g.taskings += r.taskings
        g.intercepts += r.intercepts
        g.boardings += r.boardings
        g.seizures += r.seizures
        g.seized_kg += r.seized_kg
    return out


def _score_from_dict(d: Mapping) -> Score:
    values = dict(d)
    for k in ("value", "low", "high", "target"):
        values[k] = _nan(values.get(k))
    return Score(**{f.name: values.get(f.name) for f in fields(Score)})


def _interval_from_dict(d: Mapping) -> Interval:
    return Interval(_nan(d.get("mean")), _nan(d.get("half_width")), _nan(d.get("low")), _nan(d.get("high")),
                    int(d.get("n") or 0), str(d.get("method", "")))


def _fmt(x, digits: int = 4) -> str:
    """A number for a table cell: NaN and None as a dash, integers without decimals."""
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return str(x)
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(v):
        return "-"
    if v == int(v) and abs(v) < 1e9:
        return str(int(v))
    return f"{v:.{digits}g}"


def _h(x) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:.1f}"


# --- building the page --------------------------------------------------------------------------------


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


class _FigureWriter:
    def __init__(self, out_dir: Path, dpi: int) -> None:
        self.out_dir, self.dpi = out_dir, dpi
        self.paths: dict[str, Path] = {}
        self.uris: dict[str, str] = {}

    def __call__(self, key: str, fig: Figure) -> None:
        png = F.png_bytes(fig, self.dpi)
        path = self.out_dir / f"report-{key}.png"
        write_bytes_atomic(path, png)
        self.paths[key] = path
        self.uris[key] = _data_uri(png)


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("mda_sim.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = _fmt
    env.filters["hours"] = _h
    env.filters["pct"] = lambda x: "-" if x is None or not math.isfinite(x) else f"{100 * x:.0f}%"
    return env


def write_report(source: str | Path, out_dir: str | Path | None = None, *, dpi: int = 110) -> Report:
    """Write the figures and ``report.html`` for a run, study or sweep directory ``source`` into
    ``out_dir`` (default ``source``); returns what was written.

    Raises:
        ReportError: ``source`` is not a complete run directory, a study directory or a sweep
            directory, or its sweep files cannot be read.
    """
    from mda_sim.study.results import is_sweep_dir  # lazy: the study package is not needed for runs

    src = Path(source)
    if is_sweep_dir(src):  # first: a sweep directory may also hold a summary.json
        kind = "sweep"
    elif is_study_dir(src):
        kind = "study"
    elif is_run_dir(src):
        kind = "run"
    else:
        raise ReportError(f"{src}: not a run directory (manifest.json and events.jsonl), a study "
                          "directory (summary.json and rep-NNNN/ run directories) nor a sweep directory "
                          "(sweep.json and results.sqlite)")
    out = Path(out_dir) if out_dir is not None else src
    out.mkdir(parents=True, exist_ok=True)
    figs = _FigureWriter(out, dpi)
    if kind == "sweep":
        from mda_sim.report.sweep import SWEEP_SECTIONS, sweep_context

        try:
            context = sweep_context(src, figs)
        except ValueError as exc:
            raise ReportError(str(exc)) from None
        template, sections = "sweep.html.j2", SWEEP_SECTIONS
    else:
        context = _study_context(src, figs) if kind == "study" else _run_context(src, figs)
        template, sections = "report.html.j2", SECTIONS
        context.update(status_class=_STATUS_CLASS, funnel_steps=list(KILLCHAIN_STEPS))
    context.update(sections=sections, images=figs.uris, kind=kind, version=__version__,
                   generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    html = _environment().get_template(template).render(**context)
    path = out / "report.html"
    write_bytes_atomic(path, html.encode("utf-8"))
    return Report(path, dict(figs.paths), kind)


def _common_sections(figs: _FigureWriter, *, spec: ScenarioSpec, map_events: Sequence[Event], map_duration_h: float,
                     map_title: str, digests: Sequence[_Digest], reps: Sequence[int] | None) -> dict:
    """Map, outcomes, timing, assets and legal sections, pooled over ``digests`` (one for a run)."""
    n = len(digests)
    per_rep = f"mean of {n} replications" if n > 1 else ""
    figs("map", F.track_map_figure(spec, map_events, map_duration_h, title=map_title))

    counts: Counter[str] = Counter()
    for d in digests:
        for outcome, k, _, _ in outcome_counts(d.outcomes):
            counts[outcome] += k
    order = [o for o, _, _, _ in outcome_counts([], include_zero=True)]
    order += sorted(set(counts) - set(order))
    outcome_bars = [(o, counts[o]) for o in order]
    figs("outcomes", F.outcomes_figure(
        outcome_bars, xlabel="illicit voyages [count]" + (f", summed over {n} replications" if n > 1 else "")))
    total = sum(counts.values())
    outcome_table = [{"outcome": o, "n": k, "share": (k / total if total else math.nan)}
                     for o, k in outcome_bars if k]
    voyages = []
    for i, d in zip(reps or [None] * n, digests, strict=True):
        rows = {r.vessel: r for r in d.voyages}
        for o in d.outcomes:
            v = rows.get(o.vessel)
            voyages.append({"rep": i, "vessel": o.vessel, "flow": o.flow,
                            "type": v.vessel_type if v else "", "outcome": o.outcome,
                            "reason": o.reason, "citation": o.citation, "cargo_kg": o.cargo_kg,
                            "removed_kg": o.removed_kg, "disrupted": o.disrupted})
    n_voyages = len(voyages)
    if reps is not None:
        voyages = voyages[:MAX_STUDY_VOYAGE_ROWS]

    detect = [t for d in digests for t in F.step_times(d.voyages, "detect")]
    intercept = [t for d in digests for t in F.step_times(d.voyages, "intercept")]
    figs("timing", F.timing_figure(detect, intercept))

    groups: dict[str, _GroupHours] = {}
    for d in digests:
        for g, h in _asset_groups(d.assets, d.duration_h).items():
            groups.setdefault(g, _GroupHours()).add(h, 1.0 / n)
    if groups:
        figs("assets", F.utilization_figure([(g, h.at_sea_h, h.available_h) for g, h in sorted(groups.items())],
                                            subtitle=per_rep))

    legal: Counter[tuple[str, str, str]] = Counter()
    for d in digests:
        for rule, citation, outcome, k in d.legal:
            legal[rule, citation, outcome] += k
    legal_rows = [(r, c, o, k) for (r, c, o), k in sorted(legal.items(), key=lambda kv: (-kv[1], kv[0]))]
    if legal_rows:
        figs("legal", F.legal_figure(
            legal_rows, xlabel="decisions [count]" + (f", summed over {n} replications" if n > 1 else "")))

    return {
        "outcome_table": outcome_table,
        "n_outcomes": total,
        "voyages": voyages,
        "n_voyages": n_voyages,
        "voyages_cut": len(voyages) < n_voyages,
        "timing": {"detect": _spread(detect), "intercept": _spread(intercept)},
        "groups": sorted(groups.items()),
        "legal": legal_rows,
        "n_reps": n,
    }


def _spread(xs: Sequence[float]) -> dict:
    import numpy as np

    a = np.asarray(xs, float)
    if not a.size:
        return {"n": 0, "mean": math.nan, "median": math.nan, "p90": math.nan}
    return {"n": int(a.size), "mean": float(a.mean()), "median": float(np.median(a)),
            "p90": float(np.percentile(a, 90))}


def _run_context(run_dir: Path, figs: _FigureWriter) -> dict:
    spec = load_run_spec(run_dir)
    manifest, events, d = _load_run(run_dir)
    m = d.metrics
    fracs = {s: m.get(f"frac_{s}", math.nan) for s in KILLCHAIN_STEPS}
    figs("funnel", F.funnel_figure(fracs, n_illicit=m.get("n_illicit")))
    single = {k: Interval(v, 0.0, v, v, 1, "single run") for k, v in m.items()}
    scores = score_objectives(spec.exercise.objectives, single)
    ctx = _common_sections(figs, spec=spec, map_events=events, map_duration_h=d.duration_h,
                           map_title=f"{spec.name}: tracks, seed {manifest.get('seed')}", digests=[d], reps=None)
    summary = run_dir / "summary.txt"
    ctx.update(
        title=spec.name,
        facts=[("run directory", str(run_dir)), ("scenario", spec.name),
               ("seed", _fmt(manifest.get("seed"))), ("simulated time", f"{d.duration_h:g} h"),
               ("start", str(manifest.get("start_utc", "-"))), ("events", _fmt(manifest.get("events"))),
               ("illicit voyages", _fmt(m.get("n_illicit"))),
               ("mda-sim version of the run", str(manifest.get("version", "-"))),
               ("scenario SHA-256", str(manifest.get("scenario_sha256", "-"))[:16])],
        funnel=[{"step": s, "value": fracs[s], "low": math.nan, "high": math.nan} for s in KILLCHAIN_STEPS],
        scores=scores,
        metrics=[{"name": k, "mean": v} for k, v in m.items()],
        summary_text=summary.read_text(encoding="utf-8") if summary.is_file() else "",
    )
    return ctx


def _study_context(study_dir: Path, figs: _FigureWriter) -> dict:
    summary = _read_json(study_dir / "summary.json")
    intervals = {k: _interval_from_dict(v) for k, v in summary.get("metrics", {}).items()}
    scores = [_score_from_dict(s) for s in summary.get("scorecard", [])]
    reps = _rep_dirs(study_dir)
    rep_index = [int(p.name.split("-", 1)[1]) if p.name.split("-", 1)[1].isdigit() else i
                 for i, p in enumerate(reps)]
    spec = load_run_spec(reps[0])
    first_manifest, first_events, first = _load_run(reps[0])
    digests = [first]
    for rep in reps[1:]:
        digests.append(_load_run(rep)[2])  # one log in memory at a time (besides the map's)
    conf = float(summary.get("confidence", 0.95))

    def iv(step: str) -> Interval:
        return intervals.get(f"frac_{step}", Interval(math.nan, math.nan, math.nan, math.nan, 0, ""))

    fracs = {s: iv(s).mean for s in KILLCHAIN_STEPS}
    figs("funnel", F.funnel_figure(fracs, intervals={s: (iv(s).low, iv(s).high) for s in KILLCHAIN_STEPS},
                                   subtitle=f"means of {len(reps)} replications, {conf:.0%} intervals"))
    ctx = _common_sections(figs, spec=spec, map_events=first_events, map_duration_h=first.duration_h,
                           map_title=f"{spec.name}: tracks of replication {rep_index[0]} "
                                     f"(seed {first_manifest.get('seed')})",
                           digests=digests, reps=rep_index)
    text = study_dir / "summary.txt"
    ctx.update(
        title=f"{spec.name} ({len(reps)} replications)",
        facts=[("study directory", str(study_dir)), ("scenario", spec.name),
               ("scenario file", str(summary.get("scenario", "-"))),
               ("overrides", ", ".join(summary.get("overrides", [])) or "-"),
               ("replications", _fmt(summary.get("replications", len(reps)))),
               ("base seed", _fmt(summary.get("base_seed"))), ("simulated time", f"{first.duration_h:g} h each"),
               ("confidence level", f"{conf:.0%}"),
               ("scenario SHA-256", str(summary.get("scenario_sha256", "-"))[:16])],
        funnel=[{"step": s, "value": iv(s).mean, "low": iv(s).low, "high": iv(s).high} for s in KILLCHAIN_STEPS],
        scores=scores,
        metrics=[{"name": k, "mean": v.mean, "half_width": v.half_width, "low": v.low, "high": v.high, "n": v.n}
                 for k, v in intervals.items()],
        interval_method=next((v.method for v in intervals.values() if v.method), ""),
        summary_text=text.read_text(encoding="utf-8") if text.is_file() else "",
    )
    return ctx
