"""Per-voyage facts and the run summary, read from the event log (pure: no simpy, no matplotlib).

Analyzers read only the log (DESIGN.md §2): a list or iterator of typed records from
:mod:`mda_sim.eventlog`. They never look at live simulation objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from mda_sim.eventlog.records import Event

__all__ = ["VoyageFacts", "summarise_voyages", "summary_table", "voyage_facts"]


@dataclass
class VoyageFacts:
    """What the log says about one voyage. Times are run hours; NaN when it never happened."""

    vessel: str
    flow: str
    vessel_type: str
    illicit: bool
    departed_h: float
    arrived_h: float = math.nan
    first_detected_h: float = math.nan
    first_ais_h: float = math.nan
    first_track_h: float = math.nan
    classified_h: float = math.nan
    label: str = ""
    label_correct: bool | None = None
    sensors: set[str] = field(default_factory=set)

    @property
    def detected(self) -> bool:
        """Seen by a non-cooperative sensor (radar, EO/IR, visual)."""
        return not math.isnan(self.first_detected_h)

    @property
    def seen(self) -> bool:
        """In anyone's picture: detected, or heard on AIS."""
        return not math.isnan(self.first_track_h)

    @property
    def time_to_first_detection_h(self) -> float:
        """Hours from departure to the first non-cooperative detection (NaN if never)."""
        return self.first_detected_h - self.departed_h


def voyage_facts(events: Iterable[Event]) -> dict[str, VoyageFacts]:
    """Fold the log into one :class:`VoyageFacts` per vessel, keyed by vessel id."""
    facts: dict[str, VoyageFacts] = {}
    for e in events:
        kind = e.kind
        if kind == "vessel_departed":
            facts[e.vessel] = VoyageFacts(e.vessel, e.flow, e.vessel_type, e.illicit, e.t_h)
            continue
        vessel = getattr(e, "vessel", None)
        f = facts.get(vessel) if vessel is not None else None
        if f is None:
            continue
        if kind == "detected":
            if not f.detected:
                f.first_detected_h = e.t_h
            f.sensors.add(e.sensor)
        elif kind == "ais_received":
            if math.isnan(f.first_ais_h) or e.first_h < f.first_ais_h:
                f.first_ais_h = e.first_h
            f.sensors.add(e.sensor)
        elif kind == "track_created":
            if math.isnan(f.first_track_h):
                f.first_track_h = e.t_h
        elif kind == "classified" and e.picture == "shared":
            f.classified_h = e.t_h if math.isnan(f.classified_h) else f.classified_h
            f.label, f.label_correct = e.label, e.correct
        elif kind == "arrived":
            f.arrived_h = e.t_h
    return facts


@dataclass(frozen=True)
class GroupSummary:
    """Counts and timings for one group of voyages (one vessel type, illicit or not)."""

    group: str
    illicit: bool
    voyages: int
    detected: int
    seen: int
    classified_suspect: int
    classified_correctly: int
    median_time_to_detection_h: float


def summarise_voyages(facts: dict[str, VoyageFacts]) -> list[GroupSummary]:
    """One row per (illicit, vessel type), sorted illicit first then by type."""
    groups: dict[tuple[bool, str], list[VoyageFacts]] = {}
    for f in facts.values():
        groups.setdefault((f.illicit, f.vessel_type), []).append(f)
    rows = []
    for (illicit, vtype), items in sorted(groups.items(), key=lambda kv: (not kv[0][0], kv[0][1])):
        ttd = [f.time_to_first_detection_h for f in items if f.detected]
        rows.append(
            GroupSummary(
                group=vtype,
                illicit=illicit,
                voyages=len(items),
                detected=sum(f.detected for f in items),
                seen=sum(f.seen for f in items),
                classified_suspect=sum(f.label == "suspect" for f in items),
                classified_correctly=sum(bool(f.label_correct) for f in items),
                median_time_to_detection_h=float(np.median(ttd)) if ttd else math.nan,
            )
        )
    return rows


def summary_table(rows: list[GroupSummary]) -> str:
    """A fixed-width text table of :func:`summarise_voyages` rows, for the terminal.

    Columns: voyages; detected (by a non-cooperative sensor); in picture (tracked by any partner,
    AIS included); suspect (labelled suspect at some time); correct (a correct final label);
    median time to first detection after departure [h]."""
    width = max([len("vessel type"), *(len(r.group) for r in rows)])
    header = (f"{'traffic':<9} {'vessel type':<{width}} {'voyages':>7} {'detected':>9} {'in picture':>10} "
              f"{'suspect':>8} {'correct':>8} {'median TTD h':>12}")
    lines = [header, "-" * len(header)]
    for r in rows:
        ttd = "-" if math.isnan(r.median_time_to_detection_h) else f"{r.median_time_to_detection_h:.1f}"
        lines.append(
            f"{'illicit' if r.illicit else 'lawful':<9} {r.group:<{width}} {r.voyages:>7} {r.detected:>9} "
            f"{r.seen:>10} {r.classified_suspect:>8} {r.classified_correctly:>8} {ttd:>12}"
        )
    return "\n".join(lines)
