"""Named scalar metrics of a run, read from its event log by pluggable analyzers (pure).

An analyzer is any object with a ``name`` and a ``metrics(events, *, duration_h)`` method that folds
the log into a ``dict`` of named scalars (floats; NaN when a metric is undefined, e.g. a rate with no
denominator). Analyzer classes register themselves in :data:`ANALYZERS` with
:func:`register_analyzer`; :func:`run_analyzers` runs all of them (or the ones named) and merges
their metrics, which must not share a name. Adding an analyzer is adding a registered class: nothing
here dispatches on names.

The built-in analyzers:

==============  ============================================================================
``killchain``   the funnel of illicit voyages through the kill chain, detection, disruption
                and interdiction rates by vessel type (:mod:`mda_sim.analysis.killchain`)
``timing``      times between kill-chain steps (:mod:`mda_sim.analysis.killchain`)
``outcomes``    outcome counts, cargo shipped and removed, removal and disruption rates
``legal``       legal decisions, requests, voyages blocked by law, waits for consent
``sensors``     which partner's sensors first saw each detected illicit voyage
``assets``      hours at sea, sorties, utilization, hours prosecuting
                (:mod:`mda_sim.analysis.performance`)
==============  ============================================================================

:func:`~mda_sim.analysis.killchain.voyage_table` and
:func:`~mda_sim.analysis.performance.asset_table` give the tidy per-voyage and per-asset rows the
metrics are built from (plain values, for CSV export); both are re-exported here.

Like every analyzer this reads only the log (DESIGN.md §2): no simpy, no matplotlib, no live objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Protocol, runtime_checkable

from mda_sim.analysis.killchain import (
    KillChainAnalyzer,
    TimingAnalyzer,
    VoyageRow,
    mean,
    median,
    metric_key,
    put,
    ratio,
    voyage_table,
)
from mda_sim.analysis.outcomes import disruption_rate, outcome_counts, outcome_rows, removal_rate
from mda_sim.analysis.performance import AssetRow, AssetsAnalyzer, asset_table
from mda_sim.eventlog.records import LAW_STOPPED_OUTCOMES, Event

__all__ = [
    "ANALYZERS",
    "METRIC_FAMILY_PREFIXES",
    "Analyzer",
    "AssetRow",
    "AssetsAnalyzer",
    "KillChainAnalyzer",
    "LegalAnalyzer",
    "OutcomesAnalyzer",
    "SensorsAnalyzer",
    "TimingAnalyzer",
    "VoyageRow",
    "asset_table",
    "known_metric",
    "metric_key",
    "register_analyzer",
    "run_analyzers",
    "static_metric_names",
    "voyage_table",
]


@runtime_checkable
class Analyzer(Protocol):
    """Folds a run's event log into named scalar metrics.

    ``metrics`` gets the whole log (any order; a plain list of records is enough) and the run's
    length ``duration_h`` [h], and returns ``{metric name: value}``: floats, NaN where undefined.
    Metric names are snake_case and carry their unit where they have one (``..._h``, ``..._kg``).
    """

    name: str

    def metrics(self, events: Sequence[Event], *, duration_h: float) -> dict[str, float]: ...


#: Registered analyzer classes by name, in registration order.
ANALYZERS: dict[str, type[Analyzer]] = {}


def register_analyzer(cls: type[Analyzer]) -> type[Analyzer]:
    """Class decorator: register an analyzer class (constructible without arguments) under its
    ``name``.

    Raises:
        TypeError: the class has no non-empty string ``name``.
        ValueError: another analyzer is already registered under that name.
    """
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"analyzer class {cls.__name__} needs a non-empty string `name`")
    if name in ANALYZERS:
        raise ValueError(f"analyzer {name!r} registered twice ({ANALYZERS[name].__name__} and "
                         f"{cls.__name__})")
    ANALYZERS[name] = cls
    return cls


# The kill-chain and asset analyzers live in modules that know nothing of the registry.
for _cls in (KillChainAnalyzer, TimingAnalyzer, AssetsAnalyzer):
    register_analyzer(_cls)
del _cls


#: Metrics named after a vessel type, partner or asset group of the scenario (``detect_rate_go_fast``,
#: ``first_detect_share_uscg``, ``hours_at_sea_uscg_frc_h``): the families the analyzers below make.
METRIC_FAMILY_PREFIXES = ("detect_rate_", "disrupt_rate_", "interdict_rate_", "first_detect_share_",
                          "hours_at_sea_")


@cache
def static_metric_names() -> frozenset[str]:
    """The metrics every run has, whatever its scenario: those of an empty log."""
    return frozenset(run_analyzers([], 1.0))


def known_metric(name: str) -> bool:
    """Whether the analyzers can produce ``name``: a metric every run has, or a member of one of
    the per-type, per-partner or per-group families (:data:`METRIC_FAMILY_PREFIXES`)."""
    return name in static_metric_names() or name.startswith(METRIC_FAMILY_PREFIXES)


def run_analyzers(events: Iterable[Event], duration_h: float,
                  names: Iterable[str] | None = None) -> dict[str, float]:
    """Run the analyzers ``names`` (all registered ones when None, in registration order) over the
    log and merge their metrics into one dict.

    The log is read into a list once, so an iterator will do.

    Raises:
        ValueError: an unknown analyzer name (the message lists the known ones), or two analyzers
            produce a metric of the same name.
    """
    if isinstance(names, str):
        names = [names]
    chosen = list(ANALYZERS) if names is None else list(dict.fromkeys(names))
    unknown = [n for n in chosen if n not in ANALYZERS]
    if unknown:
        raise ValueError(f"unknown analyzer(s) {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(sorted(ANALYZERS))}")
    log = list(events)
    merged: dict[str, float] = {}
    owner: dict[str, str] = {}
    for name in chosen:
        for key, value in ANALYZERS[name]().metrics(log, duration_h=duration_h).items():
            if key in merged:
                raise ValueError(f"metric {key!r} produced by both analyzer {owner[key]!r} and "
                                 f"analyzer {name!r}; metric names must be unique")
            merged[key] = float(value)
            owner[key] = name
    return merged


# --- outcomes, legal, sensors ---------------------------------------------------------------------

#: Voyage outcomes where the law stopped the enforcer.
BLOCKED_BY_LAW = LAW_STOPPED_OUTCOMES


@register_analyzer
class OutcomesAnalyzer:
    """How illicit voyages ended (from their ``voyage_outcome`` records, via
    :func:`~mda_sim.analysis.outcomes.outcome_rows`).

    ``n_outcome_<outcome>`` for every outcome of
    :data:`~mda_sim.analysis.outcomes.OUTCOME_ORDER` (0 when it never happened) and any other
    outcome found; ``cargo_shipped_kg`` and ``cargo_removed_kg`` summed over the outcomes;
    ``removal_rate`` (removed / shipped kg, NaN when nothing was shipped) and ``disruption_rate``
    (disrupted / illicit voyages, NaN when there were none).
    """

    name = "outcomes"

    def metrics(self, events: Sequence[Event], *, duration_h: float) -> dict[str, float]:
        rows = outcome_rows(events)
        out: dict[str, float] = {}
        for outcome, n, _, _ in outcome_counts(rows):
            put(out, f"n_outcome_{metric_key(outcome)}", n)
        out["cargo_shipped_kg"] = float(sum(r.cargo_kg for r in rows))
        out["cargo_removed_kg"] = float(sum(r.removed_kg for r in rows))
        out["removal_rate"] = removal_rate(rows)
        out["disruption_rate"] = disruption_rate(rows)
        return out


@register_analyzer
class LegalAnalyzer:
    """What the law did.

    ``n_legal_decisions`` (``legal_decision`` records), ``n_requests`` (decisions that had to ask an
    authority), ``n_denied`` (decisions that refused outright), ``n_blocked_by_law`` (voyage outcomes
    ``blocked`` or ``consent_refused``), ``n_authority_answers`` and ``n_consent_granted``
    (``authority_answered`` records, granted ones). ``mean_authorization_latency_h`` and
    ``median_consent_wait_h`` are the mean and median of ``authority_answered.waited_h`` over all
    answers, granted or not (the time a request kept the boarding waiting); NaN without answers.
    """

    name = "legal"

    def metrics(self, events: Sequence[Event], *, duration_h: float) -> dict[str, float]:
        decisions = [e for e in events if e.kind == "legal_decision"]
        answers = [e for e in events if e.kind == "authority_answered"]
        waits = [float(e.waited_h) for e in answers]
        return {
            "n_legal_decisions": float(len(decisions)),
            "n_requests": float(sum(e.outcome == "request" for e in decisions)),
            "n_denied": float(sum(e.outcome == "denied" for e in decisions)),
            "n_blocked_by_law": float(sum(r.outcome in BLOCKED_BY_LAW for r in outcome_rows(events))),
            "n_authority_answers": float(len(answers)),
            "n_consent_granted": float(sum(bool(e.granted) for e in answers)),
            "mean_authorization_latency_h": mean(waits),
            "median_consent_wait_h": median(waits),
        }


@register_analyzer
class SensorsAnalyzer:
    """Whose sensors saw illicit voyages first.

    For each illicit voyage detected by a non-cooperative sensor, the partner (``detected.partner``)
    that made the first detection (earliest; ties go to the record first in the log).
    ``first_detect_share_<partner>`` = illicit voyages first detected by that partner / detected
    illicit voyages, for every partner with a ``detected`` record in the log (0 for one that was
    never first; NaN for all when no illicit voyage was detected). ``n_detected_illicit`` is the
    denominator.
    """

    name = "sensors"

    def metrics(self, events: Sequence[Event], *, duration_h: float) -> dict[str, float]:
        firsts = [r.first_detect_partner for r in voyage_table(events) if r.illicit and r.detected]
        partners = {metric_key(e.partner) for e in events if e.kind == "detected"}
        out = {f"first_detect_share_{p}": 0.0 for p in sorted(partners)}
        for p in firsts:
            out[f"first_detect_share_{metric_key(p)}"] += 1.0
        n = len(firsts)
        out = {k: ratio(v, n) for k, v in out.items()}
        out["n_detected_illicit"] = float(n)
        return out
