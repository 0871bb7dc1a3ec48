"""The law in the live world: where a vessel is in law, who may act there, and timed answers.

This module joins the pure rules (:mod:`mda_sim.rules`) to the simulation: it finds the zone and
coastal state of a position from the geography, knows which shipriders are embarked on which hull
(the finite pools of ``legal.shiprider_pools``), whether a coastal-state asset is at hand (Treaty
Art. 12(1)(b)), logs every decision with its citation, and draws the answers of authorities
(``legal.responses``, else ``legal.default_response``) from the stream ``("authority", vessel)``.

A territory that no scenario state holds falls back to its sovereign in the geography data
(``GLP`` -> ``FRA``), so a decision never fails for want of a ``states`` entry.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import shapely

from mda_sim.engine.sampling import draw
from mda_sim.eventlog.records import AuthorityAnswered, LegalDecision, Shiprider
from mda_sim.geography.zones import Zone
from mda_sim.rules import (
    Decision,
    boarding_seaward,
    continue_pursuit,
    entry_to_investigate,
    jurisdiction,
    resolve_request,
    use_of_force_note,
)
from mda_sim.rules.requests import Resolution

if TYPE_CHECKING:
    from mda_sim.engine.platforms import Platform
    from mda_sim.engine.vessels import Vessel
    from mda_sim.engine.world import World

__all__ = ["Law", "Waters"]


class Waters:
    """Zone, territory and coastal state of a position (``coastal`` None on the high seas)."""

    __slots__ = ("coastal", "territory", "zone")

    def __init__(self, zone: Zone, territory: str, coastal: str | None) -> None:
        self.zone = zone
        self.territory = territory
        self.coastal = coastal

    @property
    def territorial(self) -> bool:
        return self.zone <= Zone.TERRITORIAL_SEA


class Law:
    """The scenario's legal framework applied to live positions and platforms."""

    def __init__(self, world: World) -> None:
        self.world = world
        legal = world.spec.legal
        self.treaty = legal.treaty_of_san_jose
        self.agreements = legal.bilateral_agreements
        self._holder = {code: s.id for s in world.spec.states for code in s.territories}
        self._responses = {r.state: r for r in legal.responses}
        self._default = legal.default_response
        #: Shiprider pools: pool id -> officers ashore and free to embark.
        self.free = {p.id: p.count for p in legal.shiprider_pools}
        self._pools = legal.shiprider_pools
        self._partner_state = {p.id: p.state for p in world.spec.partners}
        self._ts_codes: list[str] = []
        geoms = []
        for code, terr in world.geo.territories.items():
            if terr.territorial_sea is not None and not terr.territorial_sea.is_empty:
                self._ts_codes.append(code)
                geoms.append(terr.territorial_sea)
        self._ts_tree = shapely.STRtree(geoms)

    def territorial_seas_near(self, geom) -> list[str]:
        """Territories whose territorial sea's bounding box meets ``geom`` (candidates, in data order)."""
        return [self._ts_codes[i] for i in sorted(self._ts_tree.query(geom))]

    # -- places ------------------------------------------------------------------------------------
    def waters(self, xy_nm) -> Waters:
        zone, territory = self.world.geo.waters(float(xy_nm[0]), float(xy_nm[1]))
        zone = Zone(int(zone))
        code = str(territory)
        if zone == Zone.LAND:  # on the coastline within the data's resolution: count it as the sea
            zone = Zone.TERRITORIAL_SEA
        coastal = None
        if code:
            coastal = self.waters_state(code)
        return Waters(zone, code, coastal)

    def waters_state(self, territory: str) -> str:
        """The state holding a territory (the scenario's ``states``, else the geography's sovereign)."""
        return self._holder.get(territory) or self.world.geo.territories[territory].sovereign

    def acting_state(self, platform: Platform) -> str:
        return self._partner_state[platform.asset.partner]

    # -- shipriders --------------------------------------------------------------------------------
    def embark(self, hull: Platform) -> None:
        """At the start of a sortie: one officer from each pool that names this asset group and has one free."""
        for pool in self._pools:
            if hull.asset.id in pool.embarked_on and self.free[pool.id] > 0 and pool.state not in hull.shipriders:
                self.free[pool.id] -= 1
                hull.shipriders[pool.state] = pool.id
                self.world.emit(Shiprider(self.world.now_h, hull.id, pool.state, True))

    def disembark(self, hull: Platform) -> None:
        for state, pool_id in sorted(hull.shipriders.items()):
            self.free[pool_id] += 1
            self.world.emit(Shiprider(self.world.now_h, hull.id, state, False))
        hull.shipriders.clear()

    def shiprider_embarked(self, platform: Platform, state: str | None) -> bool:
        """A shiprider of ``state`` is aboard the platform, or aboard the hull that launched it."""
        if state is None:
            return False
        hull = platform.parent or platform
        return state in hull.shipriders

    def coastal_asset_available(self, state: str, xy_nm) -> bool:
        """A boarding-capable asset of ``state`` is at sea within ``coastal_asset_range_nm`` (Art. 12(1)(b))."""
        reach = self.world.spec.command.tasking.coastal_asset_range_nm
        t = self.world.now_h
        for p in self.world.platforms:
            if (p.mode in ("patrol", "returning", "tasked") and p.type.can_board and self.acting_state(p) == state
                    and float(np.hypot(*(p.position_at(t) - np.asarray(xy_nm)))) <= reach):
                return True
        return False

    # -- decisions ---------------------------------------------------------------------------------
    def entry(self, platform: Platform, vessel: Vessel, where: Waters, *, pursuit: bool) -> Decision:
        """May the platform enter ``where`` (a territorial sea) after the vessel: following it in
        (pursuit; UNCLOS Art. 111 then Treaty Art. 12 or an agreement) or to investigate it there."""
        acting = self.acting_state(platform)
        rider = self.shiprider_embarked(platform, where.coastal)
        if pursuit:
            decision = continue_pursuit(
                acting, vessel.flag, Zone.TERRITORIAL_SEA, where.coastal, self.treaty, self.agreements,
                shiprider_embarked=rider,
                coastal_asset_available=self.coastal_asset_available(where.coastal, vessel.position_at(self.world.now_h)),
            )
        else:
            decision = entry_to_investigate(acting, where.coastal, self.treaty, self.agreements, shiprider_embarked=rider)
        self._log(platform, vessel, "enter", decision, where)
        return decision

    def boarding(self, platform: Platform, vessel: Vessel, where: Waters) -> Decision:
        """May the platform board the vessel where it is now?"""
        acting = self.acting_state(platform)
        if where.territorial:
            # Inside a territorial sea the entry decision already covers boarding and securing the
            # vessel (Art. 12(1), 9(3)(c), own waters Art. 23): repeat it as the boarding authority.
            decision = self.entry_authority(platform, vessel, where)
        else:
            decision = boarding_seaward(acting, vessel.flag, where.zone, self.treaty, self.agreements)
        force = use_of_force_note(where.zone, where.coastal if where.territorial else None, acting, vessel.flag)
        self._log(platform, vessel, "board", replace(decision, note=f"{decision.note} {force}".strip()), where)
        return decision

    def entry_authority(self, platform: Platform, vessel: Vessel, where: Waters) -> Decision:
        acting = self.acting_state(platform)
        if where.coastal == acting:
            return Decision("allowed", "own_waters", "Treaty of San Jose Art. 23", note=f"{acting}'s own waters")
        granted = vessel.entry_granted.get((platform.id, where.coastal))
        if granted is not None:
            return granted
        return continue_pursuit(
            acting, vessel.flag, Zone.TERRITORIAL_SEA, where.coastal, self.treaty, self.agreements,
            shiprider_embarked=self.shiprider_embarked(platform, where.coastal),
            coastal_asset_available=self.coastal_asset_available(where.coastal, vessel.position_at(self.world.now_h)),
        )

    def jurisdiction(self, platform: Platform, vessel: Vessel, where: Waters):
        return jurisdiction(self.acting_state(platform), vessel.flag, where.zone, where.coastal, self.treaty)

    def _log(self, platform: Platform, vessel: Vessel, action: str, decision: Decision, where: Waters) -> None:
        self.world.emit(LegalDecision(
            self.world.now_h, vessel.id, platform.id, self.acting_state(platform), action, decision.outcome,
            decision.rule, decision.citation, decision.authority or "", where.zone.name.lower(), where.territory,
            decision.note,
        ))

    # -- requests ----------------------------------------------------------------------------------
    def answer(self, vessel: Vessel, decision: Decision) -> Resolution:
        """When and how the authority answers the request (drawn now; the caller waits ``after_h``)."""
        rng = self.world._rng("authority", vessel.id)
        model = self._responses.get(decision.authority, self._default)
        delay_h = max(0.0, draw(model.delay_h, rng))
        if decision.rule.startswith("art16_3"):
            # Art. 6(4): the flag state answers a nationality request within 4 h; the treaty's
            # verification delay replaces the state's general answer time.
            delay_h = max(0.0, draw(self.treaty.verification_delay_h, rng)) if rng.random() < model.p_grant else 1e9
            return resolve_request(decision, delay_h, True)
        granted = bool(rng.random() < model.p_grant)
        return resolve_request(decision, delay_h, granted)

    def answered(self, vessel: Vessel, action: str, decision: Decision, res: Resolution) -> None:
        self.world.emit(AuthorityAnswered(self.world.now_h, vessel.id, decision.authority or "", action,
                                          res.granted, res.after_h, res.rule, res.citation))
