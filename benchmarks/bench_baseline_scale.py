"""The baseline scenario at 1x, 10x and 100x traffic: wall time, peak memory, events, voyages.

Each traffic scale runs in a FRESH subprocess (this script re-invoked with ``--child``), so peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is that run's own. Traffic is scaled with the
scenario loader's override mechanism -- the same as ``mda-sim run --set traffic.rate_scale=10`` --
which multiplies every Poisson departure rate.

Per run: the stages before the run (geography load, its lazy indexes, scenario load, World
construction), the run's wall time (with the part spent on the per-world land-shadow polygons shown
separately), peak RSS after setup and after the run, log events, simpy events, voyages. Printed:
growth ratios 10x/1x and 100x/1x of run time and of peak memory, and of the workload (voyages),
so "about linear" can be read off (a ratio near the traffic ratio). Goal: per replication <= 5 s and
<= 500 MB at 1x on a 2-core machine.

    .venv/bin/python benchmarks/bench_baseline_scale.py                    # 1 10 100 x, 30 days
    .venv/bin/python benchmarks/bench_baseline_scale.py --quick            # 1 and 3 x, half a day
    .venv/bin/python benchmarks/bench_baseline_scale.py --scales 100 --days 3 --timeout 900
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from pathlib import Path

try:
    from ._common import (
        ROOT,
        command_line,
        fmt,
        load_baseline,
        machine_info,
        markdown_block,
        peak_rss_mib,
        simpy_event_counts,
        stopwatch,
        table,
        time_world_one_offs,
    )
except ImportError:  # run as a script: benchmarks/ is on sys.path
    from _common import (
        ROOT,
        command_line,
        fmt,
        load_baseline,
        machine_info,
        markdown_block,
        peak_rss_mib,
        simpy_event_counts,
        stopwatch,
        table,
        time_world_one_offs,
    )

SCRIPT = "bench_baseline_scale.py"
GOAL_S, GOAL_MB = 5.0, 500.0


def child(scale: float, days: float, seed: int | None, extra: list[str] | tuple[str, ...] = ()) -> dict:
    """One run in this process (called in a fresh subprocess); returns the figures."""
    times: dict = {}
    with stopwatch(times, "import"):
        from mda_sim.engine.world import World
    overrides = ([] if scale == 1 else [f"traffic.rate_scale={scale:g}"]) + list(extra)
    scenario, geo = load_baseline(overrides, times=times)
    with stopwatch(times, "world_build"):
        world = World(scenario.spec, seed=seed, duration_h=24.0 * days, geo=geo)
    one_offs = time_world_one_offs(world)
    rss_setup = peak_rss_mib()
    gc.collect()
    t0 = time.perf_counter()
    log = world.run()
    wall = time.perf_counter() - t0
    rss_peak = peak_rss_mib()
    scheduled, processed = simpy_event_counts(world.env)
    kinds: dict[str, int] = {}
    for e in log:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    return {
        "scale": scale, "days": days, "times": times, "run_s": wall, "shadow_s": one_offs["seconds"],
        "shadow_polygons": one_offs["polygons"], "rss_setup_mib": rss_setup, "rss_peak_mib": rss_peak,
        "log_events": len(log), "simpy_processed": processed, "simpy_scheduled": scheduled,
        "voyages": kinds.get("vessel_departed", 0), "arrived": kinds.get("arrived", 0),
        "detected": kinds.get("detected", 0), "kinds": kinds,
    }


def run_child(scale: float, days: float, seed: int | None, timeout_s: float,
              extra: list[str] | tuple[str, ...] = ()) -> dict:
    """Run ``child`` in a fresh interpreter (with ``--set`` overrides ``extra``); its figures or an error record."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--scales", f"{scale:g}",
           "--days", f"{days:g}"]
    for item in extra:
        cmd += ["--set", item]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    t0 = time.perf_counter()
    try:
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return {"scale": scale, "days": days, "error": f"timed out after {timeout_s:g} s"}
    total = time.perf_counter() - t0
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if out.returncode != 0 or not lines:
        tail = (out.stderr.strip().splitlines() or ["?"])[-1]
        return {"scale": scale, "days": days, "error": f"exit {out.returncode}: {tail}"}
    res = json.loads(lines[-1])
    res["process_s"] = total
    return res


