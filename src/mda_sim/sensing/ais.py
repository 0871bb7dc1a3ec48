"""AIS autonomous reporting intervals (ITU-R M.1371, Annex 1) and VHF reception range.

Source tables: ``reference/theory-and-calibration.md`` §2.8 (ITU-R M.1371-1 as quoted in the Simrad
RS90 manual and arundaleais.github.io; current edition M.1371-6). The older IMO performance-standard
table (12 s, 4 s, 6 s, 2 s, 3 s, 2 s) is deliberately NOT used.

A vessel with no transponder, or one switched off, is "dark": equipment ``"none"``, interval
``inf``, zero reports -- it must be found by radar or eyes.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from mda_sim.sensing.horizon import STANDARD_REFRACTION_K, radar_horizon_nm
from mda_sim.units import S_PER_H

__all__ = [
    "AIS_SCHEDULES",
    "LONG_RANGE_INTERVAL_S",
    "STATIC_DATA_INTERVAL_S",
    "ReportingSchedule",
    "expected_report_count",
    "p_contact",
    "report_times_h",
    "reporting_interval_s",
    "vhf_range_nm",
]

#: Static and voyage-related data (message 5 / 24) [s].
STATIC_DATA_INTERVAL_S = 360.0
#: Long-range broadcast (message 27) [s].
LONG_RANGE_INTERVAL_S = 1800.0


@dataclass(frozen=True)
class ReportingSchedule:
    """Position-report intervals of one kind of AIS equipment by speed band.

    Attributes
    ----------
    speed_edges_kn : tuple of float
        Upper edge of each speed band [kn], inclusive; the last is ``inf``.
    interval_s : tuple of float
        Interval in each band when not changing course [s].
    turning_interval_s : tuple of float
        Interval in each band when changing course [s].
    anchored_speed_edges_kn, anchored_interval_s : tuple of float
        Bands and intervals when at anchor or moored (empty: same as under way).
    """

    speed_edges_kn: tuple[float, ...]
    interval_s: tuple[float, ...]
    turning_interval_s: tuple[float, ...] | None = None
    anchored_speed_edges_kn: tuple[float, ...] = ()
    anchored_interval_s: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        turning = self.turning_interval_s or self.interval_s
        if not (len(self.speed_edges_kn) == len(self.interval_s) == len(turning)):
            raise ValueError("speed_edges_kn, interval_s and turning_interval_s differ in length")
        if len(self.anchored_speed_edges_kn) != len(self.anchored_interval_s):
            raise ValueError("anchored_speed_edges_kn and anchored_interval_s differ in length")
        object.__setattr__(self, "turning_interval_s", turning)

    def interval(
        self, speed_kn: ArrayLike, turning: ArrayLike = False, at_anchor: ArrayLike = False
    ):
        """Reporting interval [s] for speed(s) over ground [kn] (vectorised)."""
        v = np.asarray(speed_kn, dtype=float)
        if np.any(v < 0.0):
            raise ValueError(f"speed_kn must be >= 0, got {np.ravel(v).tolist()}")
        band = np.searchsorted(self.speed_edges_kn, v, side="left")
        under_way = np.where(
            np.asarray(turning, dtype=bool),
            np.asarray(self.turning_interval_s)[band],
            np.asarray(self.interval_s)[band],
        )
        if not self.anchored_interval_s:
            return under_way
        a_band = np.searchsorted(self.anchored_speed_edges_kn, v, side="left")
        anchored = np.asarray(self.anchored_interval_s)[a_band]
        return np.where(np.asarray(at_anchor, dtype=bool), anchored, under_way)


_INF = math.inf

#: Registry of AIS equipment by name (reference §2.8 tables).
AIS_SCHEDULES: dict[str, ReportingSchedule] = {
    "class_a": ReportingSchedule(
        speed_edges_kn=(14.0, 23.0, _INF),
        interval_s=(10.0, 6.0, 2.0),
        turning_interval_s=(10.0 / 3.0, 2.0, 2.0),
        anchored_speed_edges_kn=(3.0, _INF),
        anchored_interval_s=(180.0, 10.0),
    ),
    "class_b_so": ReportingSchedule(
        speed_edges_kn=(2.0, 14.0, 23.0, _INF), interval_s=(180.0, 30.0, 15.0, 5.0)
    ),
    "class_b_cs": ReportingSchedule(speed_edges_kn=(2.0, _INF), interval_s=(180.0, 30.0)),
    "sar_aircraft": ReportingSchedule(speed_edges_kn=(_INF,), interval_s=(10.0,)),
    "aid_to_navigation": ReportingSchedule(speed_edges_kn=(_INF,), interval_s=(180.0,)),
    "base_station": ReportingSchedule(speed_edges_kn=(_INF,), interval_s=(10.0,)),
    "none": ReportingSchedule(speed_edges_kn=(_INF,), interval_s=(_INF,)),
}


def _schedule(equipment: str) -> ReportingSchedule:
    try:
        return AIS_SCHEDULES[equipment]
    except KeyError:
        hint = difflib.get_close_matches(equipment, AIS_SCHEDULES, n=1)
        did = f"; did you mean '{hint[0]}'?" if hint else ""
        raise ValueError(
            f"AIS equipment '{equipment}' unknown{did} (known: {', '.join(AIS_SCHEDULES)})"
        ) from None


def reporting_interval_s(
    equipment: str, speed_kn: ArrayLike, turning: ArrayLike = False, at_anchor: ArrayLike = False
) -> np.ndarray:
    """Autonomous position-report interval [s] (ITU-R M.1371 Annex 1; reference §2.8).

    Parameters
    ----------
    equipment : str
        A key of :data:`AIS_SCHEDULES`: ``class_a``, ``class_b_so``, ``class_b_cs``,
        ``sar_aircraft``, ``aid_to_navigation``, ``base_station`` or ``none`` (dark).
    speed_kn : array_like
        Speed over ground [kn]. Band edges are inclusive upper bounds (14 kt is in "0-14 kt").
    turning : array_like of bool
        Changing course (Class A only has separate intervals).
    at_anchor : array_like of bool
        At anchor or moored (Class A only).

    Examples
    --------
    >>> reporting_interval_s("class_a", [18.0, 18.0], turning=[False, True]).tolist()
    [6.0, 2.0]
    """
    return _schedule(equipment).interval(speed_kn, turning, at_anchor)


def expected_report_count(
    equipment: str,
    speed_kn: ArrayLike,
    duration_h: ArrayLike,
    turning: ArrayLike = False,
    at_anchor: ArrayLike = False,
) -> np.ndarray:
    """Expected number of position reports in an interval [-]: ``3600 D / interval_s``.

    Exact in expectation for a uniformly random reporting phase; a Class A vessel at 18 kt on a
    straight course for 1 h sends 600 reports, 1,800 if turning (reference §2.8).
    """
    interval = reporting_interval_s(equipment, speed_kn, turning, at_anchor)
    return np.asarray(duration_h, dtype=float) * S_PER_H / interval


def report_times_h(
    t_start_h: float, t_end_h: float, interval_s: float, phase_s: float = 0.0
) -> np.ndarray:
    """Report times ``phase + k interval`` (absolute, k integer) in ``[t_start_h, t_end_h)`` [h]."""
    if not np.isfinite(interval_s):
        return np.zeros(0)
    if not interval_s > 0.0:
        raise ValueError(f"interval_s = {interval_s!r}: must be > 0")
    T = interval_s / S_PER_H
    ph = phase_s / S_PER_H
    k0 = math.ceil((t_start_h - ph) / T)
    k1 = math.ceil((t_end_h - ph) / T)
    return ph + T * np.arange(k0, k1)


def p_contact(n_reports: ArrayLike, p_receive: ArrayLike = 1.0) -> np.ndarray:
    """Probability that at least one of ``n`` reports is received: ``1 - (1 - p)^n``."""
    n = np.asarray(n_reports, dtype=float)
    p = np.asarray(p_receive, dtype=float)
    if np.any((p < 0.0) | (p > 1.0)):
        raise ValueError(f"p_receive {np.ravel(p).tolist()}: must be in [0, 1]")
    with np.errstate(divide="ignore", invalid="ignore"):
        p_miss_all = -np.expm1(n * np.log1p(-p))
    return np.where(n > 0.0, p_miss_all, 0.0)


def vhf_range_nm(
    transmitter_height_m: ArrayLike,
    receiver_height_m: ArrayLike,
    k: float = STANDARD_REFRACTION_K,
) -> np.ndarray:
    """VHF line-of-sight range between AIS antennas [nm].

    The 4/3-earth radio horizon of both antennas, ``(sqrt(2 k R_e h1) + sqrt(2 k R_e h2)) / 1852``,
    the same geometry as the radar horizon (reference §2.4). Real AIS reception often reaches
    somewhat further (ducting) or less (low power Class B); treat this as the nominal range.
    """
    return radar_horizon_nm(transmitter_height_m, receiver_height_m, k)
