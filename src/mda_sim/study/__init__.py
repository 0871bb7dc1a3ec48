"""Studies over many runs: replications with confidence intervals and paired comparisons
(:mod:`~mda_sim.study.replications`), and parameter sweeps -- experimental designs
(:mod:`~mda_sim.study.designs`), sweep files (:mod:`~mda_sim.study.sweepfile`), the results store
(:mod:`~mda_sim.study.store`) and the driver (:mod:`~mda_sim.study.sweep`). Runs go through the
engine; numbers come from the pure analyzers reading each run's event log.

Names are imported on first use, so ``import mda_sim.study.store`` (or ``designs``) does not load
the simulation engine.
"""

from importlib import import_module

_WHERE = {
    "Comparison": "replications", "ReplicationSet": "replications", "compare": "replications",
    "comparison_table": "replications", "intervals_table": "replications", "replication_seed": "replications",
    "run_replications": "replications", "study_text": "replications",
    "load_sweep": "sweepfile", "Sweep": "sweepfile", "run_sweep": "sweep", "SweepOutcome": "sweep",
    "ResultsStore": "store",
}

__all__ = [  # noqa: RUF022 (grouped by module)
    "Comparison",
    "ReplicationSet",
    "compare",
    "comparison_table",
    "intervals_table",
    "replication_seed",
    "run_replications",
    "study_text",
    "load_sweep",
    "Sweep",
    "run_sweep",
    "SweepOutcome",
    "ResultsStore",
]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'mda_sim.study' has no attribute {name!r}")
    return getattr(import_module(f"mda_sim.study.{_WHERE[name]}"), name)
