"""The results store of a sweep: one SQLite row per finished run, committed as each run finishes.

**Why SQLite.** It is in the standard library, a single file, and transactional: a row is either
wholly in the store or not at all. A sweep records each run in its own transaction the moment the
run's result comes back, so re-running the same sweep command resumes it: :meth:`ResultsStore.done`
lists the finished runs and :meth:`ResultsStore.pending` drops them from the job list, so nothing
finished is run twice and nothing finished is lost if the driver is killed.

**Durability.** The database uses WAL journal mode with ``synchronous=FULL``. In WAL mode a commit
is an append to the ``-wal`` file; ``FULL`` makes SQLite fsync that file at every commit, so once
:meth:`ResultsStore.record_ok` (or :meth:`~ResultsStore.record_failed`) returns, the row survives
the process being killed with SIGKILL *and* the machine losing power (``NORMAL`` would survive
SIGKILL only). A process killed mid-transaction leaves no partial row: the uncommitted frames of the
WAL are ignored when the store is next opened. The cost (one fsync per run) is negligible next to a
simulation run.

**One writer.** The store is written by one process: the sweep driver, which records results as its
workers return them. Workers never open or write the store; they only compute and return
``(metrics, wall time)`` or raise. Readers (another process inspecting progress, or pandas reading an
export) may open the file at any time; WAL lets them read while the driver writes.

**Tables.** ``meta`` (``key``, ``value``): ``schema_version``, ``created_utc``, ``package_version``
(of the package that created the store) and ``sweep_sha256`` (the sweep file's hash, bound by
:meth:`ResultsStore.check_meta`). ``runs``: one row per ``(point_id, replication)``:

==================  =======  =====================================================================
column              type     meaning
==================  =======  =====================================================================
point_id            TEXT     design point identifier (primary key, with ``replication``)
replication         INTEGER  replication index within the point
seed                INTEGER  the run seed (signed 64-bit)
factors             TEXT     factor values of the point, canonical JSON (sorted keys, no spaces)
status              TEXT     ``'ok'`` or ``'failed'``
error               TEXT     the error of a failed run (``NULL`` when ok)
metrics             TEXT     metrics, canonical JSON; NaN and infinities stored as ``null``
package_version     TEXT     ``mda_sim`` version that ran it
scenario_sha256     TEXT     hash of the resolved scenario that ran
wall_s              REAL     wall-clock seconds of the run
finished_utc        TEXT     ISO 8601 UTC time the row was committed
==================  =======  =====================================================================

**Ok is final, failed is retryable.** Recording a ``(point_id, replication)`` that is already ``ok``
raises :class:`DuplicateRunError` (a run is never run, nor recorded, twice). A ``failed`` row is not
"done": it stays in :meth:`ResultsStore.pending`, and a later retry replaces it with its new result
(``ok`` or ``failed`` again). A failed run never stops the sweep; it is a row like any other.

**Flat rows and exports.** :meth:`ResultsStore.rows` yields one dict per run with the fixed columns
(:data:`FIXED_COLUMNS`, without the JSON blobs), then one column per factor named ``factor:<path>``
(``factor:run.duration_h``), then one column per metric under the metric's own name. Columns are
the union over all rows, in a stable order: fixed columns, factor columns sorted, metric columns
sorted; a value a row lacks (or a NaN metric) is ``None``. Scalars stay scalars; a list or mapping
value is kept as its canonical JSON text. :meth:`ResultsStore.export_csv` writes these rows (``None``
as an empty cell, which ``pandas.read_csv`` reads as NaN) and :meth:`ResultsStore.export_parquet`
writes them as Parquet when ``pyarrow`` is installed; both write a temporary file and rename it.
"""

from __future__ import annotations

import csv
import json
import math
import sqlite3
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, Self

from mda_sim.eventlog import atomic_file

