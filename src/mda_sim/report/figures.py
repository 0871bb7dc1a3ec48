"""After-action figures drawn from a run's (or a study's) analysed event log.

Each ``*_figure`` function takes plain data (records, analyzer rows, metric values) and returns a
:class:`~matplotlib.figure.Figure`; none touches the ``pyplot`` state machine or rcParams, and
:func:`png_bytes` renders with the Agg canvas, so no display is needed. The map reuses
:func:`mda_sim.report.maps.draw_scenario_map` and only adds the tracks.

Figures are kept small (a few inches, 110 dpi in the HTML report): titles say what is counted,
axes carry their units.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from mda_sim.analysis.killchain import INTERVALS, KILLCHAIN_STEPS, VoyageRow
from mda_sim.analysis.outcomes import OUTCOME_ORDER
from mda_sim.eventlog.records import Event
from mda_sim.geography import Geography, load_geography
from mda_sim.report.maps import draw_scenario_map
from mda_sim.scenario.specs import ScenarioSpec

__all__ = [
    "ASSET_TRACK_COLOUR",
    "OUTCOME_COLOURS",
    "Track",
    "asset_tracks",
    "funnel_figure",
    "legal_figure",
    "outcome_colour",
    "outcomes_figure",
    "png_bytes",
    "timing_figure",
    "track_map_figure",
    "utilization_figure",
    "vessel_tracks",
]

#: Colour of each voyage outcome: greens where the enforcer removed cargo, purples where the law
#: stopped it, oranges and reds where the kill chain broke, grey for voyages still at sea.
OUTCOME_COLOURS: dict[str, str] = {
    "seized": "#1e8449",
    "jettisoned": "#52be80",
    "boarded_no_evidence": "#a9cce3",
    "consent_refused": "#7d3c98",
    "blocked": "#c39bd3",
    "contact_lost": "#f39c12",
    "not_intercepted": "#e67e22",
    "detected_no_asset": "#e74c3c",
    "detected_not_classified": "#922b21",
    "arrived_undetected": "#17202a",
    "at_sea_at_end": "#95a5a6",
}
OTHER_OUTCOME_COLOUR = "#5d6d7e"
ASSET_TRACK_COLOUR = "#34495e"
#: Decision colours in the legal chart.
DECISION_COLOURS = {"allowed": "#27ae60", "request": "#f5b041", "denied": "#c0392b"}

#: ``asset_state`` states after which an asset is no longer under way (its last leg ends there).
_ASSET_STOPS = frozenset({"returned", "at_base", "recovered", "unavailable"})

SMALL = (6.4, 3.4)  # inches: the size of the bar charts


def outcome_colour(outcome: str) -> str:
    return OUTCOME_COLOURS.get(outcome, OTHER_OUTCOME_COLOUR)


def png_bytes(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (Agg canvas)."""
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


# --- tracks -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Track:
    """One vessel's or asset's path in the frame [nm]: ``x_nm[i], y_nm[i]`` at run hour ``t_h[i]``."""

    name: str
    t_h: np.ndarray
    x_nm: np.ndarray
    y_nm: np.ndarray
    outcome: str = ""


def _polyline(legs: list[Event], end_h: float, end_xy: tuple[float, float] | None) -> tuple[np.ndarray, ...]:
    """Points of a path made of constant-velocity legs (sorted by time): each leg runs from its start
    to the next leg's start; the last to ``end_xy`` if given, else on its velocity until ``end_h``."""
    t = [e.t_h for e in legs]
    x = [e.x_nm for e in legs]
    y = [e.y_nm for e in legs]
    last = legs[-1]
    if end_xy is not None:
        t.append(max(end_h, last.t_h))
        x.append(end_xy[0])
        y.append(end_xy[1])
    elif end_h > last.t_h:
        dt = end_h - last.t_h
        t.append(end_h)
        x.append(last.x_nm + last.vx_kn * dt)
        y.append(last.y_nm + last.vy_kn * dt)
    return np.asarray(t, float), np.asarray(x, float), np.asarray(y, float)


