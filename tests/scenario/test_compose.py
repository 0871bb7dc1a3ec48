"""extends:, merge by id, removal, --set paths, and the scenario hash."""

from __future__ import annotations

import pytest

from mda_sim.scenario import ScenarioError, load_scenario
from mda_sim.scenario.compose import merge, parse_key_path, parse_override

from .conftest import VALID_SCENARIO, line_of


def test_parse_key_path_forms():
    assert parse_key_path("assets[2].count") == ("assets", 2, "count")
    assert parse_key_path("assets.uscg_frc.count") == ("assets", "uscg_frc", "count")
    assert parse_override("run.seed=7") == (("run", "seed"), 7)
    assert parse_override("run.start_utc=2026-02-01T00:00:00Z")[1].year == 2026
    assert parse_override("states.LCA.territories=[LCA, VCT]")[1] == ["LCA", "VCT"]
    with pytest.raises(ValueError):
        parse_key_path("assets[x")


def test_merge_by_id_and_removal():
    base = {"items": [{"id": "a", "v": 1, "w": 2}, {"id": "b", "v": 3}], "k": {"x": 1, "y": 2}}
    over = {"items": [{"id": "b", "v": 30}, {"id": "c", "v": 5}, {"id": "a", "remove": True}], "k": {"y": 20}}
    merged, _ = merge(base, {}, over, {})
    assert merged == {"items": [{"id": "b", "v": 30}, {"id": "c", "v": 5}], "k": {"x": 1, "y": 20}}
    # plain lists are replaced, not concatenated
    assert merge({"t": [1, 2]}, {}, {"t": [3]}, {})[0] == {"t": [3]}


def test_extends_overrides_and_keeps_lines(write):
    write(VALID_SCENARIO, "base.yaml")
    child_text = (
        "extends: base.yaml\n"
        "name: excursion\n"
        "assets:\n"
        "  - id: lca_patrol\n"
        "    count: 3\n"
        "  - id: extra_boat\n"
        "    partner: lca_cg\n"
        "    type: test_cutter\n"
        "    base: castries\n"
        "    count: 0\n"  # invalid: must be located in the child file
        "sensors:\n"
        "  - id: castries_radar\n"
        "    remove: true\n"
    )
    child = write(child_text, "child.yaml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(child, geography=False)
    (problem,) = info.value.problems
    assert problem.location.source == str(child) and problem.location.line == line_of(child_text, "count: 0")
    fixed = write(child_text.replace("count: 0", "count: 1"), "child.yaml")
    spec = load_scenario(fixed, geography=False).spec
    assert spec.name == "excursion"
    assert [a.id for a in spec.assets] == ["lca_patrol", "extra_boat"]
    assert spec.assets[0].count == 3 and spec.assets[0].availability == 0.8  # inherited
    assert spec.sensors == ()


def test_error_in_parent_is_located_in_parent(write):
    bad = VALID_SCENARIO.replace("count: 2", "count: -2")
    parent = write(bad, "base.yaml")
    child = write("extends: base.yaml\nname: child\n", "child.yaml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(child, geography=False)
    (problem,) = info.value.problems
    assert problem.location.source == str(parent) and problem.location.line == line_of(bad, "count: -2")


def test_digest_tracks_content(write):
    path = write(VALID_SCENARIO)
    a = load_scenario(path, geography=False)
    assert a.digest == load_scenario(path, geography=False).digest
    assert a.digest != load_scenario(path, ["run.seed=12"], geography=False).digest


def test_specs_are_frozen(write):
    spec = load_scenario(write(VALID_SCENARIO), geography=False).spec
    with pytest.raises(Exception):
        spec.run.seed = 3  # type: ignore[misc]
