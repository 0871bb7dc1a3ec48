"""A small valid scenario, written out to files the tests then break in one place each."""

from __future__ import annotations

from pathlib import Path

import pytest

#: Valid on its own (own catalog entries), placed around Saint Lucia so geography checks pass.
VALID_SCENARIO = """\
name: Saint Lucia channel (test)
run:
  start_utc: 2026-01-05T00:00:00Z
  duration_h: 48
  seed: 11
area:
  name: test box
  lon_min_deg: -62.0
  lon_max_deg: -60.0
  lat_min_deg: 13.0
  lat_max_deg: 15.0
states:
  - id: LCA
    name: Saint Lucia
    territories: [LCA]
  - id: USA
    name: United States
bases:
  - id: castries
    name: Castries
    state: LCA
    kind: port_airfield
    lat_deg: 14.01
    lon_deg: -60.99
regions:
  - id: west_of_lucia
    name: West of Saint Lucia
    circle: {lat_deg: 13.9, lon_deg: -61.3, radius_nm: 10}
  - id: south_of_lucia
    name: South of Saint Lucia
    polygon:
      - {lat_deg: 13.5, lon_deg: -61.2}
      - {lat_deg: 13.5, lon_deg: -60.8}
      - {lat_deg: 13.3, lon_deg: -60.8}
      - {lat_deg: 13.3, lon_deg: -61.2}
partners:
  - id: lca_cg
    name: Royal Saint Lucia Police Force Marine Unit
    state: LCA
    kind: police_marine
assets:
  - id: lca_patrol
    partner: lca_cg
    type: test_cutter
    base: castries
    count: 2
    availability: 0.8
sensors:
  - id: castries_radar
    type: test_radar
    operator: lca_cg
    lat_deg: 14.0
    lon_deg: -60.99
    antenna_height_m: 150
legal:
  treaty_of_san_jose:
    parties:
      - state: USA
  shiprider_pools:
    - id: lca_riders
      state: LCA
      count: 1
      embarked_on: [lca_patrol]
traffic:
  illicit:
    - id: gofast_run
      vessel_type: test_gofast
      origin: south_of_lucia
      destination: west_of_lucia
      departures: {process: poisson, rate_per_day: 2.0}
      speed_kn: {dist: normal, mean: 30, sd: 3, min: 20, max: 40}
      cargo: {kind: cocaine, kg: {dist: uniform, low: 200, high: 800}}
catalog:
  sensor_types:
    - id: test_radar
      name: Test radar
      kind: surface_radar
      instrumented_range_nm: 40
      detection: {model: glimpse, scan_period_s: 2.5, p_max: 0.9, r50_nm: 10}
  asset_types:
    - id: test_cutter
      name: Test cutter
      category: cutter
      max_speed_kn: 28
      cruise_speed_kn: 14
      endurance_h: 120
      sensors:
        - {type: test_radar, antenna_height_m: 15}
  vessel_types:
    - id: test_gofast
      name: Test go-fast
      category: go_fast
      length_m: 12
      height_m: 1.5
      max_speed_kn: 45
      cruise_speed_kn: 25
      small_craft: true
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle``."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not in text"
    return hits[occurrence - 1]


@pytest.fixture
def write(tmp_path: Path):
    """Write a YAML text to a file and return its path."""

    def _write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