def vessel_tracks(events: Iterable[Event], duration_h: float, *, illicit_only: bool = True) -> list[Track]:
    """The path of every (illicit) voyage from its ``leg_started`` records, with its outcome.

    A path runs from each leg's start to the next leg's start, then to the ``arrived`` position; a
    voyage that never arrived (seized, still at sea) runs on along its last leg until the last
    record naming the vessel (its outcome, a seizure), at most to ``duration_h``. Sorted by vessel.
    """
    legs: dict[str, list[Event]] = {}
    arrived: dict[str, Event] = {}
    last_h: dict[str, float] = {}
    illicit: dict[str, bool] = {}
    outcome: dict[str, str] = {}
    for e in events:
        vessel = getattr(e, "vessel", None)
        if vessel is None:
            continue
        last_h[vessel] = max(last_h.get(vessel, -math.inf), e.t_h)
        if e.kind == "leg_started":
            legs.setdefault(vessel, []).append(e)
        elif e.kind == "arrived":
            arrived.setdefault(vessel, e)
        elif e.kind == "vessel_departed":
            illicit[vessel] = bool(e.illicit)
        elif e.kind == "voyage_outcome":
            outcome[vessel] = e.outcome
            illicit[vessel] = True
    out = []
    for vessel in sorted(legs):
        if illicit_only and not illicit.get(vessel, False):
            continue
        steps = sorted(legs[vessel], key=lambda e: e.t_h)
        a = arrived.get(vessel)
        end_h = a.t_h if a is not None else min(last_h[vessel], duration_h)
        t, x, y = _polyline(steps, end_h, None if a is None else (a.x_nm, a.y_nm))
        out.append(Track(vessel, t, x, y, outcome.get(vessel, "")))
    return out


def asset_tracks(events: Iterable[Event], duration_h: float) -> list[Track]:
    """The path of every patrol asset from its ``asset_leg_started`` records; the last leg ends at
    the asset's next stop (``returned``, ``recovered``, ...) or at ``duration_h``. A new sortie
    starts a new track. Sorted by asset, then time."""
    legs: dict[str, list[Event]] = {}
    stops: dict[str, list[float]] = {}
    for e in events:
        if e.kind == "asset_leg_started":
            legs.setdefault(e.asset, []).append(e)
        elif e.kind == "asset_state" and e.state in _ASSET_STOPS:
            stops.setdefault(e.asset, []).append(e.t_h)
    out = []
    for asset in sorted(legs):
        steps = sorted(legs[asset], key=lambda e: e.t_h)
        stop_times = sorted(stops.get(asset, []))
        sortie: list[Event] = []
        for leg in steps:
            if sortie and any(sortie[-1].t_h <= s < leg.t_h for s in stop_times):
                out.append(_asset_track(asset, sortie, stop_times, duration_h))
                sortie = []
            sortie.append(leg)
        if sortie:
            out.append(_asset_track(asset, sortie, stop_times, duration_h))
    return out


def _asset_track(asset: str, legs: list[Event], stop_times: list[float], duration_h: float) -> Track:
    end_h = next((s for s in stop_times if s >= legs[-1].t_h), duration_h)
    t, x, y = _polyline(legs, min(end_h, duration_h), None)
    return Track(asset, t, x, y)


