"""The shipped scenarios and built-in catalogs: they load, and every figure says where it came from.

Sources follow one rule (scenarios/README.md): a catalog entry's ``sources`` maps each field that
holds a number to either a tag of the reference's source key (``"[S27] 28+ kn"``) or
``"estimate: <reasoning>"``. The reference (shared/reference/treaty-partners-threats-geography.md)
lives outside the repository, so the tags are checked for form and for lying inside its key.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from mda_sim.scenario.loader import builtin_catalog, load_scenario
from mda_sim.scenario.specs import ScenarioSpec
from mda_sim.scenario.specs.catalog import AssetType, Catalog, SensorType, VesselType
from mda_sim.scenario.specs.legal import TreatyParty

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_DIR = ROOT / "scenarios"
SCENARIOS = sorted(SCENARIO_DIR.glob("*.yaml"))
BASELINE = SCENARIO_DIR / "eastern_caribbean.yaml"
GRENADA_EXCURSION = SCENARIO_DIR / "excursion_grenada_radar.yaml"

#: The reference's source key runs from S1 to S64.
KNOWN_TAGS = frozenset(range(1, 65))
_TAG = re.compile(r"\[S(\d+)\]")
_LEADING_TAGS = re.compile(r"^(\[S\d+\])+")
_ESTIMATE = re.compile(r"^estimate: \S.{8,}", re.DOTALL)

CatalogEntry = AssetType | SensorType | VesselType


# --- the checker ----------------------------------------------------------------------------------


def source_problem(text: str) -> str | None:
    """Why ``text`` is not an acceptable source for a figure, or None if it is."""
    tags = [int(n) for n in _TAG.findall(text)]
    unknown = sorted(set(tags) - KNOWN_TAGS)
    if unknown:
        return f"cites {', '.join(f'[S{n}]' for n in unknown)}, not in the reference's source key (S1-S64)"
    if _LEADING_TAGS.match(text) or _ESTIMATE.match(text):
        return None
    return "must start with a source tag such as '[S27]' or with 'estimate: ' and the reasoning"


def holds_number(value: object) -> bool:
    """True if ``value`` is a number or a spec, list or mapping that contains one (bools are not numbers)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, BaseModel):
        return any(holds_number(getattr(value, name)) for name in type(value).model_fields)
    if isinstance(value, (tuple, list)):
        return any(holds_number(v) for v in value)
    if isinstance(value, dict):
        return any(holds_number(v) for v in value.values())
    return False


def entry_problems(entry: CatalogEntry) -> list[str]:
    """Every numeric field given in ``entry`` without an acceptable ``sources`` entry, and stray keys."""
    out = []
    fields = type(entry).model_fields
    for name in sorted(entry.model_fields_set):
        if name == "sources" or not holds_number(getattr(entry, name)):
            continue
        if name not in entry.sources:
            out.append(f"{entry.id}.{name}: no sources entry")
        elif (why := source_problem(entry.sources[name])) is not None:
            out.append(f"{entry.id}.sources.{name}: {why}")
    for key in entry.sources:
        if key not in fields:
            out.append(f"{entry.id}.sources.{key}: not a field of {type(entry).__name__}")
    return out


def catalog_problems(catalog: Catalog) -> list[str]:
    return [
        p
        for entries in (catalog.asset_types, catalog.sensor_types, catalog.vessel_types)
        for entry in entries
        for p in entry_problems(entry)
    ]


