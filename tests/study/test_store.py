"""The sweep results store: schema, resume bookkeeping, duplicates, retries, meta, exports, SIGKILL."""

from __future__ import annotations

import csv
import math
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mda_sim.study.store import (
    FIXED_COLUMNS,
    DuplicateRunError,
    ResultsStore,
    SweepMismatchError,
    canonical_json,
)

SRC = Path(__file__).resolve().parents[2] / "src"


def _ok(store: ResultsStore, point: str, rep: int, metrics=None, factors=None) -> None:
    store.record_ok(point, rep, 1000 + rep, factors or {"run.duration_h": 24},
                    metrics or {"detect_frac": 0.5}, "0.1.0", "abc123", 1.25)


def test_schema_is_created_and_survives_reopen(tmp_path):
    db = tmp_path / "sub" / "results.sqlite"
    with ResultsStore(db) as store:
        meta = store.meta()
        assert meta["schema_version"] == "1" and meta["created_utc"] and "package_version" in meta
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        _ok(store, "p0", 0)
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    cols = [r[1] for r in con.execute("PRAGMA table_info(runs)")]
    con.close()
    assert tables == {"meta", "runs"}
    assert cols == ["point_id", "replication", "seed", "factors", "status", "error", "metrics",
                    "package_version", "scenario_sha256", "wall_s", "finished_utc"]
    with ResultsStore(db) as again:
        assert again.meta()["created_utc"] == meta["created_utc"]  # not re-created
        assert again.done() == {("p0", 0)} and len(again) == 1


def test_record_done_and_pending(tmp_path):
    with ResultsStore(tmp_path / "r.sqlite") as store:
        jobs = [("p0", 0, "x"), ("p0", 1, "y"), ("p1", 0, "z")]
        assert store.pending(jobs) == jobs
        _ok(store, "p0", 1)
        store.record_failed("p1", 0, 7, {"a": 1}, RuntimeError("boom"))
        assert store.done() == {("p0", 1)}
        assert store.pending(jobs) == [("p0", 0, "x"), ("p1", 0, "z")]  # failed runs are retried
        [f] = store.failed()
        assert (f.point_id, f.replication, f.seed, f.error) == ("p1", 0, 7, "RuntimeError: boom")
        row = store._conn.execute("SELECT factors, metrics, seed FROM runs WHERE point_id = 'p0'")
        assert row.fetchone() == ('{"run.duration_h":24}', '{"detect_frac":0.5}', 1001)


def test_recording_an_ok_run_twice_raises(tmp_path):
    with ResultsStore(tmp_path / "r.sqlite") as store:
        _ok(store, "p0", 0, metrics={"m": 1.0})
        with pytest.raises(DuplicateRunError, match="already recorded as ok"):
            _ok(store, "p0", 0, metrics={"m": 2.0})
        with pytest.raises(DuplicateRunError):
            store.record_failed("p0", 0, 1000, {}, "late failure")
        assert [r["m"] for r in store.rows()] == [1.0]  # the first result is kept
        assert len(store) == 1


def test_failed_run_is_replaced_by_a_later_retry(tmp_path):
    with ResultsStore(tmp_path / "r.sqlite") as store:
        store.record_failed("p0", 0, 1000, {"k": 1}, "first try", "0.1.0", "abc", 0.5)
        store.record_failed("p0", 0, 1000, {"k": 1}, "second try")
        assert [f.error for f in store.failed()] == ["second try"]
        _ok(store, "p0", 0)
        assert store.failed() == [] and store.done() == {("p0", 0)} and len(store) == 1
        [row] = store.rows()
        assert row["status"] == "ok" and row["error"] is None


def test_meta_binds_the_sweep_hash_and_rejects_another(tmp_path):
    db = tmp_path / "r.sqlite"
    with ResultsStore(db) as store:
        store.check_meta("a" * 64)
        store.check_meta("a" * 64)  # same sweep: fine
    with ResultsStore(db) as store:
        with pytest.raises(SweepMismatchError) as err:
            store.check_meta("b" * 64)
        assert "a" * 64 in str(err.value) and "b" * 64 in str(err.value)
        assert store.meta()["sweep_sha256"] == "a" * 64


