"""Run a sweep: every design point's replications on local processes or a Dask cluster, each run
committed to the results store the moment it finishes.

**One code path.** The driver hands runs to a :class:`concurrent.futures.Executor` and records what
comes back. Locally that is a :class:`~concurrent.futures.ProcessPoolExecutor` (``spawn``, the
portable start method) or, with one worker, this process; with a scheduler address it is
``distributed.Client(address).get_executor()``, Dask's own ``concurrent.futures`` adapter. The job,
the worker function (:func:`run_job`) and the recording are the same in every case.

**What a worker gets.** The fully resolved scenario document of the run's design point (canonical
JSON, built and checked by the driver), its seed and the metrics to keep: a cluster worker needs
the installed package, not the sweep's files. It validates the document, runs the world in memory
(:func:`mda_sim.engine.run.simulate`), runs the analyzers on the event log and returns the kept
metrics with the scenario hash and wall time. With ``keep_logs`` it writes the run directory under
``DIR/runs/<point_id>/rep-NNNN`` instead (on a cluster that path must be on a shared file system).

**Resume.** The store (:mod:`mda_sim.study.store`) is bound to :meth:`Sweep.identity_sha256`;
finished runs are skipped, failed runs are retried, and at most ``2 x slots`` runs are in flight,
so a kill loses only the runs that were running. A run that raises is recorded as failed with its
traceback and the sweep goes on. A local worker process that dies (out of memory, killed) breaks
the pool: the pool is rebuilt and the runs that were in flight are retried one at a time; the one
that kills its worker again when running alone is recorded as failed (see :func:`_execute`). Dask retries a run whose worker died
on its own and reports ``KilledWorker`` after its allowed failures; that is recorded the same way.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from mda_sim import __version__
from mda_sim.engine.run import strict_json, write_text_atomic
from mda_sim.study.store import ResultsStore
from mda_sim.study.sweepfile import Job, Sweep

__all__ = ["SweepOutcome", "default_workers", "design_table", "run_job", "run_sweep"]

STORE_NAME = "results.sqlite"
#: The error recorded for a run whose worker process dies even when it runs alone.
DIED_ALONE = ("the worker process died while running this run alone "
              "(killed, out of memory or a crash in native code)")


@dataclass(frozen=True)
class SweepOutcome:
    """What one ``run_sweep`` call did."""

    out_dir: Path
    total: int
    """Runs in the design (points x replications)."""
    skipped: int
    """Runs already finished in the store when the call began."""
    ok: int
    failed: int
    wall_s: float
    slots: int
    """Runs that could execute at once (local workers or the cluster's threads)."""


def default_workers() -> int:
    """The CPUs this process may use (``os.process_cpu_count`` where available)."""
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return max(1, count or 1)


# ---------------------------------------------------------------------------------------------
# The worker side
# ---------------------------------------------------------------------------------------------


def run_job(payload: tuple) -> tuple[str, Any, str, float]:
    """Run one job in whatever process receives it; ``("ok", metrics, scenario_sha256, wall_s)``
    or ``("failed", traceback_text, scenario_sha256, wall_s)`` if the run raised."""
    job, scenario_json, run_dir, patterns = payload
    import fnmatch
    import hashlib
    import json

    t0 = time.perf_counter()
    digest = hashlib.sha256(scenario_json.encode()).hexdigest()
    try:
        from mda_sim.analysis.metrics import run_analyzers
        from mda_sim.engine.run import run_scenario, simulate
        from mda_sim.scenario.loader import Scenario, validate_document

        data = json.loads(scenario_json)
        scenario = Scenario(spec=validate_document(data, {}, geography=False), resolved=data,
                            overrides=tuple(job.overrides))
        if run_dir is None:
            world, log = simulate(scenario, seed=job.seed)
            duration_h = world.duration_h
        else:
            result = run_scenario(scenario, run_dir, seed=job.seed)
            log, duration_h = result.log, float(result.manifest["duration_h"])
        metrics = run_analyzers(log, duration_h)
        kept = {k: v for k, v in metrics.items() if any(fnmatch.fnmatchcase(k, p) for p in patterns)}
        return "ok", kept, digest, time.perf_counter() - t0
    except Exception as exc:  # noqa: BLE001 (recorded as a failed run; the sweep goes on)
        text = "".join(traceback.format_exception(exc)).strip()
        return "failed", f"{type(exc).__name__}: {exc}\n{text}", digest, time.perf_counter() - t0


# ---------------------------------------------------------------------------------------------
# Executors
# ---------------------------------------------------------------------------------------------


class _InProcess(Executor):
    """Runs each submitted call at once in this process (one worker, no pool, same interface)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 (passed on through the future)
            fut.set_exception(exc)
        return fut


def _without_profiler():
    """A Dask worker plugin that stops the worker's statistical profiler, on the workers there now
    and any that join later.

    Every 10 ms the profiler takes the GIL to walk the running task's Python stack; for a sweep
    run (pure-Python simulation) that cost 15-20 % of the run time in benchmarks/bench_sweep.py.
    Only the profile shown in Dask's dashboard is lost; tasks are unaffected.
    """
    from distributed import WorkerPlugin

    class NoProfiler(WorkerPlugin):
        def setup(self, worker) -> None:
            for key in ("profile", "profile-cycle"):
                callback = worker.periodic_callbacks.get(key)
                if callback is not None:
                    callback.stop()

    return NoProfiler()


@contextmanager
def _executor(workers: int, scheduler: str | None) -> Iterator[tuple[Callable[[], Executor], int]]:
    """A factory of executors (called again when a local pool breaks) and the number of slots."""
    if scheduler is not None:
        try:
            from distributed import Client
        except ImportError:
            raise SystemExit("--scheduler needs Dask distributed: pip install 'mda-sim[distributed]'") from None
        with Client(scheduler, set_as_default=False) as client:
            client.register_plugin(_without_profiler(), name="mda-sim-no-profiler")
            slots = max(1, sum(client.nthreads().values()))
            yield (lambda: client.get_executor(pure=False)), slots
        return
    if workers == 1:
        yield _InProcess, 1
        return
    yield (lambda: ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))), workers


# ---------------------------------------------------------------------------------------------
# The driver
# ---------------------------------------------------------------------------------------------


class _Documents:
    """The resolved scenario document of each design point, built once per point, as JSON."""

    def __init__(self, sweep: Sweep) -> None:
        self.sweep = sweep
        self._cache: dict[str, str] = {}

    def __call__(self, job: Job) -> str:
        if job.point_id not in self._cache:
            from mda_sim.scenario.loader import canonical_json, compose_document

            data, _, _ = compose_document(self.sweep.scenario_path, job.overrides)
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[job.point_id] = canonical_json(data)
        return self._cache[job.point_id]


def run_sweep(sweep: Sweep, out_dir: str | Path, *, workers: int | None = None, scheduler: str | None = None,
              progress: bool = False, runner: Callable[[tuple], tuple] = run_job,
              log: Callable[[str], None] | None = None) -> SweepOutcome:
    """Run every unfinished run of ``sweep`` into ``out_dir`` (created; resumable).

    ``workers`` local processes (default: every CPU) unless ``scheduler`` (or the sweep file's
    ``scheduler``) names a Dask scheduler. ``runner`` is the worker function (tests swap in one
    that fails on purpose); it must be importable by worker processes.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    scheduler = scheduler or sweep.scheduler
    say = log or (lambda msg: print(msg, file=sys.stderr))
    t0 = time.perf_counter()
    with ResultsStore(out / STORE_NAME) as store:
        store.check_meta(sweep.identity_sha256())
        write_text_atomic(out / "sweep.json", strict_json(sweep.as_dict()))
        write_text_atomic(out / "sweep.yaml", sweep.text)
        jobs = store.pending(sweep.jobs())
        skipped = sweep.n_runs - len(jobs)
        n_workers = min(workers or default_workers(), max(1, len(jobs)))
        ok = failed = 0
        with _executor(n_workers, scheduler) as (make, slots):
            where = f"Dask scheduler {scheduler} ({slots} threads)" if scheduler else f"{slots} local worker(s)"
            say(f"sweep {sweep.name}: {len(sweep.points)} points x {sweep.replications} replications = "
                f"{sweep.n_runs} runs; {skipped} already done, {len(jobs)} to run on {where}")
            bar = _bar(sweep.n_runs, skipped, sweep.name) if progress else None
            documents = _Documents(sweep)
            for job, status, value, digest, wall_s in _execute(jobs, make, slots, runner, documents, sweep, out):
                if status == "ok":
                    store.record_ok(job.point_id, job.replication, job.seed, job.factors, value, __version__,
                                    digest, wall_s)
                    ok += 1
                else:
                    store.record_failed(job.point_id, job.replication, job.seed, job.factors, value, __version__,
                                        digest, wall_s)
                    failed += 1
                if bar is not None:
                    bar.set_postfix(failed=failed, refresh=False)
                    bar.update(1)
            if bar is not None:
                bar.close()
        store.export_csv(out / "runs.csv")
        try:
            store.export_parquet(out / "runs.parquet")
        except RuntimeError:
            pass  # pyarrow not installed: CSV only
    return SweepOutcome(out, sweep.n_runs, skipped, ok, failed, time.perf_counter() - t0, slots)


def _bar(total: int, initial: int, name: str):
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="run", desc=name, dynamic_ncols=True, smoothing=0.1)


