"""Engine cost per event against a raw simpy timeout loop measured in the same process.

(a) raw simpy: one process yielding ``env.timeout(1)`` N times -- the floor of any simpy model;
(b) the engine: the baseline scenario (``scenarios/eastern_caribbean.yaml``) run for some days.

For both: wall time, simpy events (scheduled, and processed = scheduled minus those still queued at
the end, read from simpy's own event counter ``env._eid``), and for the engine also the event-log
records. Printed: microseconds per log record and per processed simpy event, and the ratio
engine / raw per simpy event (goal <= 5x).

One-off costs are kept out of the per-event figures and reported on their own: reading the
geography, building its lazy indexes (land union, sea-routing graph), loading the scenario,
constructing the World, and the per-world land-shadow polygons of the fixed radar sites (computed on
first use during the run; timed while the run goes and subtracted).

    .venv/bin/python benchmarks/bench_engine_overhead.py            # 7 days, 2 x 10^6 raw timeouts
    .venv/bin/python benchmarks/bench_engine_overhead.py --quick    # smoke run, a few seconds
    .venv/bin/python benchmarks/bench_engine_overhead.py --days 30 --profile 15
"""

from __future__ import annotations

import argparse
import gc
import time

try:
    from ._common import (
        command_line,
        fmt,
        load_baseline,
        machine_info,
        markdown_block,
        simpy_event_counts,
        stopwatch,
        table,
        time_world_one_offs,
    )
except ImportError:  # run as a script: benchmarks/ is on sys.path
    from _common import (
        command_line,
        fmt,
        load_baseline,
        machine_info,
        markdown_block,
        simpy_event_counts,
        stopwatch,
        table,
        time_world_one_offs,
    )

SCRIPT = "bench_engine_overhead.py"
GOAL_RATIO = 5.0


def raw_simpy(n: int, repeats: int = 3) -> dict:
    """Best of ``repeats`` runs of one process yielding ``env.timeout(1)`` ``n`` times."""
    import simpy

    def ticker(env, n):
        for _ in range(n):
            yield env.timeout(1)

    best = None
    for _ in range(repeats):
        env = simpy.Environment()
        env.process(ticker(env, n))
        gc.collect()
        t0 = time.perf_counter()
        env.run()
        wall = time.perf_counter() - t0
        scheduled, processed = simpy_event_counts(env)
        if best is None or wall < best["wall_s"]:
            best = {"wall_s": wall, "timeouts": n, "scheduled": scheduled, "processed": processed}
    return best


def engine(days: float, seed: int | None = None, profile: int = 0, overrides: list[str] = ()) -> dict:
    """Run the baseline for ``days``; time the one-offs and the run separately."""
    times: dict = {}
    with stopwatch(times, "import"):
        from mda_sim.engine.world import World
    scenario, geo = load_baseline(list(overrides), times=times)
    with stopwatch(times, "world_build"):
        world = World(scenario.spec, seed=seed, duration_h=24.0 * days, geo=geo)
    one_offs = time_world_one_offs(world)
    gc.collect()
    if profile:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.runcall(world.run)
        wall = time.perf_counter() - t0
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(profile)
        times["profile"] = out.getvalue()
    else:
        t0 = time.perf_counter()
        world.run()
        wall = time.perf_counter() - t0
    scheduled, processed = simpy_event_counts(world.env)
    kinds: dict[str, int] = {}
    for e in world.log:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    return {
        "days": days,
        "times": times,
        "wall_s": wall,
        "shadow_s": one_offs["seconds"],
        "shadow_polygons": one_offs["polygons"],
        "shadow_note": one_offs["note"],
        "log_events": len(world.log),
        "kinds": kinds,
        "scheduled": scheduled,
        "processed": processed,
        "voyages": kinds.get("vessel_departed", 0),
        "profiled": bool(profile),
        "overrides": list(overrides),
    }