__all__ = [
    "FACTOR_PREFIX",
    "FIXED_COLUMNS",
    "DuplicateRunError",
    "FailedRun",
    "ResultsStore",
    "SweepMismatchError",
    "canonical_json",
]

SCHEMA_VERSION = "1"

#: Prefix of the factor columns of :meth:`ResultsStore.rows` and the exports.
FACTOR_PREFIX = "factor:"

#: The fixed leading columns of :meth:`ResultsStore.rows` and the exports, in order.
FIXED_COLUMNS = ("point_id", "replication", "seed", "status", "error", "package_version",
                 "scenario_sha256", "wall_s", "finished_utc")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    point_id        TEXT    NOT NULL,
    replication     INTEGER NOT NULL,
    seed            INTEGER NOT NULL,
    factors         TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('ok', 'failed')),
    error           TEXT,
    metrics         TEXT,
    package_version TEXT,
    scenario_sha256 TEXT,
    wall_s          REAL,
    finished_utc    TEXT    NOT NULL,
    PRIMARY KEY (point_id, replication)
);
"""

_INT64 = (-(2**63), 2**63 - 1)


class DuplicateRunError(ValueError):
    """A run already recorded as ``ok`` was recorded again (a run must never be run twice)."""


class SweepMismatchError(ValueError):
    """The store was made by a different sweep file than the one being resumed."""


class FailedRun(NamedTuple):
    """A run recorded as failed (see :meth:`ResultsStore.failed`)."""

    point_id: str
    replication: int
    seed: int
    error: str


def _clean(x: Any) -> Any:
    """``x`` with NaN and infinities as ``None`` (strict JSON), tuples as lists."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, Mapping):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if hasattr(x, "item") and callable(x.item):  # numpy scalars, without importing numpy
        return _clean(x.item())
    return x


