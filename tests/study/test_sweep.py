"""Sweeps end to end through the real engine, store, process pool and a real Dask LocalCluster.

The scenario is the small Mona Passage one cut to 24-48 h, so a run takes well under a second.
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mda_sim.cli.main import main
from mda_sim.scenario import ScenarioError
from mda_sim.study.replications import replication_seed
from mda_sim.study.store import ResultsStore
from mda_sim.study.sweep import STORE_NAME, run_sweep
from mda_sim.study.sweepfile import load_sweep
from tests.study.sweep_runners import FAIL_REPLICATION, dying_runner, raising_runner

ROOT = Path(__file__).resolve().parents[2]
MONA = ROOT / "scenarios" / "mona_passage_small.yaml"
RATE = "traffic.illicit.mona_yolas.departures.rate_per_day"

SWEEP = f"""\
name: mona-test
scenario: {MONA}
set: [run.duration_h={{hours}}]
design: full_factorial
factors:
  - path: assets.uscg_frc.count
    levels: [1, 2]
  - path: {RATE}
    range: {{{{low: 2.0, high: 6.0, n_levels: 2}}}}
replications: {{reps}}
base_seed: 11
metrics: [frac_detected, disruption_rate, n_illicit, "n_outcome_*"]
rank_by: {{{{metric: frac_detected, goal: max}}}}
"""


def _write(tmp_path: Path, name: str = "sweep.yaml", *, hours: int = 24, reps: int = 3, text: str | None = None) -> Path:
    path = tmp_path / name
    path.write_text(text if text is not None else SWEEP.format(hours=hours, reps=reps), encoding="utf-8")
    return path


def _results(out: Path) -> list[tuple]:
    """Every run of a store, without the wall time and commit time (which differ run to run)."""
    with ResultsStore(out / STORE_NAME) as store:
        rows = list(store.rows())
    return sorted(tuple((k, v) for k, v in r.items() if k not in ("wall_s", "finished_utc")) for r in rows)


# ---------------------------------------------------------------------------------------------
# The sweep file
# ---------------------------------------------------------------------------------------------


def test_sweep_file_expands_to_points_with_common_seeds(tmp_path):
    sweep = load_sweep(_write(tmp_path))
    assert sweep.design == "full_factorial" and len(sweep.points) == 4 and sweep.n_runs == 12
    assert [p["assets.uscg_frc.count"] for p in sweep.points] == [1, 1, 2, 2]  # first factor slowest
    assert [p[RATE] for p in sweep.points] == [2.0, 6.0, 2.0, 6.0]
    assert sweep.seeds == tuple(replication_seed(11, i) for i in range(3))
    jobs = sweep.jobs()
    assert len(jobs) == 12 and len({(j.point_id, j.replication) for j in jobs}) == 12
    for j in jobs:  # replication i of every point has the same seed
        assert j.seed == sweep.seeds[j.replication]
        assert j.overrides[0] == "run.duration_h=24" and f"{RATE}={j.factors[RATE]!r}" in j.overrides


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        load_sweep(path)
    return [str(p) for p in err.value.problems]


def test_bad_sweep_file_gets_every_problem_located_before_any_run(tmp_path, capsys):
    text = f"""\
scenario: {MONA}
set: [run.duration_hh=24]
design: {{name: full_factorial}}
factors:
  - path: assets.uscg_frcx.count
    levels: [1, 2]
  - path: assets.uscg_frc.availability
    levels: [0.5, 1.5]