def _tuples(value):
    """Lists to tuples, as the loader does before strict validation."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def builtin() -> Catalog:
    data, _ = builtin_catalog()
    return Catalog.model_validate(_tuples(data["catalog"]))


@pytest.fixture(scope="module")
def baseline() -> ScenarioSpec:
    return load_scenario(BASELINE, geography=False).spec


# --- the checker can fail -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("[S27] 28+ kn", True),
        ("[S31][S22] 8-11 h", True),
        ("estimate: economical patrol speed", True),
        ("estimate", False),
        ("estimate:", False),
        ("my own knowledge", False),
        ("see [S27]", False),
        ("[S99] an invented source", False),
        ("estimate: like [S120]", False),
    ],
)
def test_source_rule(text, ok):
    assert (source_problem(text) is None) == ok


def test_checker_flags_a_figure_without_source():
    bad = VesselType(
        id="bad_boat",
        name="Bad",
        category="go_fast",
        length_m=10.0,
        height_m=1.0,
        max_speed_kn=40.0,
        cruise_speed_kn=25.0,
        small_craft=True,
        sources={
            "length_m": "[S50] 30-50 ft",
            "max_speed_kn": "estimate",
            "height_m": "[S0] nowhere",
            "cruise_speed_kn": "estimate: fine",
            "lenght_m": "[S50]",
        },
    )
    problems = entry_problems(bad)
    assert any(p.startswith("bad_boat.sources.max_speed_kn") for p in problems)
    assert any(p.startswith("bad_boat.sources.height_m") for p in problems)
    assert any(
        p.startswith("bad_boat.sources.cruise_speed_kn") for p in problems
    )  # reasoning too short
    assert any(p.startswith("bad_boat.sources.lenght_m") for p in problems)
    assert not any(
        p.startswith(("bad_boat.length_m", "bad_boat.sources.length_m")) for p in problems
    )


def test_checker_walks_nested_numbers():
    radar = SensorType(
        id="r",
        name="R",
        kind="surface_radar",
        instrumented_range_nm=24.0,
        detection={"model": "glimpse", "scan_period_s": 2.5, "p_max": 0.9, "r50_nm": 5.0},
        sources={"instrumented_range_nm": "estimate: a usual range scale"},
    )
    assert entry_problems(radar) == ["r.detection: no sources entry"]


# --- the built-in catalogs ------------------------------------------------------------------------


def test_builtin_catalogs_are_filled(builtin):
    assert builtin.asset_types and builtin.sensor_types and builtin.vessel_types


def test_every_builtin_figure_has_a_source(builtin):
    assert catalog_problems(builtin) == []


@pytest.mark.parametrize(
    ("model", "field", "key"),
    [
        (AssetType, "category", "asset_types"),
        (SensorType, "kind", "sensor_types"),
        (VesselType, "category", "vessel_types"),
    ],
)
def test_builtin_catalog_covers_every_category(builtin, model, field, key):
    allowed = set(typing.get_args(model.model_fields[field].annotation))
    present = {getattr(entry, field) for entry in getattr(builtin, key)}
    assert allowed - present == set()


def test_builtin_catalog_references_resolve(builtin):
    sensor_ids = {s.id for s in builtin.sensor_types}
    asset_ids = {a.id for a in builtin.asset_types}
    for atype in builtin.asset_types:
        assert {m.type for m in atype.sensors} <= sensor_ids, atype.id
        assert {c.type for c in atype.embarked} <= asset_ids, atype.id


# --- the shipped scenarios ------------------------------------------------------------------------


def test_scenario_folder_has_the_documented_files():
    names = {p.name for p in SCENARIOS}
    assert {
        "eastern_caribbean.yaml",
        "mona_passage_small.yaml",
        "saint_lucia_shiprider.yaml",
        "excursion_grenada_radar.yaml",
    } <= names
    readme = (SCENARIO_DIR / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert name in readme, f"scenarios/README.md does not describe {name}"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenario_loads(path):
    scenario = load_scenario(path, geography=False)
    assert scenario.spec.name


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenario_catalog_figures_have_sources(path):
    """The scenario's own catalog entries follow the same rule as the built-in ones."""
    assert catalog_problems(load_scenario(path, geography=False).spec.catalog) == []


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenario_cites_only_known_tags(path):
    tags = {int(n) for n in _TAG.findall(path.read_text(encoding="utf-8"))}
    assert tags - KNOWN_TAGS == set()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_places_and_forces_say_where_they_come_from(path):
    s = load_scenario(path, geography=False).spec
    for section in ("bases", "regions", "partners", "assets", "sensors"):
        for item in getattr(s, section):
            assert item.source, f"{path.name}: {section}.{item.id} has no source"
    for flow in (*s.traffic.illicit, *s.traffic.legitimate):
        assert flow.source, f"{path.name}: traffic flow {flow.id} has no source"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_treaty_elections_other_than_the_defaults_are_cited(path):
    """Unknown elections take the treaty defaults (reference §1.2); any other election needs a citation."""
    defaults = TreatyParty(state="XXX")
    elections = (
        "art12_vessels",
        "art12_aircraft",
        "art13_overflight",
        "art15_internal_waters",
        "art16_boarding",
    )
    for party in load_scenario(path, geography=False).spec.legal.treaty_of_san_jose.parties:
        if any(getattr(party, e) != getattr(defaults, e) for e in elections):
            assert party.elections_source and source_problem(party.elections_source) is None, (
                party.state
            )


def test_shipped_scenarios_stand_on_the_real_map():
    """With the shipped geography: territories exist, radars and AIS sites stand on land, bases on the coast."""
    pytest.importorskip("mda_sim.geography").load_geography()
    for path in SCENARIOS:
        load_scenario(path)


# --- the baseline ---------------------------------------------------------------------------------