def canonical_json(obj: Any) -> str:
    """Deterministic strict JSON: sorted keys, no spaces, NaN and infinities as ``null``.

    >>> canonical_json({"b": float("nan"), "a": [1, 2.5]})
    '{"a":[1,2.5],"b":null}'
    """
    return json.dumps(_clean(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def _flat_value(v: Any) -> Any:
    """A JSON-decoded value as one column cell: scalars as is, lists and mappings as JSON text."""
    if isinstance(v, dict | list):
        return canonical_json(v)
    return v


def _now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _package_version() -> str:
    from mda_sim import __version__

    return __version__


def _error_text(error: str | BaseException) -> str:
    if isinstance(error, BaseException):
        return "".join(traceback.format_exception_only(type(error), error)).strip()
    return str(error)


class ResultsStore:
    """The SQLite results store at ``path`` (created, with its schema, if absent).

    Use as a context manager or call :meth:`close`. One writer process only (module docstring).
    """

    def __init__(self, path: str | Path, *, timeout_s: float = 30.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; every write is an explicit
        # BEGIN IMMEDIATE ... COMMIT, one per recorded run.
        self._conn = sqlite3.connect(str(self.path), timeout=timeout_s, isolation_level=None)
        try:
            mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise RuntimeError(f"{self.path}: could not switch the store to WAL mode (got {mode!r})")
            # FULL: fsync the WAL at every commit, so a committed row survives SIGKILL and power loss.
            self._conn.execute("PRAGMA synchronous=FULL")
            self._create_schema()
        except BaseException:
            self._conn.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (every recorded run is already committed)."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _create_schema(self) -> None:
        # executescript() would COMMIT on its own; run the statements one by one in our transaction.
        with self._transaction() as c:
            for stmt in filter(None, (s.strip() for s in _SCHEMA.split(";"))):
                c.execute(stmt)
            for key, value in (("schema_version", SCHEMA_VERSION), ("created_utc", _now_utc()),
                               ("package_version", _package_version())):
                c.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))
        found = self.meta().get("schema_version")
        if found != SCHEMA_VERSION:
            raise RuntimeError(f"{self.path}: results store schema version {found!r}, "
                               f"this package reads version {SCHEMA_VERSION!r}")

    class _Tx:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def __enter__(self) -> sqlite3.Connection:
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, exc_type, exc, tb) -> None:
            if exc_type is None:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute("ROLLBACK")

    def _transaction(self) -> ResultsStore._Tx:
        return ResultsStore._Tx(self._conn)

    # -- meta ------------------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        """The ``meta`` table as a dict."""
        return dict(self._conn.execute("SELECT key, value FROM meta").fetchall())

    def check_meta(self, sweep_hash: str) -> None:
        """Bind a new store to the sweep file hash ``sweep_hash``, or check an existing binding.

        Raises :class:`SweepMismatchError` (with both hashes) if the store was made by a different
        sweep file, so resuming with an edited sweep never mixes results of two designs.
        """
        with self._transaction() as c:
            row = c.execute("SELECT value FROM meta WHERE key = 'sweep_sha256'").fetchone()
            if row is None:
                c.execute("INSERT INTO meta (key, value) VALUES ('sweep_sha256', ?)", (sweep_hash,))
                return
        if row[0] != sweep_hash:
            raise SweepMismatchError(
                f"{self.path}: this results store was made by a different sweep file "
                f"(store sweep_sha256 {row[0]}, this sweep file {sweep_hash}); "
                "use a new output directory, or restore the original sweep file to resume")

    # -- recording -------------------------------------------------------------------------------

    def record_ok(self, point_id: str, replication: int, seed: int, factors: Mapping[str, Any],
                  metrics: Mapping[str, Any], package_version: str, scenario_sha256: str | None,
                  wall_s: float) -> None:
        """Commit a finished run (one transaction). Raises :class:`DuplicateRunError` if the run
        is already ``ok``; replaces a ``failed`` row of an earlier attempt."""
        for name in metrics:
            if name in FIXED_COLUMNS or str(name).startswith(FACTOR_PREFIX):
                raise ValueError(f"metric name {name!r} clashes with a results column; rename it")
        self._record(point_id, replication, seed, factors, "ok", None, canonical_json(metrics),
                     package_version, scenario_sha256, wall_s)

    def record_failed(self, point_id: str, replication: int, seed: int, factors: Mapping[str, Any],
                      error: str | BaseException, package_version: str | None = None,
                      scenario_sha256: str | None = None, wall_s: float | None = None) -> None:
        """Commit a run that raised, with its error (an exception is kept as ``Type: message``).
        Raises :class:`DuplicateRunError` if the run is already ``ok``; a retry of a failed run may
        record over it."""
        self._record(point_id, replication, seed, factors, "failed", _error_text(error), None,
                     package_version, scenario_sha256, wall_s)

    def _record(self, point_id, replication, seed, factors, status, error, metrics_json,
                package_version, scenario_sha256, wall_s) -> None:
        if not isinstance(point_id, str) or not point_id:
            raise ValueError(f"point_id = {point_id!r}: must be a non-empty string")
        replication, seed = int(replication), int(seed)
        if not _INT64[0] <= seed <= _INT64[1]:
            raise ValueError(f"seed = {seed}: must fit a signed 64-bit integer")
        row = (point_id, replication, seed, canonical_json(dict(factors)), status, error, metrics_json,
               package_version, scenario_sha256, None if wall_s is None else float(wall_s),
               _now_utc())
        with self._transaction() as c:
            prior = c.execute("SELECT status FROM runs WHERE point_id = ? AND replication = ?",
                              (point_id, replication)).fetchone()
            if prior is not None and prior[0] == "ok":
                raise DuplicateRunError(f"run (point {point_id!r}, replication {replication}) is "
                                        "already recorded as ok; a finished run is never run twice")
            c.execute("INSERT OR REPLACE INTO runs (point_id, replication, seed, factors, status, "
                      "error, metrics, package_version, scenario_sha256, wall_s, finished_utc) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)

    # -- queries ---------------------------------------------------------------------------------

    def done(self) -> set[tuple[str, int]]:
        """The ``(point_id, replication)`` keys of the runs recorded ``ok``."""
        return {(p, int(r)) for p, r in
                self._conn.execute("SELECT point_id, replication FROM runs WHERE status = 'ok'")}

    def failed(self) -> list[FailedRun]:
        """The runs whose latest attempt failed, by point and replication."""
        return [FailedRun(p, int(r), int(s), e) for p, r, s, e in self._conn.execute(
            "SELECT point_id, replication, seed, error FROM runs WHERE status = 'failed' "
            "ORDER BY point_id, replication")]

    def pending(self, jobs: Iterable[Sequence[Any]]) -> list:
        """The jobs (sequences starting ``point_id, replication, ...``) not yet recorded ``ok``,
        in their given order; failed runs are pending (they are retried)."""
        finished = self.done()
        return [job for job in jobs if (job[0], int(job[1])) not in finished]

    def __len__(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]

    # -- flat rows and exports -------------------------------------------------------------------

    def runs(self) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
        """Every run by point and replication as ``(fixed, factors, metrics)``: the
        :data:`FIXED_COLUMNS` values, the factor values and the metrics as stored (NaN as ``None``),
        read in one query."""
        out = []
        cols = ", ".join(FIXED_COLUMNS)
        for rec in self._conn.execute(f"SELECT {cols}, factors, metrics FROM runs "
                                      "ORDER BY point_id, replication"):
            fixed = dict(zip(FIXED_COLUMNS, rec[:len(FIXED_COLUMNS)], strict=True))
            factors = json.loads(rec[-2]) if rec[-2] else {}
            metrics = json.loads(rec[-1]) if rec[-1] else {}
            out.append((fixed, factors, metrics))
        return out

    def columns(self) -> list[str]:
        """The columns of :meth:`rows`: fixed, then ``factor:<path>`` sorted, then metrics sorted."""
        return self._columns(self.runs())

    @staticmethod
    def _columns(raw) -> list[str]:
        factor_names = sorted({k for _, f, _ in raw for k in f})
        metric_names = sorted({k for _, _, m in raw for k in m})
        return [*FIXED_COLUMNS, *(FACTOR_PREFIX + k for k in factor_names), *metric_names]

    def rows(self) -> Iterator[dict[str, Any]]:
        """One flat dict per run (by point, replication), every dict with every column of
        :meth:`columns`; missing values and NaN metrics are ``None``."""
        yield from self._rows(self.runs())

    def _rows(self, raw) -> Iterator[dict[str, Any]]:
        columns = self._columns(raw)
        for fixed, factors, metrics in raw:
            row = dict.fromkeys(columns)
            row.update(fixed)
            row.update({FACTOR_PREFIX + k: _flat_value(v) for k, v in factors.items()})
            row.update({k: _flat_value(v) for k, v in metrics.items()})
            yield row

    def export_csv(self, path: str | Path) -> Path:
        """Write :meth:`rows` as CSV (header, ``None`` as an empty cell) atomically; the path."""
        path = Path(path)
        raw = self.runs()
        columns = self._columns(raw)
        with atomic_file(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            w.writeheader()
            w.writerows(self._rows(raw))
        return path

    def export_parquet(self, path: str | Path) -> Path:
        """Write :meth:`rows` as Parquet atomically (needs ``pyarrow``); the path."""
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as exc:
            raise RuntimeError("Parquet export needs pyarrow, which is not installed: "
                               "`pip install pyarrow`, or use export_csv") from exc
        path = Path(path)
        raw = self.runs()
        columns = self._columns(raw)
        rows = list(self._rows(raw))
        table = pa.table({c: [r[c] for r in rows] for c in columns})
        with atomic_file(path) as tmp:
            pq.write_table(table, tmp)
        return path
