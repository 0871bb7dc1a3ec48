"""Bad input gets a located message, never a traceback: one test per kind of mistake.

Each test breaks the valid scenario in one place and checks the file, line, key path and the
words that tell the user what is allowed.
"""

from __future__ import annotations

import pytest

from mda_sim.scenario import ScenarioError, load_scenario
from mda_sim.scenario.problems import Location, format_path

from .conftest import VALID_SCENARIO, line_of


def problems_of(path, overrides=(), geography=False):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides, geography=geography)
    return info.value.problems


def one_problem(path, overrides=(), geography=False):
    problems = problems_of(path, overrides, geography)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_valid_scenario_loads(write):
    scenario = load_scenario(write(VALID_SCENARIO), geography=False)
    assert scenario.spec.run.seed == 11
    assert scenario.spec.assets[0].count == 2
    assert scenario.spec.asset_type("test_cutter").max_speed_kn == 28


def test_missing_file(tmp_path):
    p = one_problem(tmp_path / "nope.yaml")
    assert "file not found" in p.message and str(tmp_path / "nope.yaml") in str(p)


def test_empty_file(write):
    p = one_problem(write("\n# only a comment\n"))
    assert "empty" in p.message


def test_yaml_syntax_error_has_line(write):
    text = VALID_SCENARIO.replace("  duration_h: 48", "  duration_h: [48")
    p = one_problem(write(text))
    assert "invalid YAML" in p.message
    assert p.location.line is not None and abs(p.location.line - line_of(text, "duration_h")) <= 2


def test_top_level_not_a_mapping(write):
    p = one_problem(write("- just\n- a list\n"))
    assert "must be a mapping" in p.message and p.location.line == 1


def test_unknown_key_did_you_mean(write):
    text = VALID_SCENARIO.replace("  duration_h: 48", "  duration: 48")
    problems = problems_of(write(text))
    unknown = [p for p in problems if "unknown key" in p.message]
    assert len(unknown) == 1
    p = unknown[0]
    assert format_path(p.path) == "run.duration"
    assert "did you mean 'duration_h'" in p.message
    assert p.location.line == line_of(text, "duration: 48")
    # and the required key it replaced is reported missing, at the run section
    assert any(format_path(q.path) == "run.duration_h" and "missing" in q.message for q in problems)


def test_wrong_type(write):
    text = VALID_SCENARIO.replace("count: 2", 'count: "two"')
    p = one_problem(write(text))
    assert format_path(p.path) == "assets[0].count"
    assert "'two'" in p.message and "whole number" in p.message
    assert p.location.line == line_of(text, 'count: "two"')


@pytest.mark.parametrize("bad", [".nan", ".inf", "-.inf"])
def test_nan_and_inf_rejected(write, bad):
    text = VALID_SCENARIO.replace("antenna_height_m: 150", f"antenna_height_m: {bad}")
    p = one_problem(write(text))
    assert format_path(p.path) == "sensors[0].antenna_height_m"
    assert "finite" in p.message or "less than" in p.message or "greater than" in p.message
    assert p.location.line == line_of(text, f"antenna_height_m: {bad}")


def test_negative_speed(write):
    text = VALID_SCENARIO.replace("max_speed_kn: 45", "max_speed_kn: -5")
    p = one_problem(write(text))
    assert format_path(p.path) == "catalog.vessel_types[0].max_speed_kn"
    assert p.location.line == line_of(text, "max_speed_kn: -5")
    assert "-5" in p.message and "greater than 0" in p.message


def test_absurd_speed_for_category(write):
    text = VALID_SCENARIO.replace("max_speed_kn: 28", "max_speed_kn: 300")
    p = one_problem(write(text))
    assert format_path(p.path) == "catalog.asset_types[0].max_speed_kn"
    assert p.location.line == line_of(text, "max_speed_kn: 300")
    assert "absurd" in p.message and "<= 80" in p.message


# --- catalog entries: the index in the user's own list, not in the merged one --------------------
# The scenario's catalog lists are merged over the built-in catalogs by id, so the user's first
# vessel type is item 16 or so of the merged list; messages must name the item the user wrote.


