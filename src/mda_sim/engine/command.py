"""Command and control in the live world: suspects in the shared picture, assets, orders, outcomes.

One coordination centre works the **shared picture** (the CSII-like picture every partner feeds;
reference §6): when a track there is labelled ``suspect`` it joins the queue; the tasking policy
(``command.tasking.policy``, :mod:`mda_sim.command`) is run on every new suspect, whenever an asset
comes free, and every ``replan_every_h``. Orders go to hulls at sea or on call at base, or to a boat
embarked on a hull at sea (the hull heaves to until its boat is back). A suspect left unassigned
for ``max_wait_h`` is given up (0 makes tasking a loss system, Erlang B).

Every illicit voyage is a :class:`Case`. The case collects what happened to the voyage (detected,
suspect, tasked, pursuit results, legal blocks, boarding) and, when the voyage ends (arrival,
seizure, or the end of the run), emits its one ``voyage_outcome`` record with a reason and, where
the law decided it, the citation.

Simplifications (stated): a pursuer steers on the target's true position while the shared picture
holds a track on it (the picture is an upper bound on what a correlator gives, see
:mod:`mda_sim.picture.tracks`); aircraft detect and classify but are not tasked (they cannot
board).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from mda_sim.command import AssetView, TrackView, default_priority, make_policy
from mda_sim.eventlog.records import DISRUPTING_OUTCOMES, VOYAGE_OUTCOMES, Tasked, VoyageOutcome

if TYPE_CHECKING:
    from mda_sim.engine.platforms import Platform
    from mda_sim.engine.vessels import Vessel
    from mda_sim.engine.world import World

__all__ = ["Case", "Command", "Order"]

#: Name of the shared picture (the one command works).
SHARED = "shared"


@dataclass
class Case:
    """What happened to one illicit voyage (for its outcome)."""

    vessel: Vessel
    cargo: str
    detected: bool = False
    seen: bool = False
    suspect: bool = False
    suspect_since_h: float = math.nan
    tasked: bool = False
    given_up: bool = False
    results: dict[str, tuple[str, str]] = field(default_factory=dict)
    removed_kg: float = 0.0
    closed: bool = False

    def note(self, outcome: str, reason: str, citation: str = "") -> None:
        """Record a result; a later result of the same kind replaces the earlier one."""
        self.results[outcome] = (reason, citation)

    @property
    def prosecuted(self) -> bool:
        """Seized, jettisoned or boarded: no one goes after it again."""
        return any(k in self.results for k in ("seized", "jettisoned", "boarded_no_evidence", "consent_refused"))


@dataclass
class Order:
    """An asset's order: the case to prosecute, its track and priority, and the delay before it
    moves (decision and communication latency, plus the launch delay) [h]."""

    case: Case
    track: str
    priority: float
    delay_h: float
    cue_nm: tuple[float, float] | None = None
    """For an intelligence cue: where the tip places the vessel (search there first) [nm]."""

    @property
    def vessel(self) -> Vessel:
        return self.case.vessel


class Command:
    """The coordination centre (see the module notes)."""

    def __init__(self, world: World) -> None:
        self.world = world
        cfg = world.spec.command
        self.enabled = cfg.enabled
        t = cfg.tasking
        self.cfg = t
        self.policy = make_policy(t.policy, decision_latency_h=t.decision_latency_h,
                                  comms_latency_h=t.comms_latency_h, reserve_h=t.reserve_h, retask=t.retask)
        self.cases: dict[str, Case] = {}
        self.waiting: dict[str, float] = {}  # vessel id -> suspect since [h]
        self.busy: dict[str, Order] = {}  # platform id -> order
        self._pending = False
        if self.enabled:
            world.env.process(self._review())

    # -- listening to the picture and the traffic -------------------------------------------------
    def observe(self, event) -> None:
        """Called for every record the world emits: keeps the cases and the queue up to date."""
        kind = event.kind
        if kind == "vessel_departed":
            if event.illicit:
                self.cases[event.vessel] = case = Case(self.world.vessels[event.vessel], event.cargo)
                if self.enabled and self.world.spec.command.intel.p_cue > 0.0:
                    self._maybe_tip(case)
            return
        case = self.cases.get(getattr(event, "vessel", ""))
        if case is None:
            return
        if kind == "detected":
            case.detected = True
        elif kind in ("track_created", "track_updated"):
            case.seen = True
        elif kind == "classified" and event.picture == SHARED and self.enabled:
            if event.label == "suspect" and not case.prosecuted:
                case.suspect = True
                if math.isnan(case.suspect_since_h):
                    case.suspect_since_h = event.t_h
                if not self._prosecuting(case.vessel.id):
                    self.waiting.setdefault(case.vessel.id, event.t_h)
                    self.replan_soon()
            elif event.label == "cleared":
                self.waiting.pop(case.vessel.id, None)
        elif kind == "track_lost" and event.picture == SHARED:
            self.waiting.pop(case.vessel.id, None)

    def _prosecuting(self, vessel_id: str) -> bool:
        return any(o.case.vessel.id == vessel_id for o in self.busy.values())

    # -- intelligence cues ------------------------------------------------------------------------
    def _maybe_tip(self, case: Case) -> None:
        """Draw whether (and when, and how well) a tip about this voyage reaches command; stream
        ``("intel", vessel)``."""
        from mda_sim.engine.sampling import draw

        intel = self.world.spec.command.intel
        rng = self.world._rng("intel", case.vessel.id)
        if rng.random() >= intel.p_cue:
            return
        delay_h = max(0.0, draw(intel.delay_h, rng))
        reliable = bool(rng.random() < intel.reliability)
        error = rng.normal(0.0, intel.position_error_nm, 2)
        self.world.env.timeout(delay_h).callbacks.append(lambda _e: self._tip(case, reliable, error, rng))

    def _tip(self, case: Case, reliable: bool, error, rng) -> None:
        from mda_sim.engine.traffic import sea_point
        from mda_sim.eventlog.records import IntelCue

        world = self.world
        vessel = case.vessel
        if not vessel.active or case.prosecuted or self._prosecuting(vessel.id):
            return
        if reliable:
            xy = vessel.position_at(world.now_h) + error
        else:
            xy = sea_point(world, world.illicit_flows[vessel.flow].destination, rng)
        world.emit(IntelCue(world.now_h, vessel.id, float(xy[0]), float(xy[1]), reliable))
        _, views = self._asset_views(world.now_h)
        pursuers = {p.id: p for p in world.platforms}
        free = [v for v in views if v.busy_with is None and pursuers[v.asset_id].parent is None]
        if not free:
            return  # no hull to spare: the tip is logged, not acted on

        def eta_h(v: AssetView) -> float:
            return v.launch_delay_h + float(np.hypot(v.position_nm[0] - xy[0], v.position_nm[1] - xy[1])) / v.max_speed_kn

        best = min(free, key=lambda v: (eta_h(v), v.asset_id))  # a cue search is a hull's job
        platform = pursuers[best.asset_id]
        priority = default_priority(case.cargo or None, float(vessel.cargo_kg))
        cfg = self.cfg
        delay = cfg.decision_latency_h + cfg.comms_latency_h + (cfg.alert_launch_delay_h if platform.mode == "base" else 0.0)
        world.emit(Tasked(world.now_h, platform.id, "", vessel.id, eta_h(best) + delay, float(xy[0]), float(xy[1]),
                          "intel cue: search at the tipped position"))
        order = Order(case, "", priority, delay, (float(xy[0]), float(xy[1])))
        case.tasked = True
        self.busy[platform.id] = order
        platform.mode = "tasked"
        platform.process.interrupt(order)

    # -- the tasking cycle ------------------------------------------------------------------------
    def replan_soon(self) -> None:
        """Run the policy at the current time, once, after the other events of this instant."""
        if self._pending or not self.enabled:
            return
        self._pending = True
        self.world.env.timeout(0).callbacks.append(lambda _e: self.replan())

    def asset_free(self) -> None:
        if self.waiting:
            self.replan_soon()

    def _review(self):
        env = self.world.env
        while True:
            yield env.timeout(self.cfg.replan_every_h)
            if self.waiting or self.busy:
                self.replan()

    def replan(self) -> None:
        self._pending = False
        world = self.world
        t = world.now_h
        for vid, since in list(self.waiting.items()):
            case = self.cases[vid]
            if not case.vessel.active or case.prosecuted:
                del self.waiting[vid]
            elif t - since > self.cfg.max_wait_h + 1e-9:
                del self.waiting[vid]
                case.given_up = True
        tracks = []
        picture = world.pictures[SHARED]
        candidates = set(self.waiting) | {o.case.vessel.id for o in self.busy.values()}
        for vid in sorted(candidates):
            track = picture.tracks.get(vid)
            if track is None:
                continue
            tracks.append(self._track_view(self.cases[vid], track, t))
        if not tracks:
            self._give_up_now(t)
            return
        pursuers, views = self._asset_views(t)
        if not views:
            self._give_up_now(t)
            return
        orders = self.policy.assign(tracks, views, t)
        by_track = {tv.track_id: tv for tv in tracks}
        families: set[str] = set()
        for a in orders:
            platform = pursuers[a.asset]
            family = (platform.parent or platform).id
            if family in families:
                continue
            families.add(family)
            tv = by_track[a.track]
            case = self.cases[tv.vessel_id]
            self._dispatch(platform, case, tv, a)
        self._give_up_now(t)

    def _give_up_now(self, t: float) -> None:
        """With ``max_wait_h`` = 0 a suspect not served at once is lost (the Erlang B loss system)."""
        if self.cfg.max_wait_h > 0.0:
            return
        for vid in list(self.waiting):
            case = self.cases[vid]
            if not self._prosecuting(vid):
                case.given_up = True
                del self.waiting[vid]

    def _track_view(self, case: Case, track, t: float) -> TrackView:
        vessel = case.vessel
        if track.held_by or not vessel.active:
            pos, vel = vessel.position_at(t), vessel.velocity_kn
        else:
            vel = np.array([track.vx_kn, track.vy_kn])
            pos = np.array([track.x_nm, track.y_nm]) + vel * (t - track.last_contact_h)
        amount = vessel.persons if case.cargo == "migrants" else vessel.cargo_kg
        priority = default_priority(case.cargo or None, float(amount))
        sigma = track.sigma_nm(t, self.world.spec.picture.sigma_growth_kn)
        return TrackView(track.id, vessel.id, (float(pos[0]), float(pos[1])), (float(vel[0]), float(vel[1])),
                         float(sigma), case.cargo or None, priority)

    def _asset_views(self, t: float) -> tuple[dict[str, Platform], list[AssetView]]:
        pursuers: dict[str, Platform] = {}
        views: list[AssetView] = []
        alert_h = self.cfg.alert_launch_delay_h
        for p in self.world.platforms:
            if p.parent is not None or not p.type.can_board or p.process is None:
                continue  # boats are offered with their hull; hulls flying scheduled sorties are not tasked
            busy = self.busy.get(p.id)
            if p.mode == "base":
                delay, fuel = alert_h, p.type.endurance_h
            elif p.mode in ("patrol", "returning") or (p.mode == "tasked" and busy is not None):
                delay, fuel = 0.0, p.fuel_left_h(t)
            else:
                continue
            pos = p.position_at(t)
            pursuers[p.id] = p
            views.append(self._view(p, pos, delay, fuel, p.base_nm, busy))
            if p.mode == "patrol":
                for boat in p.boats:
                    if boat.mode == "stowed" and boat.type.can_board:
                        pursuers[boat.id] = boat
                        views.append(self._view(boat, pos, boat.launch_delay_h, boat.type.endurance_h, pos, None))
            for boat in p.boats:
                if boat.mode == "tasked" and boat.id in self.busy:
                    pursuers[boat.id] = boat
                    views.append(self._view(boat, boat.position_at(t), 0.0, boat.fuel_left_h(t), pos,
                                            self.busy[boat.id]))
        return pursuers, views

    @staticmethod
    def _view(p: Platform, pos, delay: float, fuel: float, home, busy: Order | None) -> AssetView:
        return AssetView(p.id, (float(pos[0]), float(pos[1])), p.type.max_speed_kn, p.type.cruise_speed_kn,
                         max(0.0, float(fuel)), p.type.sprint_fuel_factor, p.type.can_board, float(delay),
                         (float(home[0]), float(home[1])),
                         busy.track if busy is not None else None,
                         busy.priority if busy is not None else -math.inf)

    def _dispatch(self, platform: Platform, case: Case, tv: TrackView, a) -> None:
        from mda_sim.engine.patrols import Hold
        from mda_sim.engine.prosecution import launch_boat

        world = self.world
        vessel = case.vessel
        pos = a.intercept_point_nm
        world.emit(Tasked(world.now_h, platform.id, tv.track_id, vessel.id, a.intercept_h, float(pos[0]),
                          float(pos[1]), a.reason))
        cfg = self.cfg
        delay = cfg.decision_latency_h + cfg.comms_latency_h
        if platform.mode == "base":
            delay += cfg.alert_launch_delay_h
        elif platform.parent is not None and platform.mode == "stowed":
            delay += platform.launch_delay_h
        order = Order(case, tv.track_id, tv.priority, delay)
        case.tasked = True
        self.waiting.pop(vessel.id, None)
        previous = self.busy.get(platform.id)
        self.busy[platform.id] = order
        if previous is not None:
            platform.process.interrupt(order)  # re-tasked: the prosecution switches target
            self.waiting.setdefault(previous.case.vessel.id, world.now_h)
        elif platform.parent is not None:
            hold = Hold(world)
            platform.parent.process.interrupt(hold)
            platform.mode = "tasked"
            platform.process = world.env.process(launch_boat(world, platform, order, hold))
        else:
            platform.mode = "tasked"
            platform.process.interrupt(order)

    def handover(self, vessel: Vessel, coastal: str, from_platform: Platform) -> None:
        """The target entered ``coastal``'s waters where the pursuer may not follow at once: ask the
        coastal state's own assets (its waters, its authority) to take it, by the same policy over
        the coastal state's free assets only."""
        case = self.cases.get(vessel.id)
        track = self.world.pictures[SHARED].tracks.get(vessel.id)
        if case is None or track is None or not self.enabled:
            return
        t = self.world.now_h
        pursuers, views = self._asset_views(t)
        mine = [v for v in views if v.busy_with is None
                and self.world.law.acting_state(pursuers[v.asset_id]) == coastal]
        if not mine:
            return
        tv = self._track_view(case, track, t)
        for a in self.policy.assign([tv], mine, t)[:1]:
            a = type(a)(a.asset, a.track, a.intercept_h, a.intercept_point_nm,
                        f"hand-over requested by {from_platform.id}: target in {coastal} waters")
            self._dispatch(pursuers[a.asset], case, tv, a)

    def released(self, platform: Platform) -> None:
        """The platform's prosecution is over (whatever the result)."""
        self.busy.pop(platform.id, None)
        self.replan_soon()

    # -- outcomes ---------------------------------------------------------------------------------
    def close(self, vessel: Vessel, *, at_sea: bool = False) -> None:
        """Emit the voyage's one outcome record (see :class:`Case`)."""
        case = self.cases.get(vessel.id)
        if case is None or case.closed:
            return
        case.closed = True
        outcome, reason, citation = self._judge(case, at_sea)
        disrupted = outcome in DISRUPTING_OUTCOMES
        self.world.emit(VoyageOutcome(self.world.now_h, vessel.id, vessel.flow, outcome, reason, citation,
                                      disrupted, float(vessel.cargo_kg), float(case.removed_kg)))

    def _judge(self, case: Case, at_sea: bool) -> tuple[str, str, str]:
        for outcome in VOYAGE_OUTCOMES:  # the most decisive result the voyage has
            if outcome in case.results:
                reason, citation = case.results[outcome]
                if at_sea and outcome not in DISRUPTING_OUTCOMES:
                    return "at_sea_at_end", f"still at sea when the run ended (last: {outcome}: {reason})", citation
                return outcome, reason, citation
        if at_sea:
            return "at_sea_at_end", "still at sea when the run ended", ""
        if case.suspect and not case.tasked:
            why = "given up after waiting for an asset" if case.given_up else "no feasible asset while it was tracked"
            return "detected_no_asset", why, ""
        if case.suspect:
            return "not_intercepted", "tasked, but no pursuit ended in an intercept", ""
        if case.seen or case.detected:
            return "detected_not_classified", "seen by sensors but never labelled suspect in the shared picture", ""
        return "arrived_undetected", "never detected", ""

    def finish(self) -> None:
        """At the end of the run: an outcome for every illicit voyage still at sea."""
        for vid in sorted(self.cases):
            case = self.cases[vid]
            if not case.closed:
                self.close(case.vessel, at_sea=True)