def report(raw: dict, eng: dict) -> tuple[str, dict]:
    us = 1e6
    raw_per = raw["wall_s"] / raw["processed"] * us
    net = eng["wall_s"] - eng["shadow_s"]
    eng_per_simpy = net / eng["processed"] * us
    eng_per_log = net / eng["log_events"] * us
    ratio = eng_per_simpy / raw_per
    rows = [
        ["raw simpy (1 process, timeout(1))", fmt(raw["wall_s"]), f"{raw['timeouts']:,}",
         f"{raw['processed']:,}", fmt(raw_per), fmt(raw_per), fmt(raw["processed"] / raw["wall_s"])],
        [f"engine, baseline {eng['days']:g} d (run minus land-shadow one-offs)", fmt(net),
         f"{eng['log_events']:,}", f"{eng['processed']:,}", fmt(eng_per_log), fmt(eng_per_simpy),
         fmt(eng["processed"] / net)],
        [f"engine, baseline {eng['days']:g} d (whole run)", fmt(eng["wall_s"]), f"{eng['log_events']:,}",
         f"{eng['processed']:,}", fmt(eng["wall_s"] / eng["log_events"] * us),
         fmt(eng["wall_s"] / eng["processed"] * us), fmt(eng["processed"] / eng["wall_s"])],
    ]
    main = table(["case", "wall [s]", "log events / timeouts", "simpy events processed",
                  "us / log event", "us / simpy event", "simpy events / s"], rows)
    t = eng["times"]
    one = table(["one-off (excluded above)", "seconds"], [
        ["import mda_sim.engine", fmt(t["import"])],
        ["geography load", fmt(t["geography_load"])],
        ["geography lazy indexes (land union, routing graph)", fmt(t["geography_warm"])],
        ["scenario load + validation", fmt(t["scenario_load"])],
        ["World construction", fmt(t["world_build"])],
        [f"land-shadow polygons during the run ({eng['shadow_polygons']})", fmt(eng["shadow_s"])],
    ])
    verdict = "meets" if ratio <= GOAL_RATIO else "misses"
    summary = (f"**engine / raw per simpy event: {ratio:.1f}x** (goal <= {GOAL_RATIO:g}x: {verdict}); "
               f"{eng['scheduled']:,} simpy events scheduled, {eng['processed']:,} processed, "
               f"{eng['log_events']:,} log records, {eng['voyages']:,} voyages; "
               f"simpy events per log record {eng['processed'] / eng['log_events']:.2f}.")
    if eng["overrides"]:
        summary += " Scenario overrides: " + ", ".join(f"`{o}`" for o in eng["overrides"]) + "."
    if eng["profiled"]:
        summary += " (Run under cProfile: absolute times inflated.)"
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(eng["kinds"].items(), key=lambda kv: -kv[1]))
    body = "\n\n".join([main, summary, one, f"Log records by kind: {kinds}.", f"Note: {eng['shadow_note']}."])
    return body, {"ratio_engine_over_raw": ratio, "raw_us_per_event": raw_per,
                  "engine_us_per_simpy_event": eng_per_simpy, "engine_us_per_log_event": eng_per_log}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 simulated day, 2 x 10^5 raw timeouts")
    ap.add_argument("--days", type=float, default=7.0, help="simulated days of the baseline (default 7)")
    ap.add_argument("--raw-events", type=int, default=2_000_000, help="timeouts in the raw simpy loop")
    ap.add_argument("--seed", type=int, default=None, help="run seed (default: the scenario's)")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="also print the top N functions of a cProfile of the engine run")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE",
                    help="scenario override, as mda-sim run --set (e.g. traffic.rate_scale=10)")
    args = ap.parse_args(argv)
    if args.quick:
        args.days, args.raw_events = min(args.days, 1.0), min(args.raw_events, 200_000)
    machine = machine_info()
    raw = raw_simpy(args.raw_events)
    eng = engine(args.days, args.seed, args.profile, args.overrides)
    body, figures = report(raw, eng)
    print(markdown_block("Engine overhead per event", command_line(SCRIPT, argv), machine, body))
    if args.profile:
        print("```\n" + eng["times"]["profile"] + "```")
    return {"raw": raw, "engine": eng, **figures}


if __name__ == "__main__":
    main()