def _payload(job: Job, documents: _Documents, sweep: Sweep, out: Path) -> tuple:
    run_dir = str(out / "runs" / job.point_id / f"rep-{job.replication:04d}") if sweep.keep_logs else None
    return job, documents(job), run_dir, sweep.metrics


def _execute(jobs: list[Job], make: Callable[[], Executor], slots: int, runner, documents: _Documents,
             sweep: Sweep, out: Path) -> Iterator[tuple[Job, str, Any, str | None, float | None]]:
    """Yield ``(job, status, metrics or error, scenario hash, wall s)`` as runs finish, keeping at
    most ``2 * slots`` runs submitted.

    When a worker process dies the local pool is broken and every run in flight with it is lost.
    Those runs become suspects: the pool is rebuilt and they run again one at a time, so a run
    that kills its worker when running alone is the culprit and is recorded as failed, and the
    runs that merely shared its pool finish normally.
    """
    queue = list(reversed(jobs))
    suspects: list[Job] = []
    window = 2 * slots
    executor = make()
    in_flight: dict[Future, Job] = {}
    try:
        while queue or suspects or in_flight:
            alone = bool(suspects)
            if suspects:
                if not in_flight:
                    job = suspects.pop(0)
                    in_flight[executor.submit(runner, _payload(job, documents, sweep, out))] = job
            else:
                while queue and len(in_flight) < window:
                    job = queue.pop()
                    in_flight[executor.submit(runner, _payload(job, documents, sweep, out))] = job
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            lost: list[Job] = []
            for fut in done:
                job = in_flight.pop(fut)
                exc = fut.exception()
                if isinstance(exc, BrokenProcessPool):
                    lost.append(job)
                elif exc is not None:  # the runner itself could not run (e.g. Dask KilledWorker)
                    yield job, "failed", exc, None, None
                else:
                    status, value, digest, wall_s = fut.result()
                    yield job, status, value, digest, wall_s
            if not lost:
                continue
            lost += in_flight.values()  # every other run on the broken pool is lost too
            in_flight.clear()
            if alone and len(lost) == 1:
                yield lost[0], "failed", DIED_ALONE, None, None
            else:
                suspects.extend(lost)
            _shutdown(executor, in_flight)
            executor = make()
    finally:
        _shutdown(executor, in_flight)


