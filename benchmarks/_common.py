"""Shared helpers for the benchmarks: machine description, staged setup timing, markdown output.

Nothing here asserts anything about speed: the benchmarks measure and print, and the reader (or
RESULTS.md) compares the figures with their goals.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import shlex
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

#: Repository root (benchmarks/ lives directly under it).
ROOT = Path(__file__).resolve().parent.parent
#: The baseline scenario every benchmark runs.
BASELINE = ROOT / "scenarios" / "eastern_caribbean.yaml"


# -- timing -----------------------------------------------------------------------------------------
@contextmanager
def stopwatch(store: dict, key: str):
    """Add the wall time [s] of the block to ``store[key]``."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        store[key] = store.get(key, 0.0) + time.perf_counter() - t0


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far [MiB] (ru_maxrss is KiB on Linux)."""
    import resource

    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":  # bytes there
        kib /= 1024.0
    return kib / 1024.0


# -- the machine ------------------------------------------------------------------------------------
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git(*args: str) -> str:
    """Read-only git query (rev-parse / status); empty string when git is unavailable."""
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False)
        return out.stdout.strip() if out.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def machine_info() -> dict:
    """Where and with what the figures were measured."""
    import numpy
    import shapely
    import simpy

    try:
        from mda_sim import __version__ as mda_version
    except ImportError:  # pragma: no cover
        mda_version = "?"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count()
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": _cpu_model(),
        "cores": f"{os.cpu_count()} logical ({usable} usable)",
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "versions": f"mda_sim {mda_version}, simpy {simpy.__version__}, numpy {numpy.__version__}, "
                    f"shapely {shapely.__version__}",
        "source": f"git {commit or '?'}" + (" + uncommitted changes" if dirty else ""),
    }


def command_line(script: str, argv: list[str] | None) -> str:
    """The command that reproduces this run (relative to the repository root)."""
    args = sys.argv[1:] if argv is None else list(argv)
    return " ".join([".venv/bin/python", f"benchmarks/{script}", *map(shlex.quote, args)])


# -- output -----------------------------------------------------------------------------------------
def table(headers: list[str], rows: list[list]) -> str:
    """A GitHub markdown table (also readable as plain text)."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), sep, *(line(r) for r in cells)])


def markdown_block(title: str, command: str, machine: dict, body: str) -> str:
    """A block ready to paste into RESULTS.md."""
    m = machine
    head = [
        f"### {title}",
        "",
        f"Command: `{command}`  ",
        f"Machine: {m['cpu']}, {m['cores']}, Python {m['python']}, {m['platform']}  ",
        f"Versions: {m['versions']}; {m['source']}  ",
        f"Date: {m['date']}",
        "",
    ]
    return "\n".join(head) + "\n" + body.rstrip() + "\n"


def fmt(x: float, digits: int = 3) -> str:
    """A number with ``digits`` significant figures (no scientific notation for ordinary sizes)."""
    if x != x:  # NaN
        return "nan"
    if x == 0:
        return "0"
    if abs(x) >= 10 ** digits:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


# -- staged setup of the baseline -------------------------------------------------------------------
def load_baseline(overrides: list[str] | tuple[str, ...] = (), times: dict | None = None, path=BASELINE):
    """Load geography, warm its lazy indexes, load the scenario; time each stage into ``times``.

    Stages (keys of ``times``, seconds): ``geography_load`` (reading the shipped data),
    ``geography_warm`` (land union and the sea-routing obstacle graph, built lazily on first use and
    then cached for the process), ``scenario_load`` (YAML, composition, validation).
    Returns ``(scenario, geography)``.
    """
    times = {} if times is None else times
    from mda_sim.geography import load_geography
    from mda_sim.scenario import load_scenario

    with stopwatch(times, "geography_load"):
        geo = load_geography()
    with stopwatch(times, "geography_warm"):
        warm_geography(geo)
    with stopwatch(times, "scenario_load"):
        scenario = load_scenario(path, list(overrides))
    return scenario, geo


def warm_geography(geo) -> None:
    """Build the process-wide lazy geography indexes (land union, routing graph) now."""
    import numpy as np

    _ = geo.land_nm
    try:
        from mda_sim.geography.routing import sea_route
    except ImportError:  # routing not present: nothing to warm
        return
    # Two open-sea points of the eastern Caribbean (east of Martinique, north of Venezuela) with an
    # island chain between them: the first route builds the obstacle graph.
    a = np.asarray(geo.frame.to_xy(-60.0, 14.5), dtype=float)
    b = np.asarray(geo.frame.to_xy(-63.0, 12.5), dtype=float)
    sea_route(geo, a, b)


def time_world_one_offs(world) -> dict:
    """Time a world's own lazy one-off work (land-shadow polygons of fixed sites) during its run.

    Each fixed site computes its land-shadow polygon once per footprint radius, on first use, and
    keeps it for the life of the world (so every replication pays it again). Warming all of them
    up front would cost far more than a run needs (every site x every vessel height), so instead
    the cached function is wrapped with a stopwatch: the returned dict's ``"seconds"`` and
    ``"polygons"`` fill in as the run goes, and the caller subtracts them from the run's wall time.
    If the engine no longer exposes that cache, nothing is wrapped (``"note"`` says so).
    """
    acc = {"seconds": 0.0, "polygons": 0, "note": ""}
    wrapped = 0
    for sensor in getattr(world.detection, "sensors", {}).values():
        visible = getattr(sensor, "_visible", None)
        if not getattr(sensor, "fixed", False) or visible is None or not hasattr(visible, "cache_info"):
            continue

        def timed(reach, _f=visible):
            before = _f.cache_info().misses
            t0 = time.perf_counter()
            out = _f(reach)
            if _f.cache_info().misses != before:
                acc["seconds"] += time.perf_counter() - t0
                acc["polygons"] += 1
            return out

        sensor._visible = timed
        wrapped += 1
    acc["note"] = (f"land-shadow polygons of {wrapped} fixed sites timed" if wrapped
                   else "land-shadow cache not found (engine internals changed?): included in the run")
    return acc


def simpy_event_counts(env) -> tuple[int, int]:
    """(scheduled, processed) simpy events of an environment so far.

    simpy 4 numbers every scheduled event from ``env._eid`` (an ``itertools.count``), so its repr
    gives the number scheduled without consuming a value; processed = scheduled - still queued.
    """
    import re

    m = re.fullmatch(r"count\((\d+)\)", repr(env._eid))
    scheduled = int(m.group(1)) if m else -1
    return scheduled, scheduled - len(env._queue)
