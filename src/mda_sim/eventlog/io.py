"""Writing and reading the event log: canonical JSON lines, one record per line.

Canonical means byte-stable: keys in the record's field order (``t_h``, ``kind``, then the fields as
declared), floats rounded to :data:`FLOAT_DECIMALS` places so that last-bit differences in maths
libraries cannot change the bytes, compact separators, ``\\n`` line ends, UTF-8. The same run gives
the same file on every machine; ``sha256`` of the file identifies the run's output.

Files are written under a temporary name and renamed when complete, so an interrupted run never
leaves a truncated log under the final name.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mda_sim.eventlog.records import Event, event_from_dict

__all__ = ["FLOAT_DECIMALS", "EventLog", "atomic_file", "event_line", "read_events", "write_bytes_atomic",
           "write_events", "write_text_atomic"]

#: Decimal places kept for floats in the log: 1e-6 h is 3.6 ms, 1e-6 nm is 2 mm.
FLOAT_DECIMALS = 6

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _clean(value):
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"event field value {value!r} is not finite")
        value = round(value, FLOAT_DECIMALS)
        return 0.0 if value == 0.0 else value  # no "-0.0"
    return value


def event_line(event: Event) -> str:
    """The canonical JSON line of one record (no trailing newline)."""
    names = event.field_names()
    record = {"t_h": _clean(event.t_h), "kind": event.kind}
    for name in names[1:]:
        record[name] = _clean(getattr(event, name))
    return _ENCODER.encode(record)


class EventLog:
    """The in-memory log of a run: records appended in simulation order.

    Records with equal times keep the order in which they were appended (simpy processes events
    at equal times in a deterministic order, so this order is reproducible).
    """

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._t_h = -math.inf

    def append(self, event: Event) -> None:
        if event.t_h < self._t_h:
            raise ValueError(f"event {event.kind} at t={event.t_h} h is earlier than the last record ({self._t_h} h)")
        self._t_h = event.t_h
        self._events.append(event)

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def of_kind(self, *kinds: str) -> list[Event]:
        return [e for e in self._events if e.kind in kinds]


def _open_for(path: Path, mode: str):
    if path.suffix == ".gz":
        # mtime=0 and no file name keep gzip output byte-identical between runs.
        raw = open(path, mode.replace("t", "") + "b")
        gz = gzip.GzipFile(filename="", mode=mode.replace("t", "") + "b", fileobj=raw, mtime=0)
        return _GzipText(gz, raw)
    return open(path, mode, encoding="utf-8", newline="\n")


class _GzipText:
    """Text wrapper over a GzipFile that closes the underlying raw file too."""

    def __init__(self, gz: gzip.GzipFile, raw) -> None:
        self._gz, self._raw = gz, raw
        self._text = io.TextIOWrapper(gz, encoding="utf-8", newline="\n")

    def __enter__(self):
        return self._text

    def __exit__(self, *exc) -> None:
        self._text.close()
        self._raw.close()


@contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """The one way every output file of the package is written: yield a temporary path beside
    ``path`` (``.NAME.partial``); when the block ends normally, flush it to disk (fsync) and rename
    it onto ``path``. If the block raises (or the process dies) ``path`` keeps its old content or
    stays absent, and the temporary file is removed (or, after a kill, left as ``.partial``)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` (``\\n`` line ends) to ``path`` through :func:`atomic_file`."""
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through :func:`atomic_file`."""
    with atomic_file(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_events(path: str | Path, events: Iterable[Event]) -> Path:
    """Write records as canonical JSON lines (gzip if ``path`` ends in ``.gz``), atomically."""
    path = Path(path)
    with atomic_file(path) as tmp, _open_for(tmp, "wt") as fh:
        for event in events:
            fh.write(event_line(event))
            fh.write("\n")
    return path


def read_events(path: str | Path) -> Iterator[Event]:
    """Read typed records back from a log file (plain or ``.gz``)."""
    path = Path(path)
    with _open_for(path, "rt") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield event_from_dict(json.loads(line))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: bad event record: {exc}") from None
