"""How illicit voyages ended, and the kill chain that led there, read from the event log (pure).

Every illicit voyage ends in exactly one ``voyage_outcome`` record (written at its end, or at the end of
the run for one still at sea). :func:`outcome_rows` joins each outcome to the times of the steps of
the kill chain for that vessel (departure, first detection, suspect label, tasking, intercept,
authorization to board, boarding); :func:`outcome_counts` and :func:`legal_impact` aggregate them;
:func:`outcomes_table` makes the text block for the run summary.

Like every analyzer this reads only the log (DESIGN.md §2): no simpy, no matplotlib, no live objects.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from mda_sim.eventlog.records import LAW_STOPPED_OUTCOMES, VOYAGE_OUTCOMES, Event

__all__ = [
    "OUTCOME_ORDER",
    "OutcomeRow",
    "check_one_outcome_per_illicit_voyage",
    "disruption_rate",
    "legal_impact",
    "lost_to_law",
    "outcome_counts",
    "outcome_rows",
    "outcomes_table",
    "removal_rate",
]

#: Outcomes in reporting order: from the best end for the enforcer to the worst.
OUTCOME_ORDER: tuple[str, ...] = VOYAGE_OUTCOMES

#: Target width of :func:`outcomes_table` [characters].
TABLE_WIDTH = 100
_ELLIPSIS = "..."


@dataclass(frozen=True)
class OutcomeRow:
    """One illicit voyage's outcome and its kill-chain times [run hours; NaN when the step never
    happened]. ``t_h`` is the time of the outcome record; ``boarded_h`` the end of the first
    boarding (the time of its ``boarded`` record)."""

    vessel: str
    flow: str
    outcome: str
    reason: str
    citation: str
    disrupted: bool
    cargo_kg: float
    removed_kg: float
    t_h: float
    departed_h: float = math.nan
    first_detected_h: float = math.nan
    suspect_h: float = math.nan
    tasked_h: float = math.nan
    intercepted_h: float = math.nan
    authorized_h: float = math.nan
    boarded_h: float = math.nan


_STEPS = ("departed_h", "first_detected_h", "suspect_h", "tasked_h", "intercepted_h",
          "authorized_h", "boarded_h")


def _step(e: Event) -> str | None:
    """The kill-chain step ``e`` marks for its vessel, if any."""
    kind = e.kind
    if kind == "vessel_departed":
        return "departed_h"
    if kind == "detected":
        return "first_detected_h"
    if kind == "classified":
        return "suspect_h" if e.label == "suspect" else None
    if kind == "tasked":
        return "tasked_h"
    if kind == "pursuit_ended":
        return "intercepted_h" if e.reason == "intercepted" else None
    if kind == "legal_decision":
        return "authorized_h" if e.action == "board" and e.outcome == "allowed" else None
    if kind == "authority_answered":
        return "authorized_h" if e.action == "board" and e.granted else None
    if kind == "boarded":
        return "boarded_h"
    return None


def outcome_rows(events: Iterable[Event]) -> list[OutcomeRow]:
    """One :class:`OutcomeRow` per ``voyage_outcome`` record, sorted by vessel id.

    Each step's time is the earliest record of that step for the vessel (the log need not be
    sorted). A log without outcome records (an old log) gives an empty list; use
    :func:`check_one_outcome_per_illicit_voyage` to require them.

    Raises:
        ValueError: a vessel has more than one ``voyage_outcome`` record.
    """
    outcomes: dict[str, Event] = {}
    times: dict[str, dict[str, float]] = {}
    for e in events:
        if e.kind == "voyage_outcome":
            if e.vessel in outcomes:
                raise ValueError(
                    f"vessel {e.vessel!r} has more than one voyage_outcome record "
                    f"({outcomes[e.vessel].outcome!r} at {outcomes[e.vessel].t_h:g} h, "
                    f"{e.outcome!r} at {e.t_h:g} h); every illicit voyage ends in exactly one outcome"
                )
            outcomes[e.vessel] = e
            continue
        step = _step(e)
        if step is None:
            continue
        steps = times.setdefault(e.vessel, {})
        if e.t_h < steps.get(step, math.inf):
            steps[step] = e.t_h
    return [
        OutcomeRow(
            vessel=o.vessel,
            flow=o.flow,
            outcome=o.outcome,
            reason=o.reason,
            citation=o.citation,
            disrupted=bool(o.disrupted),
            cargo_kg=float(o.cargo_kg),
            removed_kg=float(o.removed_kg),
            t_h=o.t_h,
            **{s: times.get(v, {}).get(s, math.nan) for s in _STEPS},
        )
        for v, o in sorted(outcomes.items())
    ]


def check_one_outcome_per_illicit_voyage(events: Iterable[Event]) -> list[str]:
    """Problems with the rule "every illicit voyage ends in exactly one outcome", one message per
    offending vessel naming it (empty when the log obeys it), sorted by vessel id.

    Reported: a vessel with two or more ``voyage_outcome`` records; an illicit ``vessel_departed``
    with none; an outcome for a vessel that never departed as illicit traffic.
    """
    illicit: set[str] = set()
    departed: set[str] = set()
    n_outcomes: Counter[str] = Counter()
    for e in events:
        if e.kind == "vessel_departed":
            departed.add(e.vessel)
            if e.illicit:
                illicit.add(e.vessel)
        elif e.kind == "voyage_outcome":
            n_outcomes[e.vessel] += 1
    problems: list[tuple[str, str]] = []
    for v in sorted(illicit | set(n_outcomes)):
        n = n_outcomes[v]
        if n > 1:
            problems.append((v, f"vessel {v!r} has {n} voyage_outcome records (expected exactly one)"))
        if v in illicit and n == 0:
            problems.append((v, f"illicit vessel {v!r} departed but has no voyage_outcome record"))
        if v not in illicit and n > 0:
            what = "a lawful voyage" if v in departed else "a vessel that never departed"
            problems.append((v, f"vessel {v!r} has a voyage_outcome record but is {what}"))
    return [msg for _, msg in problems]


def _outcome_key(outcome: str) -> tuple[int, str]:
    try:
        return (OUTCOME_ORDER.index(outcome), "")
    except ValueError:
        return (len(OUTCOME_ORDER), outcome)


def outcome_counts(rows: Iterable[OutcomeRow], *, include_zero: bool = True
                   ) -> list[tuple[str, int, float, float]]:
    """``(outcome, voyages, cargo shipped [kg], cargo removed [kg])`` per outcome.

    Known outcomes come in the order of :data:`OUTCOME_ORDER` (with zero rows for those that never
    happened unless ``include_zero`` is false), then any unknown outcomes alphabetically.
    """
    acc: dict[str, list[float]] = {o: [0, 0.0, 0.0] for o in OUTCOME_ORDER} if include_zero else {}
    for r in rows:
        a = acc.setdefault(r.outcome, [0, 0.0, 0.0])
        a[0] += 1
        a[1] += r.cargo_kg
        a[2] += r.removed_kg
    return [(o, int(a[0]), float(a[1]), float(a[2])) for o, a in sorted(acc.items(),
                                                                         key=lambda kv: _outcome_key(kv[0]))]


def disruption_rate(rows: Iterable[OutcomeRow]) -> float:
    """Disrupted voyages / illicit voyages (NaN when there are none)."""
    rows = list(rows)
    return sum(r.disrupted for r in rows) / len(rows) if rows else math.nan


def removal_rate(rows: Iterable[OutcomeRow]) -> float:
    """Cargo removed / cargo shipped [kg/kg] (NaN when no cargo was shipped)."""
    rows = list(rows)
    shipped = sum(r.cargo_kg for r in rows)
    return sum(r.removed_kg for r in rows) / shipped if shipped > 0 else math.nan


def legal_impact(events: Iterable[Event]) -> list[tuple[str, str, str, int]]:
    """``(rule, citation, outcome, decisions)`` counting ``legal_decision`` records, most frequent
    first, ties by rule, citation and outcome."""
    counts = Counter((e.rule, e.citation, e.outcome) for e in events if e.kind == "legal_decision")
    return [(rule, cit, out, n) for (rule, cit, out), n in
            sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def lost_to_law(events: Iterable[Event]) -> list[tuple[str, str, int, float]]:
    """Voyages the law stopped (outcome ``blocked`` or ``consent_refused``), by the state whose
    authority decided and the citation: ``(state, citation, voyages, cargo_kg)``, most voyages first.

    The state is the authority of the voyage's last ``request`` decision (the state that did not
    answer in time, or refused), else the territory of its last ``denied`` decision.
    """
    events = list(events)
    last: dict[str, str] = {}
    for e in events:
        if e.kind == "legal_decision" and e.outcome in ("request", "denied"):
            last[e.vessel] = e.authority or e.territory or "-"
    counts: Counter = Counter()
    kg: dict[tuple[str, str], float] = {}
    for e in events:
        if e.kind == "voyage_outcome" and e.outcome in LAW_STOPPED_OUTCOMES:
            key = (last.get(e.vessel, "-"), e.citation or "-")
            counts[key] += 1
            kg[key] = kg.get(key, 0.0) + float(e.cargo_kg)
    return [(st, cit, n, kg[(st, cit)]) for (st, cit), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else f"{100 * x:.0f}%"


def outcomes_table(rows: list[OutcomeRow], legal: list[tuple[str, str, str, int]],
                   lost: list[tuple[str, str, int, float]] = ()) -> str:
    """A plain-text block for the run summary, about :data:`TABLE_WIDTH` columns wide.

    Three parts: the outcome counts with their share of illicit voyages and the cargo shipped and
    removed [kg], then the disruption rate (disrupted / illicit voyages) and removal rate (removed /
    shipped kg); the legal decisions by citation (from :func:`legal_impact`); and one line per
    illicit voyage, ``vessel  flow  outcome  reason  [citation]``. Long reasons are cut with an
    ellipsis to keep lines near :data:`TABLE_WIDTH`; citations are never cut.
    """
    n = len(rows)
    lines = [f"Illicit voyage outcomes ({n} voyage{'s' if n != 1 else ''})"]

    counts = outcome_counts(rows)
    ow = max([len("outcome"), *(len(c[0]) for c in counts)])
    header = f"{'outcome':<{ow}} {'voyages':>7} {'share':>6} {'cargo kg':>10} {'removed kg':>10}"
    lines += [header, "-" * len(header)]
    for outcome, k, cargo, removed in counts:
        share = _pct(k / n) if n else "-"
        lines.append(f"{outcome:<{ow}} {k:>7} {share:>6} {cargo:>10.0f} {removed:>10.0f}")
    shipped = sum(r.cargo_kg for r in rows)
    removed = sum(r.removed_kg for r in rows)
    disrupted = sum(r.disrupted for r in rows)
    lines.append(f"{'total':<{ow}} {n:>7} {'':>6} {shipped:>10.0f} {removed:>10.0f}")
    lines.append(f"disruption rate {_pct(disruption_rate(rows))} ({disrupted} of {n} voyages); "
                 f"removal rate {_pct(removal_rate(rows))} ({removed:.0f} of {shipped:.0f} kg)")

    lines += ["", "Legal decisions by citation"]
    if legal:
        rw = max([len("rule"), *(len(r) for r, _, _, _ in legal)])
        dw = max([len("decision"), *(len(o) for _, _, o, _ in legal)])
        header = f"{'count':>5} {'decision':<{dw}} {'rule':<{rw}} citation"
        lines += [header, "-" * len(header)]
        lines += [f"{k:>5} {o:<{dw}} {r:<{rw}} {c or '-'}" for r, c, o, k in legal]
    else:
        lines.append("(none)")

    if lost:
        lines += ["", "Voyages lost to jurisdiction (blocked or consent refused), by deciding state"]
        lines += [f"{n:>5} voyages {kg:>8.0f} kg  {st:<4} {cit}" for st, cit, n, kg in lost]

    lines += ["", "Illicit voyages"]
    if rows:
        vw = max(len(r.vessel) for r in rows)
        fw = max(len(r.flow) for r in rows)
        ow = max(len(r.outcome) for r in rows)
        # One line per voyage with its whole reason (the reason is what a planner reads); the
        # citation, when the law decided it, on the next line, indented and never cut.
        for r in rows:
            lines.append(f"{r.vessel:<{vw}}  {r.flow:<{fw}}  {r.outcome:<{ow}}  {r.reason}".rstrip())
            if r.citation:
                lines.append(f"{'':<{vw}}  cited: {r.citation}")
    else:
        lines.append("(none)")
    return "\n".join(lines)