def _shutdown(executor: Executor, in_flight: dict[Future, Job]) -> None:
    """Stop ``executor`` without waiting, cancelling what has not started (Dask's executor
    takes no ``cancel_futures``: its futures are cancelled one by one)."""
    for fut in in_flight:
        fut.cancel()
    try:
        executor.shutdown(wait=False, cancel_futures=True)
    except TypeError:
        executor.shutdown(wait=False)


def design_table(sweep: Sweep) -> str:
    """The design as text: one line per point (id and factor values), then the run count."""
    paths = [f.path for f in sweep.factors]
    cells = [[pid, *(_cell(p[k]) for k in paths)] for pid, p in zip(sweep.point_ids, sweep.points, strict=True)]
    head = ["point", *paths]
    widths = [max(len(str(r[c])) for r in [head, *cells]) for c in range(len(head))]
    lines = [f"sweep {sweep.name}: design {sweep.design}"
             + (f" {sweep.design_params}" if sweep.design_params else "")
             + f" over {len(paths)} factor(s) of {sweep.scenario_path}",
             "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"{len(sweep.points)} design points x {sweep.replications} replications = {sweep.n_runs} runs "
                 f"(base seed {sweep.base_seed}; replication i of every point uses the same seed)")
    return "\n".join(lines)


def _cell(v: Any) -> str:
    if not isinstance(v, float):
        return str(v)
    text = f"{v:.6g}"
    return text if any(c in text for c in ".en") else text + ".0"  # 1.0 stays visibly a float


def summarise_sweep(out_dir: str | Path) -> str:
    """Write the sweep's analysis (``points.csv``, ``summary.txt``, ``summary.json``) from its store
    and return the text summary (:func:`mda_sim.study.results.write_sweep_analysis`)."""
    from mda_sim.study.results import write_sweep_analysis

    written = write_sweep_analysis(out_dir)
    return written["summary.txt"].read_text(encoding="utf-8").rstrip()
