"""Building small test scenarios in open water and reading their event logs (shared by engine tests).

Geometry is pinned by tiny circular regions around (LAT0, LON0) in the Caribbean Sea, more than
90 nm from any land, with scheduled departures; see ``test_theory_agreement.py``.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import yaml

from mda_sim.scenario.loader import load_scenario

#: Open-water centre of the test geometry [deg].
LAT0, LON0 = 14.0, -66.5
#: One minute of latitude is one nautical mile [deg/nm].
DEG_PER_NM = 1.0 / 60.0


def _vessel_type(vid: str = "tv", height_m: float = 2.0, speed_kn: float = 20.0) -> dict:
    return {"id": vid, "name": f"test vessel {vid}", "category": "fishing_vessel", "length_m": 20.0,
            "height_m": height_m, "max_speed_kn": 30.0, "cruise_speed_kn": speed_kn,
            "small_craft": False}


def _circle(rid: str, lat: float, lon: float, radius_nm: float = 0.01) -> dict:
    return {"id": rid, "name": rid, "circle": {"lat_deg": lat, "lon_deg": lon, "radius_nm": radius_nm}}


def _sensor(sid: str, stype: str, lat: float, lon: float, antenna_height_m: float = 30.0) -> dict:
    return {"id": sid, "type": stype, "operator": "tp", "lat_deg": lat, "lon_deg": lon,
            "antenna_height_m": antenna_height_m, "on_platform": True}


def _scenario(*, regions, flows, sensors, sensor_types, vessel_types=None, duration_h=10.0,
              area=(-68.0, -65.0, 13.0, 15.0)) -> dict:
    return {
        "name": "theory agreement (test)",
        "run": {"start_utc": "2026-01-05T00:00:00Z", "duration_h": duration_h, "seed": 1},
        "area": {"name": "test box", "lon_min_deg": area[0], "lon_max_deg": area[1],
                 "lat_min_deg": area[2], "lat_max_deg": area[3]},
        "environment": {"sea_state": 1, "daylight": {"model": "always_day"}},
        "states": [{"id": "USA", "name": "United States"}],
        "partners": [{"id": "tp", "name": "Test partner", "state": "USA", "kind": "coast_guard"}],
        "regions": regions,
        "sensors": sensors,
        "traffic": {"legitimate": flows},
        "catalog": {"sensor_types": sensor_types,
                    "vessel_types": vessel_types if vessel_types is not None else [_vessel_type()]},
    }


def _load(doc: dict, tmp_path):
    path = tmp_path / "theory.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return load_scenario(path).spec


def _flow(fid: str, origin: str, destination: str, times_h, vtype: str = "tv", **extra) -> dict:
    return {"id": fid, "vessel_type": vtype, "origin": origin, "destination": destination,
            "ais": "off", "departures": {"process": "schedule", "times_h": [float(t) for t in times_h]},
            **extra}


def _lanes(offsets_nm, half_length_deg: float, times_h, vtype: str = "tv"):
    """West-to-east lanes at the given north offsets [nm] from (LAT0, LON0)."""
    regions, flows = [], []
    for i, off in enumerate(offsets_nm):
        lat = LAT0 + off * DEG_PER_NM
        regions += [_circle(f"w{i}", lat, LON0 - half_length_deg),
                    _circle(f"e{i}", lat, LON0 + half_length_deg)]
        flows.append(_flow(f"lane{i}", f"w{i}", f"e{i}", times_h, vtype))
    return regions, flows


# ---------------------------------------------------------------------------- reading the log
def _legs(log):
    """vessel -> list of legs (t0, p0, v, t1, behaviour), t1 the next leg's start or arrival."""
    legs: dict[str, list] = defaultdict(list)
    for e in log:
        if e.kind == "leg_started":
            if legs[e.vessel]:
                legs[e.vessel][-1][3] = e.t_h
            legs[e.vessel].append([e.t_h, np.array([e.x_nm, e.y_nm]), np.array([e.vx_kn, e.vy_kn]),
                                   math.inf, e.behaviour])
        elif e.kind == "arrived":
            legs[e.vessel][-1][3] = e.t_h
    return legs


def _events(log, kind: str, sensor: str | None = None):
    out: dict[str, list] = defaultdict(list)
    for e in log:
        if e.kind == kind and (sensor is None or e.sensor == sensor):
            out[e.vessel].append(e)
    return out