def track_map_figure(spec: ScenarioSpec, events: Sequence[Event], duration_h: float,
                     geo: Geography | None = None, *, title: str | None = None) -> Figure:
    """The scenario map (:func:`~mda_sim.report.maps.draw_scenario_map`) with every illicit voyage's
    track coloured by its outcome and the patrol assets' tracks drawn faint."""
    geo = geo if geo is not None else load_geography()
    fig = Figure(figsize=(9.0, 7.0), layout="constrained")
    ax = fig.add_subplot()
    draw_scenario_map(spec, geo, ax=ax)
    features = ax.get_legend()
    for tr in asset_tracks(events, duration_h):
        lon, lat = geo.frame.to_lonlat(tr.x_nm, tr.y_nm)
        ax.plot(lon, lat, color=ASSET_TRACK_COLOUR, linewidth=0.6, alpha=0.35, zorder=6.5)
    counts: dict[str, int] = {}
    for tr in vessel_tracks(events, duration_h):
        lon, lat = geo.frame.to_lonlat(tr.x_nm, tr.y_nm)
        colour = outcome_colour(tr.outcome)
        ax.plot(lon, lat, color=colour, linewidth=1.3, alpha=0.9, zorder=7)
        ax.plot(lon[:1], lat[:1], marker="o", color=colour, markersize=3, zorder=7)
        ax.plot(lon[-1:], lat[-1:], marker="x", color=colour, markersize=4, zorder=7)
        counts[tr.outcome or "no outcome"] = counts.get(tr.outcome or "no outcome", 0) + 1
    order = sorted(counts, key=lambda o: (OUTCOME_ORDER.index(o) if o in OUTCOME_ORDER else len(OUTCOME_ORDER), o))
    handles = [Line2D([], [], color=outcome_colour(o), linewidth=1.6, label=f"{o.replace('_', ' ')} ({counts[o]})")
               for o in order]
    handles.append(Line2D([], [], color=ASSET_TRACK_COLOUR, alpha=0.5, linewidth=0.8, label="patrol asset tracks"))
    handles.append(Line2D([], [], color="#555555", marker="o", linestyle="none", markersize=3, label="voyage start"))
    handles.append(Line2D([], [], color="#555555", marker="x", linestyle="none", markersize=4, label="voyage end"))
    labels = [h.get_label() for h in handles]
    if features is not None:  # one legend outside the chart: the tracks, a gap, then the map's own entries
        handles += [Line2D([], [], linestyle="none"), *features.legend_handles]
        labels += [" ", *(t.get_text() for t in features.get_texts())]
        features.remove()
    ax.legend(handles=handles, labels=labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
              framealpha=0.9, title="illicit voyages by outcome", title_fontsize=7)
    if title:
        ax.set_title(title, fontsize=10)
    return fig


# --- charts -----------------------------------------------------------------------------------------

FUNNEL_STEPS: tuple[str, ...] = tuple(KILLCHAIN_STEPS)


def funnel_figure(fractions: Mapping[str, float], *, n_illicit: float | None = None,
                  intervals: Mapping[str, tuple[float, float]] | None = None,
                  subtitle: str = "") -> Figure:
    """The kill-chain funnel: the fraction of illicit voyages that reached each step
    (``fractions[step]``, the analyzers' ``frac_<step>``), top to bottom. ``intervals[step] =
    (low, high)`` draws error bars (a study's confidence intervals); ``n_illicit`` labels counts."""
    fig = Figure(figsize=SMALL, layout="constrained")
    ax = fig.add_subplot()
    steps = list(FUNNEL_STEPS)
    y = np.arange(len(steps))
    vals = np.array([fractions.get(s, math.nan) for s in steps], float)
    shown = np.nan_to_num(vals, nan=0.0)
    ax.barh(y, shown, color="#2e86c1", height=0.65)
    label_x = np.clip(shown, 0, 1)
    if intervals:
        lo = np.array([intervals.get(s, (math.nan, math.nan))[0] for s in steps], float)
        hi = np.array([intervals.get(s, (math.nan, math.nan))[1] for s in steps], float)
        ok = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(vals)
        err = np.vstack([np.clip(vals - np.clip(lo, 0, 1), 0, None), np.clip(np.clip(hi, 0, 1) - vals, 0, None)])
        ax.errorbar(vals[ok], y[ok], xerr=err[:, ok], fmt="none", ecolor="#17202a", capsize=3, linewidth=1)
        label_x = np.where(ok, np.maximum(label_x, np.clip(hi, 0, 1)), label_x)
    for yi, v, lx in zip(y, vals, label_x, strict=True):
        if not math.isfinite(v):
            label = "n/a"
        elif n_illicit is not None and math.isfinite(n_illicit):
            label = f"{100 * v:.0f}% ({v * n_illicit:.0f})"
        else:
            label = f"{100 * v:.0f}%"
        ax.text(lx + 0.01, yi, label, va="center", fontsize=7)
    ax.set_yticks(y, steps, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.18)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.set_xlabel("fraction of illicit voyages [-]")
    ax.set_title("Kill-chain funnel" + (f" ({subtitle})" if subtitle else ""), fontsize=10)
    ax.grid(axis="x", linewidth=0.3, alpha=0.6)
    return fig


