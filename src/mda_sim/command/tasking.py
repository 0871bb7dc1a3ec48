"""Tasking: which asset goes after which suspect track (pure; no simpy, no matplotlib).

A policy sees a snapshot of the picture (:class:`TrackView`) and of the assets
(:class:`AssetView`) at ``now_h`` and returns :class:`Assignment` orders. Policies are pluggable
(:class:`TaskingPolicy`, looked up by name in :data:`POLICIES`) so exercises can compare them.

Intercept geometry is the closed-form lead pursuit of ``reference/theory-and-calibration.md``
§2.7 (:func:`mda_sim.kinematics.intercept.solve_intercept`), with the launch delay folded in.
The kill-chain stage served here is §2.10 step 4-5: an asset available (P_A) and an intercept
feasible in time and geometry (P_I).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol, runtime_checkable

import numpy as np

from mda_sim.kinematics.intercept import solve_intercept

__all__ = [
    "POLICIES",
    "AssetView",
    "Assignment",
    "NearestFeasible",
    "TaskingPolicy",
    "TrackView",
    "fuel_needed_h",
    "make_policy",
]

#: Slack on the endurance comparison [h], so an exactly-fitting sortie is not lost to rounding.
_ENDURANCE_TOL_H = 1e-9


def _pair(name: str, owner: str, value: Sequence[float]) -> tuple[float, float]:
    try:
        x, y = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{owner}.{name} = {value!r}: must be a pair (x, y)") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f"{owner}.{name} = {value!r}: must be finite")
    return (x, y)


@dataclass(frozen=True)
class TrackView:
    """What command knows of a suspect track at the decision time.

    Attributes
    ----------
    track_id : str
    vessel_id : str or None
        Truth vessel, if the track has been associated with one (for the log; policies must not
        use it to cheat).
    position_nm : (float, float)
        Estimated position at ``now_h`` [nm].
    velocity_kn : (float, float)
        Estimated velocity [kn].
    sigma_nm : float
        Position uncertainty, 1-sigma [nm] (carried for policies that plan a search; unused by
        :class:`NearestFeasible`).
    label : str or None
        Classification (cargo kind or vessel type), None if unsorted.
    priority : float
        Higher is more urgent (see :func:`mda_sim.command.priorities.default_priority`).
    """

    track_id: str
    vessel_id: str | None
    position_nm: tuple[float, float]
    velocity_kn: tuple[float, float]
    sigma_nm: float
    label: str | None
    priority: float

    def __post_init__(self) -> None:
        who = f"track '{self.track_id}'"
        object.__setattr__(self, "position_nm", _pair("position_nm", who, self.position_nm))
        object.__setattr__(self, "velocity_kn", _pair("velocity_kn", who, self.velocity_kn))
        if not (self.sigma_nm >= 0.0):
            raise ValueError(f"{who}.sigma_nm = {self.sigma_nm}: must be >= 0")
        if not math.isfinite(self.priority):
            raise ValueError(f"{who}.priority = {self.priority}: must be finite")


@dataclass(frozen=True)
class AssetView:
    """What command knows of one asset at the decision time.

    Attributes
    ----------
    asset_id : str
    position_nm : (float, float)
        Position at ``now_h`` [nm].
    max_speed_kn, cruise_speed_kn : float
        Sprint and cruise speeds [kn] (catalog ``AssetType``).
    endurance_left_h : float
        Endurance remaining, in hours at cruise [h].
    sprint_fuel_factor : float
        Endurance used per hour at max speed relative to cruise [-], >= 1.
    can_board : bool
        False for aircraft: they cannot be tasked to intercept and board.
    launch_delay_h : float
        Time from the order reaching the asset to it moving [h] (0 for an asset already under
        way; the embarked-craft or alert launch delay otherwise).
    home_nm : (float, float)
        Base it must return to [nm].
    busy_with : str or None
        Track it is prosecuting now, None if free.
    busy_priority : float
        Priority of that task (ignored when free).
    """

    asset_id: str
    position_nm: tuple[float, float]
    max_speed_kn: float
    cruise_speed_kn: float
    endurance_left_h: float
    sprint_fuel_factor: float
    can_board: bool
    launch_delay_h: float
    home_nm: tuple[float, float]
    busy_with: str | None = None
    busy_priority: float = -math.inf

    def __post_init__(self) -> None:
        who = f"asset '{self.asset_id}'"
        object.__setattr__(self, "position_nm", _pair("position_nm", who, self.position_nm))
        object.__setattr__(self, "home_nm", _pair("home_nm", who, self.home_nm))
        if not (self.max_speed_kn > 0.0 and math.isfinite(self.max_speed_kn)):
            raise ValueError(f"{who}.max_speed_kn = {self.max_speed_kn}: must be > 0")
        if not (0.0 < self.cruise_speed_kn <= self.max_speed_kn):
            raise ValueError(
                f"{who}.cruise_speed_kn = {self.cruise_speed_kn}: must be > 0 and"
                f" <= max_speed_kn = {self.max_speed_kn}"
            )
        if not (self.endurance_left_h >= 0.0):
            raise ValueError(f"{who}.endurance_left_h = {self.endurance_left_h}: must be >= 0")
        if not (self.sprint_fuel_factor >= 1.0):
            raise ValueError(f"{who}.sprint_fuel_factor = {self.sprint_fuel_factor}: must be >= 1")
        if not (self.launch_delay_h >= 0.0 and math.isfinite(self.launch_delay_h)):
            raise ValueError(f"{who}.launch_delay_h = {self.launch_delay_h}: must be >= 0")


@dataclass(frozen=True)
class Assignment:
    """An order: ``asset`` goes after ``track``.

    Attributes
    ----------
    asset, track : str
        Asset and track ids.
    intercept_h : float
        Time from ``now_h`` to the meeting, latency and launch delay included [h].
    intercept_point_nm : (float, float)
        Predicted meeting point [nm].
    reason : str
        Why (for the event log), e.g. ``"nearest feasible"`` or a re-tasking note.
    """

    asset: str
    track: str
    intercept_h: float
    intercept_point_nm: tuple[float, float]
    reason: str


@runtime_checkable
class TaskingPolicy(Protocol):
    """A coordination policy: turns a snapshot of tracks and assets into orders.

    ``assign`` must be pure and deterministic (same inputs, same orders, same order of orders),
    must not give one asset to two tracks, and returns only new orders (re-tasking included);
    an asset not named keeps its current task.
    """

    name: str

    def assign(
        self, tracks: Sequence[TrackView], assets: Sequence[AssetView], now_h: float
    ) -> list[Assignment]: ...


def fuel_needed_h(
    launch_delay_h: float,
    intercept_h: float,
    return_nm: float,
    cruise_speed_kn: float,
    sprint_fuel_factor: float,
) -> float:
    """Endurance a sortie uses, in cruise-equivalent hours [h] (an **estimate**).

    ``E = t0 + f (t_I - t0) + d_home / v_cruise``: waiting (latency and launch delay) costs
    one hour per hour, the sprint at max speed ``f`` per hour (catalog ``sprint_fuel_factor``),
    and the return leg from the intercept point is flown at cruise. Boarding time and a reserve
    are left to the policy's ``reserve_h``.
    """
    sprint_h = max(intercept_h - launch_delay_h, 0.0)
    return launch_delay_h + sprint_fuel_factor * sprint_h + return_nm / cruise_speed_kn


@dataclass(frozen=True)
class NearestFeasible:
    """Earliest feasible intercept first, highest priority first, with re-tasking.

    Tracks are served in descending priority (ties by track id). For each, the candidates are
    the boarding-capable assets that are free, or busy with a task of strictly lower priority
    (re-tasking; off when ``retask`` is False), and not already ordered in this call. Each
    candidate's intercept is the closed-form lead pursuit at max speed after a delay of
    ``decision_latency_h + comms_latency_h + asset.launch_delay_h`` (reference §2.7; the target
    keeps its estimated velocity meanwhile). It is feasible only if the fuel model of
    :func:`fuel_needed_h` (an estimate: waiting at 1x, sprint hours at ``sprint_fuel_factor``
    x, return to ``home_nm`` at cruise) plus ``reserve_h`` fits in ``endurance_left_h``. The
    earliest intercept wins; ties go to a free asset over a re-tasked one, then to the
    smallest asset id. A track already being prosecuted by a busy asset that keeps its task is
    skipped; if its asset is re-tasked away, the track is considered again.

    Attributes
    ----------
    decision_latency_h : float
        Time for the operations centre to decide [h] (estimate; 0 by default).
    comms_latency_h : float
        Time for the order to reach the asset [h] (estimate; 0 by default).
    reserve_h : float
        Endurance kept back for boarding and margin [h].
    retask : bool
        Whether busy assets may be pulled to a higher-priority track.
    """

    decision_latency_h: float = 0.0
    comms_latency_h: float = 0.0
    reserve_h: float = 0.0
    retask: bool = True
    name: str = "nearest_feasible"

    def __post_init__(self) -> None:
        for field in ("decision_latency_h", "comms_latency_h", "reserve_h"):
            value = getattr(self, field)
            if not (value >= 0.0 and math.isfinite(value)):
                raise ValueError(f"NearestFeasible.{field} = {value}: must be >= 0")

    def candidate(self, track: TrackView, asset: AssetView) -> Assignment | None:
        """The intercept of ``track`` by ``asset`` if feasible, else None (priorities ignored)."""
        if not asset.can_board:
            return None
        delay_h = self.decision_latency_h + self.comms_latency_h + asset.launch_delay_h
        sol = solve_intercept(
            asset.position_nm, track.position_nm, track.velocity_kn, asset.max_speed_kn, delay_h
        )
        if sol is None:
            return None
        point = (float(sol.point_nm[0]), float(sol.point_nm[1]))
        return_nm = float(np.hypot(point[0] - asset.home_nm[0], point[1] - asset.home_nm[1]))
        need_h = fuel_needed_h(
            delay_h, sol.time_h, return_nm, asset.cruise_speed_kn, asset.sprint_fuel_factor
        )
        if need_h + self.reserve_h > asset.endurance_left_h + _ENDURANCE_TOL_H:
            return None
        return Assignment(asset.asset_id, track.track_id, float(sol.time_h), point, "")

    def assign(
        self, tracks: Sequence[TrackView], assets: Sequence[AssetView], now_h: float
    ) -> list[Assignment]:
        """Orders for this snapshot (see the class docstring). ``now_h`` is the decision time [h]."""
        if not math.isfinite(now_h):
            raise ValueError(f"now_h = {now_h}: must be finite")
        _unique("track", [t.track_id for t in tracks])
        _unique("asset", [a.asset_id for a in assets])
        # current task of each asset, updated as orders are made: (track id, priority) or None
        task: dict[str, tuple[str, float] | None] = {
            a.asset_id: (a.busy_with, a.busy_priority) if a.busy_with is not None else None
            for a in assets
        }
        ordered: set[str] = set()
        served: set[str] = set()
        orders: list[Assignment] = []
        key = {t.track_id: (-t.priority, t.track_id) for t in tracks}
        pending = sorted(tracks, key=lambda t: key[t.track_id])
        track_by_id = {t.track_id: t for t in tracks}

        while pending:
            track = pending.pop(0)
            if track.track_id in served:
                continue
            if any(v is not None and v[0] == track.track_id for v in task.values()):
                continue  # still prosecuted by an asset that keeps its task
            best: tuple[tuple[float, int, str], Assignment, AssetView] | None = None
            for asset in sorted(assets, key=lambda a: a.asset_id):
                if asset.asset_id in ordered:
                    continue
                current = task[asset.asset_id]
                if current is not None and not (self.retask and current[1] < track.priority):
                    continue
                cand = self.candidate(track, asset)
                if cand is None:
                    continue
                rank = (round(cand.intercept_h, 9), int(current is not None), asset.asset_id)
                if best is None or rank < best[0]:
                    best = (rank, cand, asset)
            if best is None:
                continue
            _, cand, asset = best
            current = task[asset.asset_id]
            if current is None:
                reason = "nearest feasible"
            else:
                reason = (
                    f"re-tasked from '{current[0]}' (priority {current[1]:g})"
                    f" to higher priority {track.priority:g}"
                )
            orders.append(
                Assignment(
                    cand.asset, cand.track, cand.intercept_h, cand.intercept_point_nm, reason
                )
            )
            ordered.add(asset.asset_id)
            served.add(track.track_id)
            task[asset.asset_id] = (track.track_id, track.priority)
            dropped = track_by_id.get(current[0]) if current is not None else None
            if dropped is not None and dropped.track_id not in served:
                pending.append(dropped)
                pending.sort(key=lambda t: key[t.track_id])
        return orders


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{kind} id '{i}' appears twice in one snapshot")
        seen.add(i)


#: Tasking policies by name (STYLE habit 9: registries, not if/elif on strings).
POLICIES = MappingProxyType({"nearest_feasible": NearestFeasible})


def make_policy(name: str, **params: float | bool) -> TaskingPolicy:
    """Build a registered policy by name with its parameters.

    >>> make_policy("nearest_feasible", decision_latency_h=0.25).decision_latency_h
    0.25
    """
    try:
        cls = POLICIES[name]
    except KeyError:
        close = difflib.get_close_matches(name, POLICIES, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(
            f"tasking policy '{name}' unknown{hint} (known: {', '.join(POLICIES)})"
        ) from None
    return cls(**params)