def test_catalog_error_names_the_users_own_index(write, tmp_path):
    text = VALID_SCENARIO.replace(
        "  vessel_types:\n",
        "  vessel_types:\n    - {id: test_panga, name: P, category: go_fast, length_m: 8, height_m: 1,"
        " max_speed_kn: 30, cruise_speed_kn: -20, small_craft: true}\n",
    ).replace("max_speed_kn: 45", "max_speed_kn: -5")
    problems = problems_of(write(text))
    got = {format_path(p.path): p for p in problems}
    assert set(got) == {"catalog.vessel_types[0].cruise_speed_kn", "catalog.vessel_types[1].max_speed_kn"}
    first = got["catalog.vessel_types[0].cruise_speed_kn"]
    second = got["catalog.vessel_types[1].max_speed_kn"]
    assert first.location == Location(str(tmp_path / "scenario.yaml"), line_of(text, "id: test_panga"))
    assert second.location.line == line_of(text, "max_speed_kn: -5")
    assert str(second).startswith(
        f"{tmp_path / 'scenario.yaml'}:{second.location.line}: catalog.vessel_types[1].max_speed_kn: -5"
    )


def test_catalog_override_of_a_builtin_entry_names_the_users_index(write):
    # go_fast is a built-in vessel type; overriding one field keeps it at its built-in place
    # in the merged list, but the message points at the user's item 1.
    text = VALID_SCENARIO.replace(
        "      small_craft: true\n", "      small_craft: true\n    - id: go_fast\n      max_speed_kn: -1\n"
    )
    p = one_problem(write(text))
    assert format_path(p.path) == "catalog.vessel_types[1].max_speed_kn"
    assert p.location.line == line_of(text, "max_speed_kn: -1")


def test_catalog_error_in_an_extended_file_names_that_files_index(write, tmp_path):
    parent = VALID_SCENARIO.replace("max_speed_kn: 45", "max_speed_kn: -5")
    write(parent, "parent.yaml")
    child = "extends: parent.yaml\ncatalog:\n  vessel_types:\n    - id: test_gofast\n      length_m: -3\n"
    problems = problems_of(write(child, "child.yaml"))
    got = {(format_path(p.path), p.location.source, p.location.line) for p in problems}
    assert got == {
        ("catalog.vessel_types[0].max_speed_kn", str(tmp_path / "parent.yaml"), line_of(parent, "max_speed_kn: -5")),
        ("catalog.vessel_types[0].length_m", str(tmp_path / "child.yaml"), 5),
    }


def test_catalog_error_from_set_override_names_the_users_index(write):
    p = one_problem(write(VALID_SCENARIO), ["catalog.vessel_types.test_gofast.max_speed_kn=-3"])
    assert format_path(p.path) == "catalog.vessel_types[0].max_speed_kn"
    assert p.location.source == "--set catalog.vessel_types.test_gofast.max_speed_kn=-3"


