"""What the patrol assets did, read from the event log (pure).

:func:`asset_table` gives one tidy :class:`AssetRow` per hull, airframe or launched boat (plain
values, for CSV export); :class:`AssetsAnalyzer` (``assets``) sums them into named scalar metrics;
:mod:`mda_sim.analysis.metrics` registers it.

Hulls and airframes (``<asset group>/<n>``) go through ``at_base``, ``sortie``, ``returned`` and
``unavailable`` states; boats launched from a hull (``<hull>/<craft>``) only through ``launched``
and ``recovered``. An asset is a *hull* when it has a ``asset_state`` record of the first kind.

Like every analyzer this reads only the log (DESIGN.md §2): no simpy, no matplotlib, no live objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mda_sim.analysis.killchain import metric_key, ratio
from mda_sim.eventlog.records import Event

__all__ = ["AT_SEA_FROM", "AT_SEA_UNTIL", "BOAT_STATES", "AssetRow", "AssetsAnalyzer", "asset_table"]

#: ``asset_state`` states that start a stretch at sea, and those that end one.
AT_SEA_FROM: frozenset[str] = frozenset({"sortie", "launched"})
AT_SEA_UNTIL: frozenset[str] = frozenset({"returned", "recovered"})
#: States only a boat launched from a hull goes through.
BOAT_STATES: frozenset[str] = frozenset({"launched", "recovered"})


@dataclass(frozen=True)
class AssetRow:
    """One asset over the run.

    ``group``: the asset id before the first '/' (``'uscg_frc/3'`` -> ``'uscg_frc'``). ``hull``:
    a hull or airframe rather than a boat launched from one. ``hours_at_sea_h``: time between
    each ``sortie`` (a boat: ``launched``) and the next ``returned`` (``recovered``), or the end
    of the run. ``utilization``: hours at sea / run length. ``hours_prosecuting_h``: time from each
    ``tasked`` to the asset's next ``pursuit_ended`` for that vessel (when it intercepted, to the end
    of its boarding of the vessel, if it boarded before its next tasking), or the end of the run;
    overlapping spells (a re-tasking) count once. Counts: ``sorties`` (``sortie`` states),
    ``taskings``, ``intercepts`` (pursuits ended ``intercepted``), ``boardings``, ``seizures`` and
    the ``seized_kg`` of cargo.
    """

    asset: str
    group: str
    hull: bool
    sorties: int
    hours_at_sea_h: float
    utilization: float
    hours_prosecuting_h: float
    taskings: int
    intercepts: int
    boardings: int
    seizures: int
    seized_kg: float


def _first_at_or_after(times: Sequence[float], t: float, before: float = math.inf) -> float | None:
    """The first of the sorted ``times`` in ``[t, before)``, or None."""
    for x in times:
        if t <= x < before:
            return x
    return None


def _union_length(spells: list[tuple[float, float]]) -> float:
    """Total length of the union of the intervals ``spells``."""
    total, end = 0.0, -math.inf
    for a, b in sorted(spells):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def _prosecution_spells(events: Sequence[Event], duration_h: float) -> dict[str, list[tuple[float, float]]]:
    """Per asset, the ``[tasked, end]`` spells of :attr:`AssetRow.hours_prosecuting_h`
    (``events`` sorted by time)."""
    tasked: list[Event] = []
    ends: dict[tuple[str, str], list[tuple[float, str]]] = {}
    boarded: dict[tuple[str, str], list[float]] = {}
    task_times: dict[str, list[float]] = {}
    for e in events:
        if e.kind == "tasked":
            tasked.append(e)
            task_times.setdefault(e.asset, []).append(e.t_h)
        elif e.kind == "pursuit_ended":
            ends.setdefault((e.asset, e.vessel), []).append((e.t_h, e.reason))
        elif e.kind == "boarded":
            boarded.setdefault((e.asset, e.vessel), []).append(e.t_h)
    spells: dict[str, list[tuple[float, float]]] = {}
    for e in tasked:
        key = (e.asset, e.vessel)
        end = next(((t, reason) for t, reason in ends.get(key, []) if t >= e.t_h), None)
        if end is None:
            t_end = max(e.t_h, duration_h)
        else:
            t_end, reason = end
            if reason == "intercepted":
                next_task = _first_at_or_after(task_times[e.asset], t_end) if e.asset in task_times else None
                b = _first_at_or_after(boarded.get(key, []), t_end,
                                       math.inf if next_task is None else next_task)
                t_end = t_end if b is None else b
        spells.setdefault(e.asset, []).append((e.t_h, t_end))
    return spells


def asset_table(events: Iterable[Event], duration_h: float) -> list[AssetRow]:
    """One :class:`AssetRow` per asset named by any record with an ``asset`` field (``asset_state``,
    ``tasked``, ``boarded``, ``legal_decision``, ...), sorted by asset id. The log
    need not be sorted; ``duration_h`` [h] closes stretches still open at the end of the run."""
    events = sorted(events, key=lambda e: e.t_h)  # stable: log order breaks ties
    assets: set[str] = set()
    hulls: set[str] = set()
    sorties: dict[str, int] = {}
    at_sea: dict[str, float] = {}
    out_since: dict[str, float] = {}
    counts: dict[tuple[str, str], int] = {}
    seized_kg: dict[str, float] = {}
    counted = {"tasked": "taskings", "boarded": "boardings", "seized": "seizures"}
    for e in events:
        asset = getattr(e, "asset", None)
        if asset is None:
            continue
        assets.add(asset)
        if e.kind == "asset_state":
            if e.state not in BOAT_STATES:
                hulls.add(asset)
            if e.state == "sortie":
                sorties[asset] = sorties.get(asset, 0) + 1
            if e.state in AT_SEA_FROM:
                out_since.setdefault(asset, e.t_h)
            elif e.state in AT_SEA_UNTIL and asset in out_since:
                at_sea[asset] = at_sea.get(asset, 0.0) + e.t_h - out_since.pop(asset)
        elif e.kind == "pursuit_ended" and e.reason == "intercepted":
            counts[asset, "intercepts"] = counts.get((asset, "intercepts"), 0) + 1
        elif e.kind in counted:
            counts[asset, counted[e.kind]] = counts.get((asset, counted[e.kind]), 0) + 1
            if e.kind == "seized":
                seized_kg[asset] = seized_kg.get(asset, 0.0) + float(e.kg)
    for asset, t in out_since.items():
        at_sea[asset] = at_sea.get(asset, 0.0) + max(0.0, duration_h - t)
    prosecuting = _prosecution_spells(events, duration_h)
    return [
        AssetRow(
            asset=a,
            group=a.split("/", 1)[0],
            hull=a in hulls,
            sorties=sorties.get(a, 0),
            hours_at_sea_h=at_sea.get(a, 0.0),
            utilization=ratio(at_sea.get(a, 0.0), duration_h),
            hours_prosecuting_h=_union_length(prosecuting.get(a, [])),
            taskings=counts.get((a, "taskings"), 0),
            intercepts=counts.get((a, "intercepts"), 0),
            boardings=counts.get((a, "boardings"), 0),
            seizures=counts.get((a, "seizures"), 0),
            seized_kg=seized_kg.get(a, 0.0),
        )
        for a in sorted(assets)
    ]


class AssetsAnalyzer:
    """How the patrol assets were used over the run (from :func:`asset_table`).

    ``n_hulls``: hulls and airframes seen in the log. ``asset_hours_at_sea_h``: their hours at sea
    summed (boats launched from them not counted again); ``hours_at_sea_<group>_h`` the same per
    asset group; ``sorties``: ``sortie`` states; ``asset_utilization``: hours at sea / (hulls ×
    ``duration_h``), NaN with no hulls or no run length. ``asset_hours_prosecuting_h``: hours
    prosecuting summed over all assets, boats included (see :class:`AssetRow`).
    """

    name = "assets"

    def metrics(self, events: Sequence[Event], *, duration_h: float) -> dict[str, float]:
        rows = asset_table(events, duration_h)
        hulls = [r for r in rows if r.hull]
        hours = sum(r.hours_at_sea_h for r in hulls)
        out = {
            "n_hulls": float(len(hulls)),
            "asset_hours_at_sea_h": float(hours),
            "sorties": float(sum(r.sorties for r in rows)),
            "asset_utilization": ratio(hours, len(hulls) * duration_h),
            "asset_hours_prosecuting_h": float(sum(r.hours_prosecuting_h for r in rows)),
        }
        for r in hulls:
            key = f"hours_at_sea_{metric_key(r.group)}_h"
            out[key] = out.get(key, 0.0) + r.hours_at_sea_h
        return out
