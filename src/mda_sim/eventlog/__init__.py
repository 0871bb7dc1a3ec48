"""The event log: the one output of a run (typed records, canonical JSON lines, a manifest).

Pure: imports neither simpy nor matplotlib. The engine writes it; analyzers and reports read it.
"""

from mda_sim.eventlog import records
from mda_sim.eventlog.io import (
    EventLog,
    atomic_file,
    event_line,
    read_events,
    write_bytes_atomic,
    write_events,
    write_text_atomic,
)
from mda_sim.eventlog.records import EVENT_TYPES, LOG_FORMAT_VERSION, Event, event_from_dict

__all__ = [
    "EVENT_TYPES",
    "LOG_FORMAT_VERSION",
    "Event",
    "EventLog",
    "atomic_file",
    "event_from_dict",
    "event_line",
    "read_events",
    "records",
    "write_bytes_atomic",
    "write_events",
    "write_text_atomic",
]
