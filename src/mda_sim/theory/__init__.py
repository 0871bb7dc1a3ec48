"""Closed-form theory the engine is validated against: search theory, queueing, the kill chain.

Pure functions over numbers (no simulation); formulas and worked values from
``reference/theory-and-calibration.md`` §2.1-2.3, 2.9 and 2.10.
"""

from mda_sim.theory.killchain import KillChain
from mda_sim.theory.queueing import (
    erlang_a_abandon_probability,
    erlang_b,
    erlang_c,
    littles_law_number,
    mmc_mean_wait_h,
)
from mda_sim.theory.search import (
    bayes_update_failed_search,
    coverage_factor,
    cumulative_pod,
    pod_parallel_definite_range,
    pod_parallel_inverse_cube,
    pod_random_search,
    sweep_width_inverse_cube,
)

__all__ = [
    "KillChain",
    "bayes_update_failed_search",
    "coverage_factor",
    "cumulative_pod",
    "erlang_a_abandon_probability",
    "erlang_b",
    "erlang_c",
    "littles_law_number",
    "mmc_mean_wait_h",
    "pod_parallel_definite_range",
    "pod_parallel_inverse_cube",
    "pod_random_search",
    "sweep_width_inverse_cube",
]