def test_csv_export_loads_with_csv_and_nan_is_empty(tmp_path):
    with ResultsStore(tmp_path / "r.sqlite") as store:
        store.record_ok("p1", 0, 5, {"sensors.radar.range_nm": 40, "tags": ["a", "b"]},
                        {"mean_latency_h": float("nan"), "detect_frac": 0.25}, "0.1.0", "h", 2.0)
        store.record_ok("p0", 0, 6, {"sensors.radar.range_nm": 30}, {"detect_frac": 1 / 3},
                        "0.1.0", "h", 3.0)
        store.record_failed("p0", 1, 7, {"sensors.radar.range_nm": 30}, "ValueError: x")
        out = store.export_csv(tmp_path / "results.csv")
        expected_cols = store.columns()
    assert not list(tmp_path.glob(".*partial"))
    with open(out, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames
        rows = list(reader)
    assert header == expected_cols
    assert header == [*FIXED_COLUMNS, "factor:sensors.radar.range_nm", "factor:tags",
                      "detect_frac", "mean_latency_h"]
    assert [(r["point_id"], r["replication"], r["status"]) for r in rows] == [
        ("p0", "0", "ok"), ("p0", "1", "failed"), ("p1", "0", "ok")]
    assert float(rows[0]["detect_frac"]) == 1 / 3  # round-trips exactly
    assert rows[2]["mean_latency_h"] == "" and rows[0]["mean_latency_h"] == ""  # NaN / missing
    assert rows[1]["detect_frac"] == "" and rows[1]["error"] == "ValueError: x"
    assert rows[2]["factor:tags"] == '["a","b"]' and rows[0]["factor:tags"] == ""


def test_canonical_json_is_strict():
    assert canonical_json({"b": math.inf, "a": (1, float("nan"))}) == '{"a":[1,null],"b":null}'


def test_parquet_export_without_pyarrow_says_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    with ResultsStore(tmp_path / "r.sqlite") as store:
        _ok(store, "p0", 0)
        with pytest.raises(RuntimeError, match="install pyarrow"):
            store.export_parquet(tmp_path / "r.parquet")


_WRITER = """
import sys
sys.path.insert(0, {src!r})
from mda_sim.study.store import ResultsStore
store = ResultsStore({db!r})
store.check_meta("sweep")
i = 0
while True:
    point, rep = "p%d" % (i % 3), i // 3
    store.record_ok(point, rep, i, {{"x": i % 3}}, {{"m": i * 0.5, "nan": float("nan")}},
                    "0.1.0", "h", 0.01)
    print(point, rep, flush=True)  # printed only after the commit returned
    i += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_committed_runs_survive_sigkill(tmp_path):
    db = tmp_path / "results.sqlite"
    code = _WRITER.format(src=str(SRC), db=str(db))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(12.0, proc.kill)  # never hang the suite if the writer stalls
    watchdog.start()
    try:
        printed = []
        while len(printed) < 5:
            line = proc.stdout.readline()
            if not line:
                break
            printed.append(line)
        os.kill(proc.pid, signal.SIGKILL)
        # Read the rest through the same buffered stream: communicate() would read the raw pipe and
        # miss lines readline() has already buffered. The writer is dead, so these reach EOF.
        rest, err = proc.stdout.read(), proc.stderr.read()
        proc.wait(timeout=10)
    finally:
        watchdog.cancel()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, err
    lines = printed + rest.splitlines(keepends=True)
    keys = [(p, int(r)) for p, r in (ln.split() for ln in lines if ln.endswith("\n"))]
    assert len(keys) >= 5, err

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    total, distinct = con.execute(
        "SELECT COUNT(*), COUNT(DISTINCT point_id || '/' || replication) FROM runs").fetchone()
    con.close()
    assert total == distinct  # no run recorded twice

    with ResultsStore(db) as store:
        store.check_meta("sweep")
        done = store.done()
        assert set(keys) <= done  # everything reported committed is there, status ok
        assert len(done) - len(keys) <= 1  # at most the one committed just before its print
        assert store._conn.execute("SELECT COUNT(*) FROM runs WHERE status != 'ok'").fetchone()[0] == 0
        # Resuming: the finished runs are no longer pending and the store still accepts new runs.
        jobs = [(*k, None) for k in keys] + [("new", 0, None)]
        assert store.pending(jobs) == [("new", 0, None)]
        _ok(store, "new", 0)
        assert ("new", 0) in store.done()
