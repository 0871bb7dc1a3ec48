"""Live sensors: fixed sites (coastal radars) and sensors carried by moving platforms.

A live sensor answers the detection scheduler's questions: where is it and how fast does it move on
its current leg, until when does that leg hold, how far does it reach against a target of a given
height, which parts of a coverage interval are not in land shadow, and which detection law applies
(the catalog law scaled by sea state and, for EO/IR and visual sensors, by night).
"""

from __future__ import annotations

import math
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import shapely

from mda_sim.geography.shadow import visible_polygon
from mda_sim.scenario.specs.catalog import SensorType
from mda_sim.sensing.conditions import day_night_factor, sea_state_factor
from mda_sim.sensing.footprint import fixed_sensor_reach_nm, law_from_spec
from mda_sim.sensing.laws import DetectionLaw

if TYPE_CHECKING:
    from mda_sim.engine.vessels import Vessel
    from mda_sim.engine.world import World

__all__ = ["LiveSensor"]

#: Rays cast to find a fixed site's land shadow (0.5° apart: 0.2 nm of arc at 25 nm).
SHADOW_RAYS = 720


class LiveSensor:
    """One sensor in the running world.

    Parameters
    ----------
    world
        The world (for the clock, geography, daylight and sea state).
    sensor_id, partner
        Identity and operating partner.
    sensor_type
        Catalog entry (range, law, night factor).
    antenna_height_m
        Antenna height above the sea [m] (aircraft: altitude).
    position_nm
        Position [nm] at ``world.now_h`` (fixed sites: forever).
    fixed
        Fixed site (land shadow applies) or carried by a platform (moves with it, no shadow).
    """

    def __init__(self, world: World, sensor_id: str, partner: str, sensor_type: SensorType,
                 antenna_height_m: float, position_nm, *, fixed: bool, availability: float = 1.0) -> None:
        self.world = world
        self.id = sensor_id
        self.partner = partner
        self.type = sensor_type
        self.antenna_height_m = float(antenna_height_m)
        self.fixed = fixed
        self.availability = availability
        self.up = True
        self.leg_t0_h = world.now_h
        self.leg_p0_nm = np.asarray(position_nm, dtype=float)
        self.velocity_kn = np.zeros(2)
        self.leg_end_h = math.inf
        self.cooperative = sensor_type.kind == "ais_receiver"
        #: Chance each AIS report gets through (AIS receivers only).
        self.p_receive = float(sensor_type.detection.p_receive) if self.cooperative else 0.0
        self._base_law = None if self.cooperative else law_from_spec(sensor_type)
        self._reach = cache(self._reach_uncached)
        self._visible = cache(self._visible_polygon)
        self._law = cache(self._law_uncached)

    # -- motion --------------------------------------------------------------------------------------
    def position_at(self, t_h: float) -> np.ndarray:
        return self.leg_p0_nm + self.velocity_kn * (t_h - self.leg_t0_h)

    def set_leg(self, t_h: float, position_nm, velocity_kn, leg_end_h: float) -> None:
        """The platform starts a new leg (the engine then calls the scheduler's ``sensor_changed``)."""
        if self.fixed:
            raise ValueError(f"sensor {self.id!r} is a fixed site: it cannot move")
        self.leg_t0_h, self.leg_p0_nm = t_h, np.asarray(position_nm, dtype=float)
        self.velocity_kn = np.asarray(velocity_kn, dtype=float)
        self.leg_end_h = leg_end_h

    # -- footprint -----------------------------------------------------------------------------------
    def _reach_uncached(self, target_height_m: float) -> float:
        return fixed_sensor_reach_nm(self.type, self.antenna_height_m, target_height_m)

    def reach_nm(self, target_height_m: float) -> float:
        """Footprint radius against a target of this height [nm] (horizon, instrumented range)."""
        return self._reach(float(target_height_m))

    def reach_circle(self) -> shapely.Polygon:
        """The largest footprint against any vessel type of the scenario (for the spatial index)."""
        x, y = self.position_at(self.world.now_h)
        return shapely.Point(x, y).buffer(self.reach_nm(self.world.max_vessel_height_m), quad_segs=16)

    def _visible_polygon(self, reach_nm: float):
        """The footprint minus land shadow for a fixed site, and the shadow inside the polygon's
        inradius (prepared, for a quick "is this pass shadowed at all?"); None when nothing is
        shadowed. Cached per reach. See :func:`mda_sim.geography.shadow.visible_polygon`."""
        site = self.position_at(self.world.now_h)
        poly = visible_polygon(self.world.geo, site, reach_nm, SHADOW_RAYS)
        if poly is None:
            return None
        inner = shapely.Point(*site).buffer(reach_nm * math.cos(math.pi / SHADOW_RAYS) * (1.0 - 1e-9), quad_segs=64)
        blocked = inner.difference(poly)
        shapely.prepare(blocked)
        return poly, blocked

    def visible_intervals(self, vessel: Vessel, a_h: float, b_h: float) -> list[tuple[float, float]]:
        """Parts of the coverage interval ``[a, b]`` [h] in which the vessel is not in land shadow.

        A pass that does not touch the shadow (within the visible polygon's inradius: the polygon
        joins ray ends 0.5 degrees apart, so its rim lies within 1e-5 of the reach inside the circle)
        is kept whole without cutting it against the polygon.
        """
        if not self.fixed:
            return [(a_h, b_h)]
        shadow = self._visible(round(self.reach_nm(vessel.height_m), 6))
        if shadow is None:
            return [(a_h, b_h)]
        poly, blocked = shadow
        pa, pb = vessel.position_at(a_h), vessel.position_at(b_h)
        length = float(np.hypot(*(pb - pa)))
        if length < 1e-9:
            return [(a_h, b_h)] if poly.covers(shapely.Point(pa)) else []
        line = shapely.LineString([pa, pb])
        if not shapely.intersects(blocked, line):
            return [(a_h, b_h)]
        out = []
        for part in shapely.get_parts(line.intersection(poly)):
            if part.geom_type != "LineString" or part.length < 1e-9:
                continue
            s = sorted(line.project(shapely.Point(c)) for c in (part.coords[0], part.coords[-1]))
            out.append((a_h + (b_h - a_h) * s[0] / length, a_h + (b_h - a_h) * s[1] / length))
        return sorted(out)

    def day_night_pieces(self, a_h: float, b_h: float) -> list[tuple[float, float]]:
        """``[a, b]`` [h] cut at dusk and dawn for sensors that night affects (EO/IR, visual).

        The sun is taken at the sensor's position at ``a`` (an aircraft leg moves the terminator by
        at most a few minutes). Radar and AIS, which night does not affect, get ``[(a, b)]``.
        """
        if self.type.night_factor >= 1.0:
            return [(a_h, b_h)]
        lon, lat = self.world.geo.frame.to_lonlat(*self.position_at(a_h))
        cuts = [a_h, *self.world.daylight.transitions_h(a_h, b_h, float(lon), float(lat)), b_h]
        return list(pairwise(cuts))

    # -- the law -------------------------------------------------------------------------------------
    def law_at(self, t_h: float, vessel: Vessel) -> DetectionLaw:
        """The detection law at ``t_h`` against ``vessel``: sea state always, night for EO/visual.

        The day/night state is taken at ``t_h``; the scheduler cuts coverage intervals at dusk and
        dawn (:meth:`day_night_pieces`) and asks at the start of each piece.
        """
        night = False
        if self.type.night_factor < 1.0:
            lon, lat = self.world.geo.frame.to_lonlat(*self.position_at(t_h))
            night = bool(self.world.daylight.is_night(t_h, lon, lat))
        return self._law(vessel.target_class, night)

    def _law_uncached(self, target_class: str, night: bool) -> DetectionLaw:
        factor = float(sea_state_factor(target_class, self.world.sea_state))
        if night:
            factor *= float(day_night_factor(True, self.type.night_factor))
        return self._base_law if factor == 1.0 else self._base_law.scaled(factor)
