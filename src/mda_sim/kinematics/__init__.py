"""Motion as piecewise constant-velocity legs, and intercept geometry (pure, closed form).

Frame: the local planar frame of :mod:`mda_sim.geography.frame` in nautical miles (x east, y north);
time in hours; speeds in knots. Positions are computed at any time, never stepped (DESIGN.md §3).
"""

from mda_sim.kinematics.intercept import (
    InterceptSolution,
    course_deg,
    head_on_closing_time_h,
    intercept_possible,
    intercept_time_h,
    pure_pursuit_capture_time_h,
    solve_intercept,
    tail_chase_time_h,
    time_to_close_within_h,
)
from mda_sim.kinematics.legs import Track

__all__ = [
    "InterceptSolution",
    "Track",
    "course_deg",
    "head_on_closing_time_h",
    "intercept_possible",
    "intercept_time_h",
    "pure_pursuit_capture_time_h",
    "solve_intercept",
    "tail_chase_time_h",
    "time_to_close_within_h",
]
