"""What command, pursuit and the law cost: the baseline with ``command.enabled`` true against false.

Both runs are the 30-day baseline at 1x traffic, same seed, each in a fresh subprocess (via
``bench_baseline_scale.run_child``), so the reference is measured in the same session on the same
machine. Printed: run time of each, the ratio, and what the command layer did (tasking, pursuit,
legal decisions, boardings). Goal (issue 4): the baseline with assets and law stays within the
per-replication goal of the core issue (<= 5 s, <= 500 MB).

    .venv/bin/python benchmarks/bench_command.py              # 30 days
    .venv/bin/python benchmarks/bench_command.py --days 3     # quicker
"""

from __future__ import annotations

import argparse
import sys

try:
    from ._common import command_line, fmt, machine_info, markdown_block, table
    from .bench_baseline_scale import run_child
except ImportError:  # run as a script: benchmarks/ is on sys.path
    from _common import command_line, fmt, machine_info, markdown_block, table
    from bench_baseline_scale import run_child

SCRIPT = "bench_command.py"
_KINDS = ("tasked", "pursuit_ended", "legal_decision", "authority_answered", "boarded", "seized", "voyage_outcome")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=float, default=30.0, help="simulated days (default 30)")
    ap.add_argument("--seed", type=int, default=None, help="run seed (default: the scenario's)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed per run")
    ap.add_argument("--repeat", type=int, default=3,
                    help="alternate off/on runs this many times and keep each one's fastest (default 3)")
    args = ap.parse_args(argv)
    runs: dict[str, list[dict]] = {"off": [], "on": []}
    for i in range(args.repeat):
        for name, extra in (("off", ["command.enabled=false"]), ("on", [])):
            print(f"run {i + 1}/{args.repeat}: command {name} ...", file=sys.stderr, flush=True)
            r = run_child(1.0, args.days, args.seed, args.timeout, extra)
            if "error" in r:
                raise SystemExit(f"run failed: {r['error']}")
            runs[name].append(r)
    # The fastest of repeats: timing noise on a shared machine only ever adds time.
    off = min(runs["off"], key=lambda r: r["run_s"])
    on = min(runs["on"], key=lambda r: r["run_s"])
    rows = []
    for name, r in (("command off (sensing only)", off), ("command on (baseline)", on)):
        setup = sum(r["times"][k] for k in ("geography_load", "geography_warm", "scenario_load", "world_build"))
        rows.append([name, fmt(r["run_s"]), fmt(setup + r["run_s"]), fmt(r["rss_peak_mib"]), f"{r['log_events']:,}",
                     *(str(r["kinds"].get(k, 0)) for k in _KINDS)])
    body = table(["run", "run [s]", "replication [s]", "peak RSS [MiB]", "log events", *_KINDS], rows)
    ratio = on["run_s"] / off["run_s"]
    spread = {k: ", ".join(f"{r['run_s']:.1f}" for r in v) for k, v in runs.items()}
    body += (f"\n\n**Command, pursuit and law cost x{ratio:.2f} run time over sensing alone** "
             f"({on['run_s']:.1f} s against {off['run_s']:.1f} s for {args.days:g} days; fastest of "
             f"{args.repeat} alternating runs each: off {spread['off']} s, on {spread['on']} s).")
    print(markdown_block("Command and law overhead", command_line(SCRIPT, argv), machine_info(), body))
    return {"off": off, "on": on, "ratio": ratio}


if __name__ == "__main__":
    main()
