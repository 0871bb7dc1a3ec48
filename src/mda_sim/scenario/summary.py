"""A short text summary of a loaded scenario (what ``mda-sim validate`` prints)."""

from __future__ import annotations

from mda_sim.scenario.loader import Scenario
from mda_sim.scenario.specs.traffic import PoissonDepartures


def expected_departures(flow, duration_h: float) -> float:
    """Mean number of departures of a flow within the run [-]."""
    d = flow.departures
    if isinstance(d, PoissonDepartures):
        return d.rate_per_day * duration_h / 24.0
    return float(sum(1 for t in d.times_h if t < duration_h))


def scenario_summary(scenario: Scenario) -> str:
    """Counts by section, treaty parties and their elections, expected traffic."""
    s = scenario.spec
    hulls = sum(a.count for a in s.assets)
    kinds: dict[str, int] = {}
    for a in s.assets:
        cat = s.asset_type(a.type).category
        kinds[cat] = kinds.get(cat, 0) + a.count
    illicit = sum(expected_departures(f, s.run.duration_h) for f in s.traffic.illicit)
    legit = sum(expected_departures(f, s.run.duration_h) for f in s.traffic.legitimate)
    lines = [
        f"  scenario   {s.name}",
        f"  run        start {s.run.start_utc.isoformat()}, {s.run.duration_h:g} h, seed {s.run.seed}",
        f"  hash       {scenario.digest[:16]}",
        f"  states     {len(s.states)} ({sum(len(x.territories) for x in s.states)} territories)",
        f"  partners   {len(s.partners)}",
        f"  assets     {len(s.assets)} groups, {hulls} hulls/airframes"
        + (" (" + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ")" if kinds else ""),
        f"  sensors    {len(s.sensors)} fixed ({sum(1 for x in s.sensors if s.sensor_type(x.type).kind == 'ais_receiver')} AIS receivers)",
        f"  legal      {len(s.legal.treaty_of_san_jose.parties)} Treaty of San Jose parties, "
        f"{len(s.legal.bilateral_agreements)} bilateral agreements, "
        f"{sum(p.count for p in s.legal.shiprider_pools)} shipriders in {len(s.legal.shiprider_pools)} pools",
        f"  traffic    {len(s.traffic.illicit)} illicit generators (~{illicit:.0f} voyages expected), "
        f"{len(s.traffic.legitimate)} legitimate (~{legit:.0f} transits expected)",
        (f"  command    {s.command.tasking.policy}, latency {s.command.tasking.decision_latency_h + s.command.tasking.comms_latency_h:g} h, "
         f"intel cues p={s.command.intel.p_cue:g}" if s.command.enabled else "  command    off (sensing only)"),
        f"  exercise   {len(s.exercise.objectives)} objectives, {len(s.exercise.injects)} injects",
    ]
    defaults = [p.state for p in s.legal.treaty_of_san_jose.parties if p.elections_source is None]
    if defaults:
        lines.append(
            "  note       elections not sourced, treaty defaults (12(1)(a), 12(4)(a), 13(6)(a), 16(1)) apply for: "
            + ", ".join(defaults)
        )
    return "\n".join(lines)
