"""Checks that span sections: ids unique, references resolve, places make geographic sense.

These run after the schema has accepted every section, on the frozen spec, and report every
problem with its key path (the loader adds the file and line).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from mda_sim.scenario.problems import KeyPath, Problem, allowed_list, did_you_mean
from mda_sim.scenario.specs import ScenarioSpec
from mda_sim.scenario.specs.traffic import NON_STATE_FLAGS

#: A coastal radar or AIS site may stand this far off the shipped coastline [nm] (the
#: coastline is simplified GSHHG; a cliff-top site can sit just outside a smoothed polygon).
SITE_COAST_TOLERANCE_NM = 1.0
#: A base (port or airfield) must lie within this distance of land [nm].
BASE_COAST_TOLERANCE_NM = 2.0


def _duplicates(items: Iterable, key: str, path: tuple) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            yield Problem(
                path + (i, key),
                f"duplicate {key} '{value}' (also at {path[-1]}[{seen[value]}]); each must be unique",
            )
        else:
            seen[value] = i


def _ref(value: str, known: Iterable[str], what: str, path: KeyPath) -> Iterator[Problem]:
    known = list(known)
    if value not in known:
        yield Problem(
            path,
            f"{value!r} is not a known {what}{did_you_mean(value, known)}; known: {allowed_list(known)}",
        )


def check_references(spec: ScenarioSpec) -> list[Problem]:
    """Every id unique and every reference resolved."""
    out: list[Problem] = []
    s = spec
    for name in ("states", "bases", "regions", "partners", "assets", "sensors"):
        out += _duplicates(getattr(s, name), "id", (name,))
    for name in ("asset_types", "sensor_types", "vessel_types"):
        out += _duplicates(getattr(s.catalog, name), "id", ("catalog", name))
    out += _duplicates(s.legal.bilateral_agreements, "id", ("legal", "bilateral_agreements"))
    out += _duplicates(s.legal.shiprider_pools, "id", ("legal", "shiprider_pools"))
    out += _duplicates(s.legal.treaty_of_san_jose.parties, "state", ("legal", "treaty_of_san_jose", "parties"))
    out += _duplicates(s.legal.responses, "state", ("legal", "responses"))
    out += _duplicates(s.traffic.illicit + s.traffic.legitimate, "id", ("traffic", "flows"))
    out += _duplicates(s.exercise.objectives, "id", ("exercise", "objectives"))
    out += _duplicates(s.exercise.injects, "id", ("exercise", "injects"))

    states = [x.id for x in s.states]
    bases = [x.id for x in s.bases]
    regions = [x.id for x in s.regions]
    partners = [x.id for x in s.partners]
    assets = [x.id for x in s.assets]
    asset_types = [x.id for x in s.catalog.asset_types]
    sensor_types = [x.id for x in s.catalog.sensor_types]
    vessel_types = [x.id for x in s.catalog.vessel_types]

    owner: dict[str, str] = {}
    for i, state in enumerate(s.states):
        for j, code in enumerate(state.territories):
            if code in owner:
                out.append(
                    Problem(("states", i, "territories", j), f"territory '{code}' is already held by {owner[code]}")
                )
            owner[code] = state.id
    for i, base in enumerate(s.bases):
        out += _ref(base.state, states, "state", ("bases", i, "state"))
    for i, partner in enumerate(s.partners):
        out += _ref(partner.state, states, "state", ("partners", i, "state"))
    for i, asset in enumerate(s.assets):
        p = ("assets", i)
        out += _ref(asset.partner, partners, "partner", p + ("partner",))
        out += _ref(asset.type, asset_types, "asset type", p + ("type",))
        out += _ref(asset.base, bases, "base", p + ("base",))
        if asset.patrol.region is not None:
            out += _ref(asset.patrol.region, regions, "region", p + ("patrol", "region"))
        if asset.type in asset_types and asset.base in bases:
            atype, base = s.asset_type(asset.type), s.base(asset.base)
            if atype.is_aircraft and not base.has_airfield:
                out.append(Problem(p + ("base",), f"a {atype.category} needs an airfield; base '{base.id}' is a {base.kind}"))
            if not atype.is_aircraft and not base.has_port:
                out.append(Problem(p + ("base",), f"a {atype.category} needs a port; base '{base.id}' is a {base.kind}"))
    for i, sensor in enumerate(s.sensors):
        p = ("sensors", i)
        out += _ref(sensor.type, sensor_types, "sensor type", p + ("type",))
        out += _ref(sensor.operator, partners, "partner", p + ("operator",))
        if sensor.type in sensor_types and s.sensor_type(sensor.type).kind in ("airborne_radar",):
            out.append(Problem(p + ("type",), f"'{sensor.type}' is an airborne sensor; a fixed site needs a surface radar, EO/IR or AIS receiver"))
    for i, atype in enumerate(s.catalog.asset_types):
        p = ("catalog", "asset_types", i)
        for j, mount in enumerate(atype.sensors):
            out += _ref(mount.type, sensor_types, "sensor type", p + ("sensors", j, "type"))
            if not atype.is_aircraft and mount.antenna_height_m is None:
                out.append(Problem(p + ("sensors", j, "antenna_height_m"), f"a {atype.category} sensor needs antenna_height_m"))
        for j, craft in enumerate(atype.embarked):
            out += _ref(craft.type, asset_types, "asset type", p + ("embarked", j, "type"))
            if craft.type == atype.id:
                out.append(Problem(p + ("embarked", j, "type"), "an asset type cannot carry itself"))

    legal = s.legal
    for i, party in enumerate(legal.treaty_of_san_jose.parties):
        out += _ref(party.state, states, "state", ("legal", "treaty_of_san_jose", "parties", i, "state"))
    for i, agreement in enumerate(legal.bilateral_agreements):
        for j, code in enumerate(agreement.parties):
            out += _ref(code, states, "state", ("legal", "bilateral_agreements", i, "parties", j))
    for i, pool in enumerate(legal.shiprider_pools):
        p = ("legal", "shiprider_pools", i)
        out += _ref(pool.state, states, "state", p + ("state",))
        for j, asset_id in enumerate(pool.embarked_on):
            out += _ref(asset_id, assets, "asset", p + ("embarked_on", j))
    for i, response in enumerate(legal.responses):
        out += _ref(response.state, states, "state", ("legal", "responses", i, "state"))

    for kind in ("illicit", "legitimate"):
        for i, flow in enumerate(getattr(s.traffic, kind)):
            p = ("traffic", kind, i)
            out += _ref(flow.vessel_type, vessel_types, "vessel type", p + ("vessel_type",))
            out += _ref(flow.origin, regions, "region", p + ("origin",))
            out += _ref(flow.destination, regions, "region", p + ("destination",))
            for flag in flow.flag:
                out += _ref(flag, states + list(NON_STATE_FLAGS), "state or non-state flag", p + ("flag", flag))
            rv = getattr(flow, "rendezvous", None)
            if rv is not None:
                out += _ref(rv.region, regions, "region", p + ("rendezvous", "region"))
                out += _ref(rv.mother_ship_type, vessel_types, "vessel type", p + ("rendezvous", "mother_ship_type"))
            if flow.vessel_type in vessel_types and flow.speed_kn is not None:
                from mda_sim.scenario.specs import distribution_bounds

                vmax = s.vessel_type(flow.vessel_type).max_speed_kn
                lo, hi = distribution_bounds(flow.speed_kn)
                if lo <= 0.0:
                    out.append(Problem(p + ("speed_kn",), f"speeds can reach {lo} kn: give a distribution bounded above 0 (e.g. normal with min)"))
                if hi > vmax:
                    out.append(Problem(p + ("speed_kn",), f"speeds can reach {hi} kn, above the {flow.vessel_type} max_speed_kn of {vmax}: bound it (max:) or raise the type's speed"))
    return out


def check_geography(spec: ScenarioSpec, geo) -> list[Problem]:
    """Places make sense on the real map: territories exist, radars stand on land, regions are at sea."""
    out: list[Problem] = []
    known = sorted(geo.territories)
    for i, state in enumerate(spec.states):
        for j, code in enumerate(state.territories):
            if code not in geo.territories:
                out.append(
                    Problem(("states", i, "territories", j), f"territory {code!r} is not in the geography data{did_you_mean(code, known)}; known: {allowed_list(known)}")
                )
    lon_lo, lon_hi, lat_lo, lat_hi = geo.bounds_deg
    a = spec.area
    if a.lon_min_deg < lon_lo or a.lon_max_deg > lon_hi or a.lat_min_deg < lat_lo or a.lat_max_deg > lat_hi:
        out.append(
            Problem(("area",), f"the box {a.lon_min_deg}..{a.lon_max_deg} E, {a.lat_min_deg}..{a.lat_max_deg} N leaves the geography data ({lon_lo}..{lon_hi} E, {lat_lo}..{lat_hi} N)")
        )

    def dist(lon: float, lat: float) -> float:
        x, y = geo.frame.to_xy(np.array([lon]), np.array([lat]))
        return float(geo.distance_to_coast_nm(x, y)[0]) if not bool(geo.is_land(x, y)[0]) else 0.0

    for i, sensor in enumerate(spec.sensors):
        if sensor.on_platform:
            continue
        d = dist(sensor.lon_deg, sensor.lat_deg)
        if d > SITE_COAST_TOLERANCE_NM:
            out.append(
                Problem(("sensors", i, "lat_deg"), f"({sensor.lat_deg}, {sensor.lon_deg}) is {d:.1f} nm from land: a fixed sensor must stand on land (within {SITE_COAST_TOLERANCE_NM} nm) or set on_platform: true")
            )
    for i, base in enumerate(spec.bases):
        d = dist(base.lon_deg, base.lat_deg)
        if d > BASE_COAST_TOLERANCE_NM:
            out.append(Problem(("bases", i, "lat_deg"), f"({base.lat_deg}, {base.lon_deg}) is {d:.1f} nm from land: a base must be within {BASE_COAST_TOLERANCE_NM} nm of the coast"))
    from mda_sim.scenario.regions import region_polygon_xy

    for i, region in enumerate(spec.regions):
        poly = region_polygon_xy(region, geo.frame)
        if not poly.is_valid:
            out.append(Problem(("regions", i, "polygon"), "the polygon crosses itself; list its corners in order around the edge"))
            continue
        if geo.land_area_fraction(poly) > 0.98:
            out.append(Problem(("regions", i), f"region '{region.id}' is (almost) all land; traffic and patrols need sea"))
    return out
