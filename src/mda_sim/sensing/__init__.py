"""Sensing: horizons, footprint coverage intervals, detection laws, conditions and AIS (pure).

The engine schedules detections analytically (DESIGN.md §3): :mod:`~mda_sim.sensing.coverage` gives
the interval a straight relative leg spends inside a footprint, a law from
:mod:`~mda_sim.sensing.laws` gives the probability over that interval and draws the detection time.
:mod:`~mda_sim.sensing.stepped` is the brute-force reference, for tests and benchmarks only.
"""

from mda_sim.sensing.coverage import Coverage, leg_coverage, time_in_range, track_coverage
from mda_sim.sensing.horizon import footprint_range_nm, radar_horizon_nm
from mda_sim.sensing.laws import (
    DETECTION_LAWS,
    ConstantRate,
    DefiniteRange,
    DetectionLaw,
    Glimpse,
    InverseCube,
    make_law,
)

__all__ = [
    "DETECTION_LAWS",
    "ConstantRate",
    "Coverage",
    "DefiniteRange",
    "DetectionLaw",
    "Glimpse",
    "InverseCube",
    "footprint_range_nm",
    "leg_coverage",
    "make_law",
    "radar_horizon_nm",
    "time_in_range",
    "track_coverage",
]
