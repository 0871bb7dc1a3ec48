"""The kill chain of each voyage and the metrics built on it, read from the event log (pure).

:func:`voyage_table` gives one tidy :class:`VoyageRow` per voyage (plain values, for CSV export):
what it was, when each step of the kill chain happened to it (via
:func:`~mda_sim.analysis.outcomes.outcome_rows`, so the steps mean the same everywhere) and how it
ended. :class:`KillChainAnalyzer` (``killchain``) and :class:`TimingAnalyzer` (``timing``) turn the
illicit rows into named scalar metrics; :mod:`mda_sim.analysis.metrics` registers them.

The small numeric helpers the analyzers share (:func:`ratio`, :func:`mean`, :func:`median`,
:func:`metric_key`, :func:`put`) live here too.

Like every analyzer this reads only the log (DESIGN.md §2): no simpy, no matplotlib, no live objects.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from mda_sim.analysis.outcomes import outcome_rows
from mda_sim.eventlog.records import Event, VoyageOutcome

__all__ = [
    "INTERDICTING_KINDS",
    "INTERVALS",
    "KILLCHAIN_STEPS",
    "KillChainAnalyzer",
    "TimingAnalyzer",
    "VoyageRow",
    "mean",
    "median",
    "metric_key",
    "put",
    "ratio",
    "voyage_table",
]


# --- helpers shared by the analyzers ----------------------------------------------------------------


def metric_key(text: str) -> str:
    """``text`` as a snake_case piece of a metric name (``'Go-Fast'`` -> ``'go_fast'``)."""
    return re.sub(r"[^0-9a-z]+", "_", str(text).lower()).strip("_") or "unknown"


def ratio(num: float, den: float) -> float:
    """``num / den``; NaN when the denominator is not positive."""
    return num / den if den > 0 else math.nan


def mean(xs: Sequence[float]) -> float:
    """Mean (NaN of an empty sequence)."""
    return statistics.fmean(xs) if xs else math.nan


def median(xs: Sequence[float]) -> float:
    """Median (NaN of an empty sequence)."""
    return float(statistics.median(xs)) if xs else math.nan


def put(out: dict[str, float], key: str, value: float) -> None:
    """Set a metric, refusing to overwrite one (e.g. two groups that map to the same name).

    Raises:
        ValueError: ``key`` is already in ``out``.
    """
    if key in out:
        raise ValueError(f"metric {key!r} computed twice (two groups map to the same name)")
    out[key] = float(value)


# --- the per-voyage table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VoyageRow:
    """One voyage. Times are run hours, NaN when the step never happened.

    The kill-chain times are the earliest record of each step (as in
    :class:`~mda_sim.analysis.outcomes.OutcomeRow`): ``first_detected_h`` a non-cooperative
    ``detected``; ``suspect_h`` a ``suspect`` label in any picture; ``tasked_h`` a ``tasked``;
    ``intercepted_h`` a ``pursuit_ended`` with reason ``intercepted``; ``authorized_h`` a boarding
    ``allowed`` by a legal decision or ``granted`` by an authority; ``boarded_h`` the end of a
    boarding. ``first_detect_partner``/``first_detect_sensor`` made the first detection ('' when
    none). ``outcome``, ``reason``, ``disrupted`` and ``removed_kg`` come from the voyage's
    ``voyage_outcome`` ('' / False / 0 when it has none, e.g. a lawful voyage); ``cargo_kg`` is
    the outcome's cargo shipped, else the departure's. ``interdicted``: see
    :data:`INTERDICTING_KINDS`.
    """

    vessel: str
    flow: str
    vessel_type: str
    cargo: str
    illicit: bool
    cargo_kg: float
    persons: int
    departed_h: float
    arrived_h: float
    first_detected_h: float
    first_detect_partner: str
    first_detect_sensor: str
    suspect_h: float
    tasked_h: float
    intercepted_h: float
    authorized_h: float
    boarded_h: float
    jettisoned_kg: float
    seized_kg: float
    interdicted: bool
    outcome: str
    reason: str
    disrupted: bool
    removed_kg: float

    @property
    def detected(self) -> bool:
        return not math.isnan(self.first_detected_h)


#: Records that make a voyage *interdicted*: the enforcer acted on the vessel itself (it was boarded,
#: with or without evidence; its cargo was seized; or it threw its cargo overboard under pursuit).
#: Broader than *disrupted* (seizure or forced jettison): a boarding that found nothing counts.
INTERDICTING_KINDS: frozenset[str] = frozenset({"boarded", "seized", "jettisoned"})

_NO_DETECTION = (math.inf, "", "")


def voyage_table(events: Iterable[Event]) -> list[VoyageRow]:
    """One :class:`VoyageRow` per voyage (every ``vessel_departed``, plus any vessel with a
    ``voyage_outcome`` but no departure), sorted by vessel id. The log need not be sorted.

    A vessel with no departure record counts as illicit (only illicit voyages have outcomes).

    Raises:
        ValueError: a vessel has more than one ``voyage_outcome`` record.
    """
    events = list(events)
    departed: dict[str, Event] = {}
    arrived: dict[str, float] = {}
    first: dict[str, tuple[float, str, str]] = {}
    jettisoned: dict[str, float] = {}
    seized: dict[str, float] = {}
    interdicted: set[str] = set()
    has_outcome: set[str] = set()
    for e in events:
        kind = e.kind
        if kind == "vessel_departed":
            departed[e.vessel] = e
        elif kind == "voyage_outcome":
            has_outcome.add(e.vessel)
        elif kind == "arrived":
            arrived[e.vessel] = min(e.t_h, arrived.get(e.vessel, math.inf))
        elif kind == "detected" and e.t_h < first.get(e.vessel, _NO_DETECTION)[0]:
            first[e.vessel] = (e.t_h, e.partner, e.sensor)
        if kind in INTERDICTING_KINDS:
            interdicted.add(e.vessel)
            if kind == "jettisoned":
                jettisoned[e.vessel] = jettisoned.get(e.vessel, 0.0) + float(e.kg)
            elif kind == "seized":
                seized[e.vessel] = seized.get(e.vessel, 0.0) + float(e.kg)
    # Kill-chain times come from outcome_rows, which makes one row per outcome record: give the
    # voyages without one a placeholder outcome (outcome '') so every voyage gets its row.
    placeholders = [VoyageOutcome(math.nan, v, d.flow, "", "", "", False, float(d.cargo_kg), 0.0)
                    for v, d in departed.items() if v not in has_outcome]
    rows = []
    for r in outcome_rows([*events, *placeholders]):
        d = departed.get(r.vessel)
        _, partner, sensor = first.get(r.vessel, _NO_DETECTION)
        rows.append(VoyageRow(
            vessel=r.vessel,
            flow=r.flow,
            vessel_type=d.vessel_type if d else "",
            cargo=d.cargo if d else "",
            illicit=bool(d.illicit) if d else True,
            cargo_kg=r.cargo_kg,
            persons=int(d.persons) if d else 0,
            departed_h=r.departed_h,
            arrived_h=arrived.get(r.vessel, math.nan),
            first_detected_h=r.first_detected_h,
            first_detect_partner=partner,
            first_detect_sensor=sensor,
            suspect_h=r.suspect_h,
            tasked_h=r.tasked_h,
            intercepted_h=r.intercepted_h,
            authorized_h=r.authorized_h,
            boarded_h=r.boarded_h,
            jettisoned_kg=jettisoned.get(r.vessel, 0.0),
            seized_kg=seized.get(r.vessel, 0.0),
            interdicted=r.vessel in interdicted,
            outcome=r.outcome,
            reason=r.reason,
            disrupted=r.disrupted,
            removed_kg=r.removed_kg,
        ))
    return rows


def illicit_rows(events: Iterable[Event]) -> list[VoyageRow]:
    """The illicit rows of :func:`voyage_table`."""
    return [r for r in voyage_table(events) if r.illicit]


# --- the kill chain ---------------------------------------------------------------------------------


def _happened(attr: str) -> Callable[[VoyageRow], bool]:
    return lambda r: not math.isnan(getattr(r, attr))


#: The steps of the kill chain, in order: step name -> whether a voyage reached it.
KILLCHAIN_STEPS: dict[str, Callable[[VoyageRow], bool]] = {
    "detected": _happened("first_detected_h"),
    "classified": _happened("suspect_h"),
    "assigned": _happened("tasked_h"),
    "intercepted": _happened("intercepted_h"),
    "authorized": _happened("authorized_h"),
    "boarded": _happened("boarded_h"),
    "disrupted": lambda r: r.disrupted,
}

#: Per-vessel-type rates: metric prefix -> whether a voyage counts (over that type's illicit voyages).
GROUP_RATES: dict[str, Callable[[VoyageRow], bool]] = {
    "detect_rate": KILLCHAIN_STEPS["detected"],
    "disrupt_rate": KILLCHAIN_STEPS["disrupted"],
    "interdict_rate": lambda r: r.interdicted,
}


class KillChainAnalyzer:
    """The funnel of illicit voyages through the kill chain.

    ``n_illicit``: illicit voyages. ``frac_<step>`` for each step of :data:`KILLCHAIN_STEPS`
    (detected, classified = labelled suspect in any picture, assigned = tasked, intercepted,
    authorized = boarding allowed or granted, boarded, disrupted = ``voyage_outcome.disrupted``):
    illicit voyages that reached the step / illicit voyages (each step counted on its own, so a
    voyage can skip one, e.g. tasked on an intelligence cue before any suspect label).

    By vessel type (snake_case), over that type's illicit voyages: ``detect_rate_<type>``,
    ``disrupt_rate_<type>`` and ``interdict_rate_<type>`` (boarded, seized or jettisoned: see
    :data:`INTERDICTING_KINDS`). Over all illicit voyages: ``disrupt_rate_illicit`` (= disrupted /
    illicit), ``interdict_rate_illicit``, and ``disrupt_given_detect`` (disrupted / detected illicit
    voyages). Rates with no voyages under them are NaN.
    """

    name = "killchain"

    def metrics(self, events: Sequence[Event], *, duration_h: float) -> dict[str, float]:
        rows = illicit_rows(events)
        n = len(rows)
        out = {"n_illicit": float(n)}
        for step, reached in KILLCHAIN_STEPS.items():
            out[f"frac_{step}"] = ratio(sum(map(reached, rows)), n)
        groups: dict[str, list[VoyageRow]] = {}
        for r in rows:
            groups.setdefault(metric_key(r.vessel_type), []).append(r)
        for group, items in sorted(groups.items()):
            for prefix, counts in GROUP_RATES.items():
                put(out, f"{prefix}_{group}", ratio(sum(map(counts, items)), len(items)))
        put(out, "disrupt_rate_illicit", ratio(sum(r.disrupted for r in rows), n))
        put(out, "interdict_rate_illicit", ratio(sum(r.interdicted for r in rows), n))
        detected = [r for r in rows if r.detected]
        put(out, "disrupt_given_detect", ratio(sum(r.disrupted for r in detected), len(detected)))
        return out


#: Kill-chain intervals: name -> (from step time, to step time) on :class:`VoyageRow`.
INTERVALS: dict[str, tuple[str, str]] = {
    "detect": ("departed_h", "first_detected_h"),
    "classify": ("first_detected_h", "suspect_h"),
    "assign": ("suspect_h", "tasked_h"),
    "intercept": ("tasked_h", "intercepted_h"),
}


class TimingAnalyzer:
    """How long the kill chain took, over the illicit voyages where both ends of a step happened.

    ``mean_time_to_<step>_h`` and ``median_time_to_<step>_h`` for each interval of
    :data:`INTERVALS`: detect (departure -> first non-cooperative detection), classify (first
    detection -> first suspect label), assign (first suspect label -> first tasking), intercept
    (first tasking -> first intercept). A voyage whose steps came out of that order (e.g. labelled
    suspect from its AIS before any radar saw it, or tasked on an intelligence cue before a
    suspect label) has no time for that interval and is left out of it. NaN when no voyage counts.
    """

    name = "timing"

    def metrics(self, events: Sequence[Event], *, duration_h: float) -> dict[str, float]:
        rows = illicit_rows(events)
        out: dict[str, float] = {}
        for step, (start, end) in INTERVALS.items():
            dts = [getattr(r, end) - getattr(r, start) for r in rows]
            dts = [dt for dt in dts if dt >= 0]  # NaN compares false: steps that never happened
            out[f"mean_time_to_{step}_h"] = mean(dts)
            out[f"median_time_to_{step}_h"] = median(dts)
        return out