def outcomes_figure(counts: Sequence[tuple[str, float]], *, xlabel: str = "illicit voyages [count]") -> Figure:
    """Bar chart of ``(outcome, voyages)`` in the given order (best end for the enforcer first)."""
    fig = Figure(figsize=(SMALL[0], max(2.4, 0.26 * len(counts) + 1.0)), layout="constrained")
    ax = fig.add_subplot()
    names = [o for o, _ in counts]
    vals = [float(n) for _, n in counts]
    y = np.arange(len(names))
    ax.barh(y, vals, color=[outcome_colour(o) for o in names], height=0.7)
    for yi, v in zip(y, vals, strict=True):
        if v:
            ax.text(v, yi, f" {v:g}", va="center", fontsize=7)
    ax.set_yticks(y, [o.replace("_", " ") for o in names], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max([*vals, 1.0]) * 1.15)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("How illicit voyages ended", fontsize=10)
    ax.grid(axis="x", linewidth=0.3, alpha=0.6)
    return fig


def step_times(rows: Iterable[VoyageRow], interval: str) -> list[float]:
    """Hours between the ends of kill-chain ``interval`` (:data:`~mda_sim.analysis.killchain.INTERVALS`,
    e.g. ``'detect'``, ``'intercept'``) over the voyages where both happened in order (as the
    ``timing`` analyzer counts them)."""
    start, end = INTERVALS[interval]
    dts = (getattr(r, end) - getattr(r, start) for r in rows)
    return [dt for dt in dts if dt >= 0]


def timing_figure(detect_h: Sequence[float], intercept_h: Sequence[float]) -> Figure:
    """Histograms of time to detect (departure to first detection) and time to intercept (tasking
    to intercept) [h], with the median marked."""
    fig = Figure(figsize=(SMALL[0] + 1.2, 2.9), layout="constrained")
    axes = fig.subplots(1, 2)
    panels = ((axes[0], detect_h, "Time to detect: departure to first detection", "#2874a6"),
              (axes[1], intercept_h, "Time to intercept: tasking to intercept", "#b03a2e"))
    for ax, data, what, colour in panels:
        data = np.asarray(data, float)
        if data.size:
            bins = min(20, max(5, int(np.sqrt(data.size)) + 1))
            ax.hist(data, bins=bins, color=colour, alpha=0.85, edgecolor="white", linewidth=0.5)
            med = float(np.median(data))
            ax.axvline(med, color="#17202a", linestyle="--", linewidth=1)
            ax.text(med, ax.get_ylim()[1] * 0.95, f" median {med:.1f} h", fontsize=7, va="top")
        else:
            ax.text(0.5, 0.5, "no voyage reached\nthis step", ha="center", va="center", fontsize=8,
                    color="#555555", transform=ax.transAxes)
            ax.set_yticks([])
        ax.set_title(f"{what} (n = {data.size})", fontsize=8)
        ax.set_xlabel("hours [h]")
        ax.set_ylabel("illicit voyages [count]")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


#: Most asset groups drawn in the utilization chart (the busiest; the page's table lists them all).
MAX_GROUPS_DRAWN = 20


