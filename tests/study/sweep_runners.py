"""Worker functions for sweep tests: importable by spawned worker processes (tests is a package)."""

from __future__ import annotations

import json
import os

from mda_sim.study.sweep import run_job

#: The replication that fails in :func:`raising_runner`.
FAIL_REPLICATION = 1


def raising_runner(payload: tuple) -> tuple:
    """For replication 1 of every point with assets.uscg_frc.count = 2, hand the real worker a
    scenario whose run duration is negative, so the run raises inside :func:`run_job`."""
    job, document, run_dir, patterns = payload
    if job.replication == FAIL_REPLICATION and job.factors.get("assets.uscg_frc.count") == 2:
        data = json.loads(document)
        data["run"]["duration_h"] = -1.0
        document = json.dumps(data)
    return run_job((job, document, run_dir, patterns))


def dying_runner(payload: tuple) -> tuple:
    """Kill the worker process outright for one run (as the OOM killer would); else run normally."""
    job = payload[0]
    if job.replication == 0 and job.factors.get("assets.uscg_frc.count") == 2 and \
            job.factors.get("traffic.illicit.mona_yolas.departures.rate_per_day") == 6.0:
        os._exit(17)
    return run_job(payload)