metrics: [frac_detectd]
"""
    path = _write(tmp_path, "bad.yaml", text=text)
    problems = _problems(path)
    assert any(p.startswith(f"{path}:9: metrics[0]: 'frac_detectd'") and "did you mean 'frac_detected'" in p
               for p in problems), problems
    assert any(p.startswith(f"{path}:2: set[0]: run.duration_hh=24") and "'duration_h'" in p for p in problems)
    # the factor problems come once the base scenario loads
    path.write_text(text.replace("duration_hh", "duration_h").replace("frac_detectd", "frac_detected"))
    problems = _problems(path)
    assert len(problems) == 2, problems
    # a path the scenario lacks: once, at the factor's path, not once per level
    assert problems[0].startswith(f"{path}:5: factors[0].path: assets.uscg_frcx.count")
    assert "no item with id 'uscg_frcx'" in problems[0] and "did you mean 'uscg_frc'" in problems[0]
    # a level the schema refuses: at that level's line, with the scenario's own message
    assert problems[1].startswith(f"{path}:8: factors[1].levels[1]: assets.uscg_frc.availability=1.5")
    assert "must be less than or equal to 1" in problems[1]
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out)]) == 1
    assert not out.exists()  # nothing ran, nothing was created
    assert "factors[1].levels[1]" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "where", "expect"), [
    ("desing: full_factorial", "desing", "did you mean 'design'"),
    ("design: {name: latin_hypercube}", "design", "needs n_points"),
    ("design: {name: full_factorial, n_points: 5}", "design.n_points", "latin_hypercube only"),
    ("design: box_behnken", "design.name", "full_factorial"),
])
def test_design_mistakes_are_located(tmp_path, text, where, expect):
    body = SWEEP.format(hours=24, reps=2).replace("design: full_factorial", text)
    if text.startswith("desing"):
        body = body.replace("desing: full_factorial", "desing: full_factorial")
    problems = _problems(_write(tmp_path, text=body))
    assert any(f": {where}" in p and expect in p for p in problems), problems


def test_latin_hypercube_sweep_has_one_point_per_stratum_in_every_factor(tmp_path):
    text = SWEEP.format(hours=24, reps=1).replace(
        "design: full_factorial", "design: {name: latin_hypercube, n_points: 8, seed: 3}").replace(
        "    levels: [1, 2]", "    range: {low: 1, high: 8, integer: true}")
    sweep = load_sweep(_write(tmp_path, text=text))
    assert len(sweep.points) == 8
    counts = sorted(p["assets.uscg_frc.count"] for p in sweep.points)
    assert counts == list(range(1, 9))  # 8 whole numbers in 8 strata: each exactly once
    rates = [p[RATE] for p in sweep.points]
    strata = sorted(int((r - 2.0) / 4.0 * 8) for r in rates)
    assert strata == list(range(8))


def test_dry_run_prints_the_design_and_runs_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sweep", str(_write(tmp_path)), "--out", str(out), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "4 design points x 3 replications = 12 runs" in text
    assert "assets.uscg_frc.count" in text and RATE in text
    assert not out.exists()


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def test_pool_in_process_and_dask_give_identical_results(tmp_path):
    distributed = pytest.importorskip("distributed")
    sweep = load_sweep(_write(tmp_path))
    one = run_sweep(sweep, tmp_path / "one", workers=1, log=lambda _: None)
    two = run_sweep(sweep, tmp_path / "two", workers=2, log=lambda _: None)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        dask = run_sweep(sweep, tmp_path / "dask", scheduler=cluster.scheduler_address, log=lambda _: None)
    assert (one.ok, two.ok, dask.ok) == (12, 12, 12) and dask.slots == 2
    a = _results(tmp_path / "one")
    assert len(a) == 12
    assert a == _results(tmp_path / "two") == _results(tmp_path / "dask")
    rows = [dict(r) for r in a]
    # common random numbers: one seed per replication across points; replications differ
    assert {(r["replication"], r["seed"]) for r in rows} == {(i, s) for i, s in enumerate(sweep.seeds)}
    assert len({r["n_illicit"] for r in rows}) > 1
    # the CSV export holds the same runs
    with open(tmp_path / "dask" / "runs.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == 12


def test_a_run_that_raises_is_recorded_and_the_rest_finish_then_it_is_retried(tmp_path, capsys):
    sweep = load_sweep(_write(tmp_path))
    out = tmp_path / "out"
    first = run_sweep(sweep, out, workers=2, runner=raising_runner, log=lambda _: None)
    assert (first.ok, first.failed) == (10, 2)
    with ResultsStore(out / STORE_NAME) as store:
        failed = store.failed()
        assert len(store.done()) == 10
    assert {f.replication for f in failed} == {FAIL_REPLICATION}
    assert all("ScenarioError" in f.error and "duration_h" in f.error for f in failed)
    # re-running retries only the failed runs, now with the real worker
    assert main(["sweep", str(sweep.path), "--out", str(out), "--workers", "2", "--no-progress"]) == 0
    assert "2 runs finished, 0 failed, 10 already done" in capsys.readouterr().out
    reference = tmp_path / "reference"
    run_sweep(sweep, reference, workers=1, log=lambda _: None)
    assert _results(out) == _results(reference)


def test_a_dying_worker_breaks_only_its_run(tmp_path):
    sweep = load_sweep(_write(tmp_path, reps=2))
    out = tmp_path / "out"
    outcome = run_sweep(sweep, out, workers=2, runner=dying_runner, log=lambda _: None)
    with ResultsStore(out / STORE_NAME) as store:
        failed = store.failed()
    # the runs that shared the broken pool are retried one at a time and finish; the one that kills
    # its worker again when running alone is recorded as failed
    assert len(failed) == 1 and "died while running this run alone" in failed[0].error
    assert failed[0].replication == 0
    assert (outcome.ok, outcome.failed) == (7, 1)


def test_resume_after_sigkill_gives_exactly_the_uninterrupted_runs(tmp_path):
    sweep_path = _write(tmp_path, hours=48, reps=12)
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "mda_sim", "sweep", str(sweep_path), "--out", str(out),
                             "--workers", "2", "--no-progress"], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        done = 0
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
            done = _count(out / STORE_NAME)
            if done >= 8:
                break
        assert proc.poll() is None, "the sweep finished before it could be killed; make the runs longer"
        assert done >= 8
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # its worker processes too
        except ProcessLookupError:
            pass
    with sqlite3.connect(out / STORE_NAME) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        survived = con.execute("SELECT COUNT(*) FROM runs WHERE status = 'ok'").fetchone()[0]
    assert 8 <= survived < 48
    sweep = load_sweep(sweep_path)
    resumed = run_sweep(sweep, out, workers=2, log=lambda _: None)
    assert resumed.skipped == survived and resumed.ok == 48 - survived  # nothing run twice
    uninterrupted = tmp_path / "uninterrupted"
    run_sweep(sweep, uninterrupted, workers=2, log=lambda _: None)
    assert _results(out) == _results(uninterrupted)


def _count(store: Path) -> int:
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def test_more_replications_extend_the_sweep_and_a_changed_base_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    run_sweep(load_sweep(_write(tmp_path, reps=2)), out, workers=1, log=lambda _: None)
    grown = run_sweep(load_sweep(_write(tmp_path, reps=3)), out, workers=1, log=lambda _: None)
    assert (grown.skipped, grown.ok) == (8, 4)
    changed = _write(tmp_path, hours=36, reps=3)  # a different base scenario: results would mix
    with pytest.raises(SystemExit, match="different sweep file"):
        main(["sweep", str(changed), "--out", str(out), "--no-progress"])


@pytest.mark.parametrize("path", sorted((ROOT / "configs").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_sweep_files_load(path):
    """Every sweep file in configs/ passes the same checks a user's run would (all design points
    through the scenario loader), so the examples never rot."""
    sweep = load_sweep(path)
    assert sweep.n_runs == len(sweep.points) * sweep.replications >= 2
    assert len(set(sweep.point_ids)) == len(sweep.points)
    assert len(sweep.factors) >= 1 and sweep.keeps(sweep.rank_by["metric"])