def test_broken_builtin_catalog_entry_names_the_builtin_file(write, tmp_path, monkeypatch):
    from importlib import resources

    from mda_sim.scenario import loader

    shipped = resources.files("mda_sim") / "catalogs"
    files = {}
    for key, name in loader.CATALOG_FILES.items():
        files[key] = tmp_path / name
        files[key].write_text((shipped / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = files["vessel_types"].read_text(encoding="utf-8")
    entries = [i for i, line in enumerate(text.splitlines()) if line.startswith("- id:")]
    lines = text.splitlines()
    third = next(i for i in range(entries[2], entries[3]) if lines[i].startswith("  max_speed_kn:"))
    lines[third] = "  max_speed_kn: -7"
    files["vessel_types"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(loader, "_builtin_catalog", lambda: loader.read_catalogs(files))

    first_id = lines[entries[0]].removeprefix("- id:").strip()
    # Removing the first built-in entry shifts the merged list; the message keeps the file's index.
    text = VALID_SCENARIO.replace(
        "  vessel_types:\n", f"  vessel_types:\n    - {{id: {first_id}, remove: true}}\n"
    )
    p = one_problem(write(text))
    assert p.location == Location(str(files["vessel_types"]), third + 1)
    assert format_path(p.path) == "catalog.vessel_types[2].max_speed_kn"
    where = f"{files['vessel_types']}:{third + 1}"
    assert str(p).startswith(f"{where}: catalog.vessel_types[2].max_speed_kn: -7")


def test_duplicate_ids(write):
    text = VALID_SCENARIO.replace(
        "sensors:\n  - id: castries_radar",
        "sensors:\n  - id: castries_radar\n    type: test_radar\n    operator: lca_cg\n"
        "    lat_deg: 14.0\n    lon_deg: -60.99\n    antenna_height_m: 150\n  - id: castries_radar",
    )
    p = one_problem(write(text))
    assert format_path(p.path) == "sensors[1].id"
    assert "duplicate id 'castries_radar'" in p.message
    assert p.location.line == line_of(text, "- id: castries_radar", 2)


def test_duplicate_mapping_key(write):
    text = VALID_SCENARIO.replace("  seed: 11", "  seed: 11\n  seed: 12")
    p = one_problem(write(text))
    assert "duplicate key 'seed'" in p.message and p.location.line == line_of(text, "seed: 12")


def test_extends_cycle(write):
    a = write("extends: b.yaml\nname: a\n", "a.yaml")
    write("extends: a.yaml\nname: b\n", "b.yaml")
    p = one_problem(a)
    assert "cycle" in p.message and "a.yaml" in p.message and "b.yaml" in p.message
    assert p.location.line == 1


def test_extends_missing_file(write):
    p = one_problem(write("extends: nowhere.yaml\nname: x\n"))
    assert "nowhere.yaml" in p.message and "not found" in p.message
    assert format_path(p.path) == "extends"


def test_unknown_reference_did_you_mean(write):
    text = VALID_SCENARIO.replace("    base: castries", "    base: castriez")
    p = one_problem(write(text))
    assert format_path(p.path) == "assets[0].base"
    assert "'castriez' is not a known base" in p.message and "did you mean 'castries'" in p.message
    assert p.location.line == line_of(text, "base: castriez")


def test_misspelt_choice(write):
    text = VALID_SCENARIO.replace("kind: port_airfield", "kind: port_airfeld")
    p = one_problem(write(text))
    assert "did you mean 'port_airfield'" in p.message and "'airfield'" in p.message
    assert p.location.line == line_of(text, "port_airfeld")


def test_misspelt_distribution(write):
    text = VALID_SCENARIO.replace("{dist: normal, mean: 30", "{dist: norml, mean: 30")
    p = one_problem(write(text))
    assert format_path(p.path) == "traffic.illicit[0].speed_kn"
    assert "did you mean 'normal'" in p.message


def test_start_time_not_utc(write):
    text = VALID_SCENARIO.replace("2026-01-05T00:00:00Z", "2026-01-05T00:00:00-04:00")
    p = one_problem(write(text))
    assert format_path(p.path) == "run.start_utc" and "UTC" in p.message


def test_missing_required_key(write):
    text = VALID_SCENARIO.replace("  seed: 11\n", "")
    p = one_problem(write(text))
    assert format_path(p.path) == "run.seed" and "missing" in p.message
    assert p.location.line == line_of(text, "run:")


def test_inverted_range(write):
    text = VALID_SCENARIO.replace("low: 200, high: 800", "low: 900, high: 800")
    p = one_problem(write(text))
    assert format_path(p.path) == "traffic.illicit[0].cargo.kg"
    assert "900" in p.message and "800" in p.message


def test_aircraft_needs_airfield(write):
    text = VALID_SCENARIO.replace("kind: port_airfield", "kind: port").replace(
        "category: cutter", "category: patrol_aircraft\n      patrol_altitude_m: 450"
    ).replace("max_speed_kn: 28", "max_speed_kn: 280").replace("cruise_speed_kn: 14", "cruise_speed_kn: 200")
    p = one_problem(write(text))
    assert format_path(p.path) == "assets[0].base" and "needs an airfield" in p.message


def test_speed_distribution_beyond_vessel_max(write):
    text = VALID_SCENARIO.replace("min: 20, max: 40", "min: 20, max: 60")
    p = one_problem(write(text))
    assert format_path(p.path) == "traffic.illicit[0].speed_kn" and "max_speed_kn of 45" in p.message


def test_non_utf8_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Fort-de-France é\n".encode("latin-1"))
    assert "UTF-8" in one_problem(path).message


def test_alias_bomb_refused(write):
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    p = one_problem(write("\n".join(lines) + "\n"))
    assert "alias" in p.message


def test_every_problem_reported_at_once(write):
    text = (
        VALID_SCENARIO.replace("count: 2", "count: -1")
        .replace("duration_h: 48", "duration_h: .nan")
        .replace("kind: police_marine", "kind: polise")
    )
    problems = problems_of(write(text))
    paths = {format_path(p.path) for p in problems}
    assert {"assets[0].count", "run.duration_h", "partners[0].kind"} <= paths
    assert all(p.location is not None and p.location.line for p in problems)


# --- --set overrides -------------------------------------------------------------------------


def test_set_override_goes_through_validation(write):
    path = write(VALID_SCENARIO)
    scenario = load_scenario(path, ["assets.lca_patrol.count=5", "run.seed=99"], geography=False)
    assert scenario.spec.assets[0].count == 5 and scenario.spec.run.seed == 99
    p = one_problem(path, ["assets.lca_patrol.count=0"])
    assert p.location.source == "--set assets.lca_patrol.count=0"
    assert format_path(p.path) == "assets[0].count" and "greater than or equal to 1" in p.message


def test_set_unknown_id_and_key(write):
    path = write(VALID_SCENARIO)
    p = one_problem(path, ["assets.lca_patroll.count=3"])
    assert "did you mean 'lca_patrol'" in p.message
    p = one_problem(path, ["run.sed=3"])
    assert "did you mean 'seed'" in p.message and p.location.source.startswith("--set")


def test_set_needs_equals(write):
    p = one_problem(write(VALID_SCENARIO), ["run.seed"])
    assert "KEY.PATH=VALUE" in p.message


# --- YAML 1.1 booleans where text is expected (`ais: on`) ---------------------------------------


def _with_ais(value: str) -> str:
    return VALID_SCENARIO.replace("      cargo: {kind:", f"      ais: {value}\n      cargo: {{kind:")


@pytest.mark.parametrize(
    ("word", "boolean", "advice"),
    [
        ("on", "true", 'quote it: ais: "on"'),
        ("off", "false", 'quote it: ais: "off"'),
        ("On", "true", 'quote it: ais: "on"'),
        ("yes", "true", 'if you meant on, write ais: "on"'),
        ("no", "false", 'if you meant off, write ais: "off"'),
    ],
)
def test_unquoted_yaml_boolean_in_an_enum(write, word, boolean, advice):
    text = _with_ais(word)
    p = one_problem(write(text))
    assert format_path(p.path) == "traffic.illicit[0].ais"
    assert p.location.line == line_of(text, f"ais: {word}")
    assert f"YAML read the unquoted {word} as the boolean {boolean}" in p.message
    assert advice in p.message and "allowed: 'off', 'on', 'switch_off'" in p.message


def test_quoted_on_is_text(write):
    scenario = load_scenario(write(_with_ais('"on"')), geography=False)
    assert scenario.spec.traffic.illicit[0].ais == "on"


def test_unquoted_yaml_boolean_in_free_text(write):
    text = VALID_SCENARIO.replace("name: Saint Lucia channel (test)", "name: yes")
    p = one_problem(write(text))
    assert format_path(p.path) == "name" and p.location.line == 1
    assert 'YAML read the unquoted yes as the boolean true' in p.message and 'name: "yes"' in p.message


def test_unquoted_yaml_boolean_in_set_override(write):
    p = one_problem(write(VALID_SCENARIO), ["traffic.illicit.gofast_run.ais=on"])
    assert format_path(p.path) == "traffic.illicit[0].ais"
    assert "YAML read the unquoted on as the boolean true" in p.message
    assert """--set 'traffic.illicit.gofast_run.ais="on"'""" in p.message
    ok = load_scenario(write(VALID_SCENARIO), ['traffic.illicit.gofast_run.ais="on"'], geography=False)
    assert ok.spec.traffic.illicit[0].ais == "on"


def test_an_id_listed_twice_in_one_file_is_an_error_not_a_silent_merge(tmp_path):
    """Lists merged by id (catalog entries, lists in an ``extends`` chain) would fold a repeated id
    into its first entry; the file's author is told instead, at the second entry's line."""
    from pathlib import Path

    from mda_sim.scenario import load_scenario
    from mda_sim.scenario.problems import ScenarioError

    small = Path(__file__).resolve().parents[2] / "scenarios" / "mona_passage_small.yaml"
    entry = ("{id: tv1, name: %s, category: go_fast, length_m: 10, height_m: 1.5, max_speed_kn: 40, "
             "cruise_speed_kn: 30, small_craft: true}")
    path = tmp_path / "dup.yaml"
    path.write_text(f"extends: {small}\ncatalog:\n  vessel_types:\n    - {entry % 'a'}\n    - {entry % 'b'}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (problem,) = err.value.problems
    assert problem.location.line == 5
    assert "catalog.vessel_types[1].id" in str(problem) and "duplicate id 'tv1'" in str(problem)
    assert "catalog.vessel_types[0]" in problem.message