def utilization_figure(groups: Sequence[tuple[str, float, float]], *, subtitle: str = "") -> Figure:
    """Hours at sea per asset group: ``(group, hours at sea [h], hours available [h])`` (available =
    hulls x run length, drawn faint behind), with utilization = at sea / available as a label.

    Only groups that went to sea are drawn, busiest first, at most :data:`MAX_GROUPS_DRAWN`; the
    title says how many were left out."""
    at_sea = sorted((g for g in groups if g[1] > 0), key=lambda g: (-g[1], g[0]))
    left_out = len(groups) - min(len(at_sea), MAX_GROUPS_DRAWN)
    groups = at_sea[:MAX_GROUPS_DRAWN]
    if left_out:
        note = f"{left_out} group{'s' if left_out != 1 else ''} not drawn: " + (
            "no time at sea" if len(at_sea) <= MAX_GROUPS_DRAWN else "least used or no time at sea")
        subtitle = f"{subtitle}; {note}" if subtitle else note
    fig = Figure(figsize=(SMALL[0], max(2.2, 0.32 * len(groups) + 1.1)), layout="constrained")
    ax = fig.add_subplot()
    names = [g for g, _, _ in groups]
    sea = np.array([h for _, h, _ in groups], float)
    avail = np.array([a for _, _, a in groups], float)
    y = np.arange(len(names))
    ax.barh(y, avail, color="#d6eaf8", height=0.75, label="available (hulls x run length)")
    ax.barh(y, sea, color="#1f618d", height=0.5, label="at sea")
    for yi, s, a in zip(y, sea, avail, strict=True):
        pct = f"{100 * s / a:.0f}%" if a > 0 else "-"
        ax.text(max(s, a), yi, f" {s:.0f} h ({pct})", va="center", fontsize=7)
    ax.set_yticks(y, names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max([*avail, *sea, 1.0]) * 1.3)
    ax.set_xlabel("hours [h]")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("Hours at sea per asset group" + (f"\n({subtitle})" if subtitle else ""), fontsize=10)
    if not groups:
        ax.text(0.5, 0.5, "no asset went to sea", ha="center", va="center", fontsize=8, color="#555555",
                transform=ax.transAxes)
    ax.grid(axis="x", linewidth=0.3, alpha=0.6)
    return fig


def legal_figure(decisions: Sequence[tuple[str, str, str, float]], *, xlabel: str = "decisions [count]") -> Figure:
    """Legal decisions by citation, stacked by decision (allowed / request / denied), from
    :func:`~mda_sim.analysis.outcomes.legal_impact` rows ``(rule, citation, outcome, count)``."""
    by_cit: dict[str, dict[str, float]] = {}
    for rule, citation, outcome, n in decisions:
        key = citation or rule or "-"
        by_cit.setdefault(key, {})
        by_cit[key][outcome] = by_cit[key].get(outcome, 0.0) + float(n)
    cits = sorted(by_cit, key=lambda c: -sum(by_cit[c].values()))
    labels = ["\n".join(textwrap.wrap(c, 42, max_lines=3, placeholder=" ...")) or "-" for c in cits]
    height = max(2.2, sum(0.22 * lab.count("\n") + 0.4 for lab in labels) + 1.1)
    fig = Figure(figsize=(SMALL[0] + 1.0, height), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(cits))
    left = np.zeros(len(cits))
    outcomes = list(DECISION_COLOURS) + sorted({o for c in cits for o in by_cit[c]} - set(DECISION_COLOURS))
    for outcome in outcomes:
        vals = np.array([by_cit[c].get(outcome, 0.0) for c in cits])
        if vals.any():
            ax.barh(y, vals, left=left, color=DECISION_COLOURS.get(outcome, OTHER_OUTCOME_COLOUR),
                    height=0.5, label=outcome)
            left += vals
    ax.set_yticks(y, labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, max([*left, 1.0]) * 1.15)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=7, loc="lower right", title="decision", title_fontsize=7)
    ax.set_title("Legal decisions by citation", fontsize=10)
    ax.grid(axis="x", linewidth=0.3, alpha=0.6)
    return fig
