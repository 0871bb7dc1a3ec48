"""Sweep efficiency: the same sweep on 1 local worker, 2 local workers and a 2-worker Dask
LocalCluster, and the results store's cost per run.

The sweep is the baseline scenario cut to ``--hours`` simulated hours, over two factors (two
levels each) with ``--replications`` replications: ``4 x replications`` runs. Each configuration
writes a fresh sweep directory. Printed:

- wall time of each configuration, and the parallel efficiency ``T(1 worker) / (k x T(k))``
  (goals, issue 6: >= 90 % for 2 local workers, >= 85 % for the Dask LocalCluster, whose start-up
  is timed separately and left out);
- whether every configuration stored identical results (they must: same seeds);
- the store: mean time of one ``record_ok`` (one SQLite transaction with ``synchronous=FULL``, i.e.
  an fsync) measured on its own, and as a share of the mean run.

    .venv/bin/python benchmarks/bench_sweep.py                        # 16 runs of 24 h
    .venv/bin/python benchmarks/bench_sweep.py --hours 72 --replications 6
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

try:
    from ._common import BASELINE, command_line, fmt, machine_info, markdown_block, table
except ImportError:  # run as a script: benchmarks/ is on sys.path
    from _common import BASELINE, command_line, fmt, machine_info, markdown_block, table

SCRIPT = "bench_sweep.py"

SWEEP = """\
name: bench
scenario: {scenario}
set: [run.duration_h={hours}]
design: full_factorial
factors:
  - path: assets.uscg_frc.count
    levels: [7, 9]
  - path: legal.default_response.delay_h.median
    levels: [1.0, 8.0]
replications: {reps}
base_seed: 1
"""


def _results(out: Path) -> list[tuple]:
    from mda_sim.study.store import ResultsStore
    from mda_sim.study.sweep import STORE_NAME

    with ResultsStore(out / STORE_NAME) as store:
        return sorted(tuple((k, v) for k, v in r.items() if k not in ("wall_s", "finished_utc"))
                      for r in store.rows())


def _wall_times(out: Path) -> list[float]:
    from mda_sim.study.store import ResultsStore
    from mda_sim.study.sweep import STORE_NAME

    with ResultsStore(out / STORE_NAME) as store:
        return [r["wall_s"] for r in store.rows()]


def store_cost(n: int, metrics: dict, folder: Path) -> float:
    """Mean seconds of one ``record_ok`` into a fresh store (``n`` runs)."""
    from mda_sim.study.store import ResultsStore

    with ResultsStore(folder / "cost.sqlite") as store:
        t0 = time.perf_counter()
        for i in range(n):
            store.record_ok(f"p{i % 16:03d}", i, i, {"a": i % 2, "b": 1.0}, metrics, "bench", "0" * 64, 1.0)
        return (time.perf_counter() - t0) / n


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hours", type=float, default=24.0, help="simulated hours per run (default 24)")
    ap.add_argument("--replications", type=int, default=4, help="replications per design point (default 4)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster")
    args = ap.parse_args(argv)

    from mda_sim.study.sweep import run_sweep
    from mda_sim.study.sweepfile import load_sweep

    def quiet(_msg: str) -> None:
        pass

    with tempfile.TemporaryDirectory(prefix="bench_sweep_") as tmp:
        tmp_path = Path(tmp)
        path = tmp_path / "sweep.yaml"
        path.write_text(SWEEP.format(scenario=BASELINE, hours=args.hours, reps=args.replications))
        sweep = load_sweep(path)
        walls: dict[str, float] = {}
        print(f"{sweep.n_runs} runs of {args.hours:g} h: 1 local worker ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        run_sweep(sweep, tmp_path / "one", workers=1, log=quiet)
        walls["1 local worker (in process)"] = time.perf_counter() - t0
        print("2 local workers ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        run_sweep(sweep, tmp_path / "two", workers=2, log=quiet)
        walls["2 local workers (spawn pool)"] = time.perf_counter() - t0
        dirs = {"1 local worker (in process)": "one", "2 local workers (spawn pool)": "two"}
        startup = math.nan
        if not args.no_dask:
            from distributed import LocalCluster

            print("Dask LocalCluster, 2 workers ...", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                startup = time.perf_counter() - t0
                t0 = time.perf_counter()
                run_sweep(sweep, tmp_path / "dask", scheduler=cluster.scheduler_address, log=quiet)
                walls["Dask LocalCluster, 2 workers"] = time.perf_counter() - t0
            dirs["Dask LocalCluster, 2 workers"] = "dask"
        reference = _results(tmp_path / "one")
        identical = all(_results(tmp_path / d) == reference for d in dirs.values())
        run_s = statistics.mean(_wall_times(tmp_path / "one"))
        metrics = dict(next(iter(_results(tmp_path / "one"))))
        metrics = {k: v for k, v in metrics.items() if isinstance(v, float) and not k.startswith("factor:")}
        per_record = store_cost(200, metrics, tmp_path)

    t1 = walls["1 local worker (in process)"]
    rows = []
    for name, wall in walls.items():
        k = 1 if name.startswith("1 ") else 2
        eff = t1 / (k * wall)
        rows.append([name, fmt(wall), fmt(sweep.n_runs / wall), f"{100 * eff:.0f} %"])
    body = table(["configuration", "wall [s]", "runs/s", "efficiency vs 1 worker"], rows)
    body += (f"\n\n{sweep.n_runs} runs ({len(sweep.points)} design points x {args.replications} replications) of "
             f"the baseline cut to {args.hours:g} h; mean run {run_s:.2f} s (its own wall time, in process). "
             f"Identical stored results in every configuration: **{'yes' if identical else 'NO'}**."
             + (f" Dask LocalCluster start-up {startup:.1f} s (not counted)." if not math.isnan(startup) else "")
             + f"\n\nResults store: one `record_ok` (one transaction, WAL, synchronous=FULL) takes "
               f"{1000 * per_record:.2f} ms on average (200 runs, {len(metrics)} metrics each) = "
               f"{100 * per_record / run_s:.3f} % of a mean run.")
    print(markdown_block("Sweep efficiency and store overhead", command_line(SCRIPT, argv), machine_info(), body))
    return {"walls": walls, "identical": identical, "store_s": per_record, "run_s": run_s}


if __name__ == "__main__":
    main()
