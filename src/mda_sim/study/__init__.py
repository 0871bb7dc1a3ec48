"""Studies over many runs: replications with confidence intervals and paired comparisons (this
issue), parameter sweeps next. Runs go through :func:`mda_sim.engine.run.run_scenario`; numbers come
from the pure analyzers reading each run's event log."""

from mda_sim.study.replications import (
    Comparison,
    ReplicationSet,
    compare,
    comparison_table,
    intervals_table,
    replication_seed,
    run_replications,
    study_text,
)

__all__ = [
    "Comparison",
    "ReplicationSet",
    "compare",
    "comparison_table",
    "intervals_table",
    "replication_seed",
    "run_replications",
    "study_text",
]