#: The ECCG partners the baseline must field (issue text), by the state they act for and the kinds
#: of agency that count; each must own at least one asset.
REQUIRED_PARTNERS = {
    "US Coast Guard": ("USA", {"coast_guard"}),
    "CBP Air and Marine Operations": ("USA", {"border_protection"}),
    "Regional Security System": (None, {"regional_security_system"}),
    "Dutch Caribbean Coast Guard": ("NLD", {"coast_guard"}),
    "French Navy": ("FRA", {"navy"}),
    "French Customs": ("FRA", {"customs"}),
    "Royal Navy": ("GBR", {"navy"}),
    "Royal Canadian Navy": ("CAN", {"navy"}),
    "Trinidad and Tobago": ("TTO", {"coast_guard", "navy"}),
    "Barbados": ("BRB", {"coast_guard", "navy"}),
    "Dominican Republic": ("DOM", {"navy", "coast_guard"}),
}


@pytest.mark.parametrize("label", sorted(REQUIRED_PARTNERS))
def test_baseline_fields_every_eccg_partner_with_assets(baseline, label):
    state, kinds = REQUIRED_PARTNERS[label]
    partners = {
        p.id for p in baseline.partners if p.kind in kinds and (state is None or p.state == state)
    }
    assert partners, f"no partner for {label}"
    hulls = sum(a.count for a in baseline.assets if a.partner in partners)
    assert hulls >= 1, f"{label} has no assets"


def test_baseline_royal_navy_is_a_river_class_opv_with_a_us_ledet(baseline):
    rn = {p.id for p in baseline.partners if p.state == "GBR" and p.kind == "navy"}
    opvs = [a for a in baseline.assets if a.partner in rn and a.type == "river_b2_opv"]
    assert opvs
    ledets = [p for p in baseline.legal.shiprider_pools if p.state == "USA"]
    assert any(set(p.embarked_on) & {a.id for a in opvs} for p in ledets)


def test_baseline_box_covers_the_reference_estimate(baseline):
    a = baseline.area
    assert a.lon_min_deg <= -72.0 and a.lon_max_deg >= -58.0
    assert a.lat_min_deg <= 9.5 and a.lat_max_deg >= 21.0


def test_baseline_states_hold_the_overseas_territories(baseline):
    held = {s.id: set(s.territories) for s in baseline.states}
    assert {"PRI", "VIR"} <= held["USA"]
    assert {"VGB", "AIA", "MSR"} <= held["GBR"]
    assert {"GLP", "MTQ", "MAF", "BLM"} <= held["FRA"]
    assert {"SXM", "BES", "CUW", "ABW"} <= held["NLD"]
    for code in ("ATG", "KNA", "DMA", "LCA", "VCT", "GRD", "BRB", "TTO", "DOM", "VEN"):
        assert code in held.get(code, set()), code


def test_baseline_belize_elections_are_the_sourced_ones(baseline):
    blz = {p.state: p for p in baseline.legal.treaty_of_san_jose.parties}["BLZ"]
    assert blz.art16_boarding == "express_consent"
    assert (blz.art12_vessels, blz.art12_aircraft, blz.art13_overflight) == ("a", "a", "a")


def test_baseline_bilateral_agreements_are_us_agreements(baseline):
    assert baseline.legal.bilateral_agreements
    for agreement in baseline.legal.bilateral_agreements:
        assert "USA" in agreement.parties and agreement.source, agreement.id


def test_baseline_has_illicit_and_lawful_traffic_and_an_exercise(baseline):
    cargo = {f.cargo.kind for f in baseline.traffic.illicit}
    assert {"cocaine", "migrants"} <= cargo
    assert any(f.behaviour == "rendezvous" for f in baseline.traffic.illicit)
    assert any(f.ais == "on" for f in baseline.traffic.legitimate)
    assert baseline.exercise.objectives and baseline.exercise.injects


def test_documented_cli_override_applies_to_the_baseline(baseline):
    """`mda-sim validate scenarios/eastern_caribbean.yaml --set assets.uscg_frc.count=8` (CLI help)."""
    changed = load_scenario(BASELINE, ["assets.uscg_frc.count=8"], geography=False).spec
    frc = {a.id: a for a in changed.assets}["uscg_frc"]
    assert frc.count == 8 != {a.id: a for a in baseline.assets}["uscg_frc"].count


def test_grenada_excursion_adds_only_the_radar_and_its_operator(baseline):
    excursion = load_scenario(GRENADA_EXCURSION, geography=False).spec
    new_sensors = {s.id for s in excursion.sensors} - {s.id for s in baseline.sensors}
    assert len(new_sensors) == 1
    (sensor,) = [s for s in excursion.sensors if s.id in new_sensors]
    assert excursion.sensor_type(sensor.type).kind == "surface_radar"
    assert excursion.partner(sensor.operator).state == "GRD"
    assert {s.id for s in baseline.sensors} <= {s.id for s in excursion.sensors}
    assert excursion.assets == baseline.assets and excursion.traffic == baseline.traffic
    assert excursion.legal == baseline.legal and excursion.run == baseline.run