def report(results: list[dict]) -> tuple[str, dict]:
    ok = [r for r in results if "error" not in r]
    rows = []
    for r in results:
        if "error" in r:
            rows.append([f"{r['scale']:g}x", f"{r['days']:g}", "error: " + r["error"], *[""] * 9])
            continue
        t = r["times"]
        setup = t["geography_load"] + t["geography_warm"] + t["scenario_load"] + t["world_build"]
        rows.append([
            f"{r['scale']:g}x", f"{r['days']:g}", fmt(r["run_s"]), fmt(r["shadow_s"]),
            fmt(setup), fmt(t["import"]), fmt(r["rss_setup_mib"]), fmt(r["rss_peak_mib"]),
            f"{r['log_events']:,}", f"{r['simpy_processed']:,}", f"{r['voyages']:,}",
            fmt(r["process_s"]),
        ])
    main = table(["traffic", "days", "run [s]", "of which land shadow [s]",
                  "setup: geo + scenario + World [s]", "import [s]", "RSS after setup [MiB]",
                  "peak RSS [MiB]", "log events", "simpy events", "voyages", "whole process [s]"], rows)
    figures: dict = {}
    parts = [main]
    base = next((r for r in ok if r["scale"] == 1), None)
    if base is not None:
        grow = []
        for r in ok:
            if r is base:
                continue
            same_days = r["days"] == base["days"]
            day_f = base["days"] / r["days"]  # per-day normalisation when durations differ
            run_net = lambda x: x["run_s"] - x["shadow_s"]
            g = {
                "run": r["run_s"] / base["run_s"] * day_f,
                "run_net": run_net(r) / run_net(base) * day_f,
                "rss_peak": r["rss_peak_mib"] / base["rss_peak_mib"],
                "rss_run": (r["rss_peak_mib"] - r["rss_setup_mib"])
                / max(base["rss_peak_mib"] - base["rss_setup_mib"], 1e-9),
                "voyages": r["voyages"] / max(base["voyages"], 1) * day_f,
                "events": r["simpy_processed"] / base["simpy_processed"] * day_f,
            }
            figures[f"{r['scale']:g}x/1x"] = g
            grow.append([f"{r['scale']:g}x / 1x" + ("" if same_days else f" (per day: {r['days']:g} d vs {base['days']:g} d)"),
                         fmt(g["voyages"]), fmt(g["events"]), fmt(g["run"]), fmt(g["run_net"]),
                         fmt(g["rss_peak"]), fmt(g["rss_run"])])
        if grow:
            parts.append(table(["ratio", "voyages", "simpy events", "run time", "run time minus land shadow",
                                "peak RSS", "RSS growth during run"], grow))
        per_rep = base["run_s"] + sum(base["times"][k] for k in
                                      ("geography_load", "geography_warm", "scenario_load", "world_build"))
        figures["1x_replication_s"] = per_rep
        figures["1x_peak_mib"] = base["rss_peak_mib"]
        mb = base["rss_peak_mib"] * 1.048576
        parts.append(
            f"**1x, {base['days']:g} days: one replication {per_rep:.1f} s** (setup + run, imports excluded; "
            f"goal <= {GOAL_S:g} s: {'meets' if per_rep <= GOAL_S else 'misses'}), "
            f"**peak RSS {base['rss_peak_mib']:.0f} MiB = {mb:.0f} MB** (goal <= {GOAL_MB:g} MB: "
            f"{'meets' if mb <= GOAL_MB else 'misses'})."
        )
    parts.append("Ratios are per simulated day when the runs' durations differ. 'RSS growth during run' "
                 "is (peak - after setup) over the same for 1x: the memory the run itself adds.")
    return "\n\n".join(parts), figures


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: scales 1 and 3 for half a day")
    ap.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 100.0], help="traffic multipliers")
    ap.add_argument("--days", type=float, default=30.0, help="simulated days (default 30)")
    ap.add_argument("--days-at", action="append", default=[], metavar="SCALE=DAYS",
                    help="fewer days for one scale, e.g. --days-at 100=3 (ratios are then per day)")
    ap.add_argument("--seed", type=int, default=None, help="run seed (default: the scenario's)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed per child run")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="scenario override for every run (as mda-sim run --set)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        res = child(args.scales[0], args.days, args.seed, args.set)
        print(json.dumps(res))
        return res
    if args.quick:
        args.scales, args.days = [1.0, 3.0], min(args.days, 0.5)
    days_at = {float(k): float(v) for k, v in (s.split("=", 1) for s in args.days_at)}
    machine = machine_info()
    results = []
    for scale in args.scales:
        days = days_at.get(scale, args.days)
        print(f"running {scale:g}x traffic for {days:g} days in a fresh process ...", file=sys.stderr, flush=True)
        results.append(run_child(scale, days, args.seed, args.timeout, args.set))
    body, figures = report(results)
    print(markdown_block("Baseline at scaled traffic", command_line(SCRIPT, argv), machine, body))
    return {"results": results, **figures}


if __name__ == "__main__":
    main()
