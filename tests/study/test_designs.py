"""Experimental designs: counts, order, Latin hypercube strata, ids, overrides through the loader."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_sim.scenario import load_scenario
from mda_sim.scenario.compose import parse_key_path, parse_override
from mda_sim.study.designs import (
    DESIGNS,
    DesignError,
    Factor,
    as_overrides,
    design_point_id,
    full_factorial,
    latin_hypercube,
    latin_hypercube_unit,
    make_design,
    one_at_a_time,
)

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "scenarios" / "mona_passage_small.yaml"

COUNT = "assets.uscg_frc.count"
P_GRANT = "legal.default_response.p_grant"


def strata(values: list[float], low: float, high: float, n: int) -> list[int]:
    return sorted(math.floor((v - low) / (high - low) * n) for v in values)


# ---------------------------------------------------------------------------------------------
# Full factorial
# ---------------------------------------------------------------------------------------------


def test_full_factorial_count_and_order_first_factor_slowest():
    fs = [
        Factor("a", levels=(1, 2)),
        Factor("b", levels=("x", "y", "z")),
        Factor("c", low=0.0, high=1.0, n_levels=2),
    ]
    points = full_factorial(fs)
    assert len(points) == 2 * 3 * 2
    assert [tuple(p.values()) for p in points[:4]] == [
        (1, "x", 0.0),
        (1, "x", 1.0),
        (1, "y", 0.0),
        (1, "y", 1.0),
    ]
    assert [p["a"] for p in points] == [1] * 6 + [2] * 6
    assert len({design_point_id(p) for p in points}) == len(points)
    assert all(list(p) == ["a", "b", "c"] for p in points)


def test_range_levels_are_evenly_spaced_and_integer_ranges_give_ints():
    assert Factor("x", low=0.5, high=0.9, n_levels=3).values() == pytest.approx((0.5, 0.7, 0.9))
    ints = Factor("n", low=1, high=9, n_levels=5, integer=True).values()
    assert ints == (1, 3, 5, 7, 9)
    assert all(type(v) is int for v in ints)


def test_full_factorial_needs_n_levels_for_a_range():
    with pytest.raises(DesignError, match=r"factor 'x'.*n_levels.*full_factorial"):
        full_factorial([Factor("x", low=0.0, high=1.0)])


# ---------------------------------------------------------------------------------------------
# Latin hypercube
# ---------------------------------------------------------------------------------------------


def three_ranges() -> list[Factor]:
    return [
        Factor("a", low=0.0, high=1.0),
        Factor("b", low=-5.0, high=5.0),
        Factor("c", low=100.0, high=200.0),
    ]


def test_lhs_one_point_per_stratum_in_every_factor():
    fs = three_ranges()
    points = latin_hypercube(fs, n_points=10, seed=3)
    assert len(points) == 10
    for f in fs:
        values = [p[f.path] for p in points]
        assert all(f.low <= v <= f.high for v in values)
        assert strata(values, f.low, f.high, 10) == list(range(10)), f.path


@settings(max_examples=60, deadline=None)
@given(
    n_points=st.integers(min_value=1, max_value=60),
    n_dims=st.integers(min_value=1, max_value=6),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    maximin=st.booleans(),
)
def test_lhs_unit_strata_property(n_points, n_dims, seed, maximin):
    unit = latin_hypercube_unit(n_points, n_dims, seed, maximin=maximin, candidates=5)
    assert unit.shape == (n_points, n_dims)
    assert ((unit >= 0) & (unit < 1)).all()
    for j in range(n_dims):
        assert sorted(np.floor(unit[:, j] * n_points).astype(int)) == list(range(n_points))


@settings(max_examples=40, deadline=None)
@given(n_points=st.integers(min_value=1, max_value=40), seed=st.integers(0, 10**9))
def test_lhs_strata_property_through_factors(n_points, seed):
    fs = three_ranges()
    points = latin_hypercube(fs, n_points=n_points, seed=seed)
    for f in fs:
        assert strata([p[f.path] for p in points], f.low, f.high, n_points) == list(range(n_points))


def test_lhs_reproducible_by_seed_and_differs_across_seeds():
    fs = three_ranges()
    assert latin_hypercube(fs, 10, seed=7) == latin_hypercube(fs, 10, seed=7)
    assert latin_hypercube(fs, 10, seed=7) != latin_hypercube(fs, 10, seed=8)
    assert make_design("latin_hypercube", fs, n_points=10, seed=7) == latin_hypercube(fs, 10, 7)


def test_lhs_integer_rounding_bounds_and_levels():
    fs = [
        Factor(COUNT, low=1, high=4, integer=True),
        Factor("mode", levels=("a", "b")),
        Factor("flag", levels=(True, False)),
    ]
    points = latin_hypercube(fs, n_points=8, seed=11)
    counts = [p[COUNT] for p in points]
    assert all(type(c) is int and 1 <= c <= 4 for c in counts)
    # 8 points over 4 whole numbers: the strata map two to each, end values included.
    assert sorted(counts) == [1, 1, 2, 2, 3, 3, 4, 4]
    assert sorted(p["mode"] for p in points) == ["a"] * 4 + ["b"] * 4
    assert sum(p["flag"] is True for p in points) == 4


def test_lhs_maximin_keeps_strata_and_does_not_worsen_spacing():
    def min_dist(unit):
        d = np.linalg.norm(unit[:, None] - unit[None, :], axis=-1)
        return d[~np.eye(len(unit), dtype=bool)].min()

    plain = latin_hypercube_unit(12, 3, seed=5)
    better = latin_hypercube_unit(12, 3, seed=5, maximin=True, candidates=30)
    assert min_dist(better) >= min_dist(plain)  # the first candidate is the plain design
    assert latin_hypercube(three_ranges(), 5, 1) == latin_hypercube(
        three_ranges(), 5, 1, maximin=False
    )


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_lhs_bad_n_points(bad):
    with pytest.raises(DesignError, match="n_points"):
        latin_hypercube(three_ranges(), n_points=bad, seed=1)


# ---------------------------------------------------------------------------------------------
# One at a time
# ---------------------------------------------------------------------------------------------


def test_oat_count_baseline_first_and_no_duplicates():
    fs = [
        Factor("a", levels=(1, 2, 3)),  # baseline: middle level 2
        Factor("b", levels=("x", "y"), baseline="y"),
        Factor("c", low=0.0, high=1.0, n_levels=5),  # baseline: midpoint 0.5, one of the levels
    ]
    points = one_at_a_time(fs)
    assert points[0] == {"a": 2, "b": "y", "c": 0.5}
    assert len(points) == 1 + (3 - 1) + (2 - 1) + (5 - 1)
    assert len({design_point_id(p) for p in points}) == len(points)
    for p in points[1:]:  # each differs from the baseline in exactly one factor
        assert sum(p[k] != points[0][k] for k in p) == 1
    assert [p["a"] for p in points[1:3]] == [1, 3]


def test_oat_even_range_midpoint_is_extra_point():
    points = one_at_a_time([Factor("c", low=0.0, high=1.0, n_levels=2)])
    assert points == [{"c": 0.5}, {"c": 0.0}, {"c": 1.0}]


def test_oat_bool_baseline_not_confused_with_numbers():
    points = one_at_a_time([Factor("f", levels=(0, 1, True), baseline=1)])
    assert points == [{"f": 1}, {"f": 0}, {"f": True}]


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------


def test_registry_and_did_you_mean():
    assert set(DESIGNS) == {"full_factorial", "latin_hypercube", "one_at_a_time"}
    fs = [Factor("a", levels=(1, 2))]
    assert make_design("full_factorial", fs) == full_factorial(fs)
    with pytest.raises(
        DesignError, match=r"unknown design 'latin_hypercub'.*did you mean 'latin_hypercube'"
    ):
        make_design("latin_hypercub", fs, n_points=3, seed=1)
    with pytest.raises(DesignError, match="design 'full_factorial'"):
        make_design("full_factorial", fs, n_points=3)


def test_factor_from_mapping():
    f = Factor.from_mapping({"path": P_GRANT, "range": {"low": 0.5, "high": 0.9, "n_levels": 3}})
    assert (f.low, f.high, f.n_levels) == (0.5, 0.9, 3)
    assert Factor.from_mapping({"path": COUNT, "levels": [1, 2]}).levels == (1, 2)
    assert Factor.from_mapping({"path": "x", "range": [0, 1]}).high == 1
    with pytest.raises(DesignError, match=r"unknown key 'level'.*did you mean 'levels'"):
        Factor.from_mapping({"path": "x", "level": [1]})
    with pytest.raises(DesignError, match=r"unknown range key 'nlevels'.*did you mean 'n_levels'"):
        Factor.from_mapping({"path": "x", "range": {"low": 0, "high": 1, "nlevels": 3}})
    assert full_factorial([{"path": "x", "levels": [1, 2]}]) == [{"x": 1}, {"x": 2}]


# ---------------------------------------------------------------------------------------------
# Bad factors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, r"factor 'x': give exactly one of levels or a range.*neither"),
        ({"levels": (1,), "low": 0, "high": 1}, r"factor 'x': give exactly one.*both"),
        ({"low": 0}, r"factor 'x': a range needs both low and high; high is missing"),
        ({"low": 2, "high": 1}, r"factor 'x': low must be less than high, got low=2, high=1"),
        ({"low": 1, "high": 1}, r"low must be less than high"),
        ({"low": 0, "high": float("inf")}, r"factor 'x': high must be a finite number, got inf"),
        ({"low": "a", "high": 1}, r"factor 'x': low must be a finite number, got 'a'"),
        (
            {"low": 0, "high": 1, "n_levels": 1},
            r"factor 'x': n_levels must be a whole number >= 2, got 1",
        ),
        ({"low": 0, "high": 1, "n_levels": 2.5}, r"n_levels must be a whole number >= 2, got 2.5"),
        (
            {"low": 0.5, "high": 3, "integer": True},
            r"integer range needs whole-number bounds; low=0.5",
        ),
        (
            {"low": 1, "high": 3, "n_levels": 4, "integer": True},
            r"n_levels=4 but the integer range 1..3 holds only 3",
        ),
        ({"levels": ()}, r"factor 'x': levels is empty"),
        ({"levels": (1, 2, 1)}, r"factor 'x': level 1 is repeated"),
        ({"levels": "abc"}, r"factor 'x': levels must be a list of values, got 'abc'"),
        (
            {"levels": (1, None)},
            r"factor 'x': level: None \(NoneType\) is not allowed; a level is a number",
        ),
        ({"levels": ([1],)}, r"is not allowed; a level is a number, a string or a boolean"),
        ({"levels": (1, 2), "n_levels": 2}, r"n_levels is for a range"),
        (
            {"levels": (1, 2), "baseline": 3},
            r"factor 'x': baseline 3 is not one of the levels \[1, 2\]",
        ),
        (
            {"low": 0, "high": 1, "baseline": 2},
            r"factor 'x': baseline 2 is outside the range \[0, 1\]",
        ),
        (
            {"low": 0, "high": 4, "integer": True, "baseline": 1.5},
            r"baseline 1.5 is not a whole number",
        ),
    ],
)
def test_bad_factors_are_explained(kwargs, message):
    with pytest.raises(DesignError, match=message):
        Factor("x", **kwargs)


@pytest.mark.parametrize("path", ["", "a..b", "a=b", "a b", ".a", 3])
def test_bad_paths(path):
    with pytest.raises(DesignError, match="not a scenario key path"):
        Factor(path, levels=(1,))


def test_bad_factor_lists():
    with pytest.raises(DesignError, match="at least one factor"):
        full_factorial([])
    with pytest.raises(DesignError, match="factor 'a' is given twice"):
        full_factorial([Factor("a", levels=(1,)), Factor("a", levels=(2,))])
    with pytest.raises(DesignError, match="factors 'a.b' and 'a.b.c' overlap"):
        one_at_a_time([Factor("a.b", levels=(1,)), Factor("a.b.c", levels=(2,))])


def test_factor_paths_parse_like_set_paths():
    for path in (COUNT, P_GRANT, "assets[0].count", "legal.default_response.delay_h.median"):
        Factor(path, levels=(1,))
        parse_key_path(path)


# ---------------------------------------------------------------------------------------------
# Point ids and overrides
# ---------------------------------------------------------------------------------------------


def test_design_point_id_stable_and_order_free():
    a = {COUNT: 2, P_GRANT: 0.7, "mode": "on", "flag": True}
    b = {"flag": True, "mode": "on", P_GRANT: 0.7, COUNT: 2}
    assert design_point_id(a) == design_point_id(b)
    assert len(design_point_id(a)) == 12
    assert all(c in "0123456789abcdef" for c in design_point_id(a))
    assert design_point_id(a) != design_point_id({**a, COUNT: 3})
    assert design_point_id({"x": np.int64(2)}) == design_point_id({"x": 2})
    # A fixed value: the id must not change between releases, or stored results lose their point.
    assert design_point_id({"x": 1}) == "5041bf1f713d"  # sha256('{"x":1}')[:12]
    with pytest.raises(DesignError):
        design_point_id({"x": float("nan")})


def test_as_overrides_forms():
    point = {
        "a": True,
        "b": False,
        "c": 3,
        "d": 0.5,
        "e": 1e-5,
        "f": "on",
        "g": "plain_word",
        "h": "it's",
        "i": "12",
        "j": "null",
        "k": -2.5e20,
    }
    assert as_overrides(point) == [
        "a=true",
        "b=false",
        "c=3",
        "d=0.5",
        "e=1.0e-05",
        "f='on'",
        "g=plain_word",
        "h='it''s'",
        "i='12'",
        "j='null'",
        "k=-2.5e+20",
    ]


@settings(max_examples=200, deadline=None)
@given(
    value=st.one_of(
        st.booleans(),
        st.integers(min_value=-(10**12), max_value=10**12),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(
            alphabet=st.characters(
                min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=("Cc", "Cs", "Zl", "Zp")
            ),
            max_size=12,
        ),
        st.sampled_from(
            [
                "on",
                "off",
                "yes",
                "no",
                "Y",
                "n",
                "true",
                "NULL",
                "~",
                "1_000",
                "0x1F",
                "1:30",
                ".inf",
                "-.nan",
                "2024-01-01",
                "#x",
                "a: b",
                "- x",
                "[1]",
                "{a: 1}",
                "",
                " x ",
            ]
        ),
    )
)
def test_as_overrides_round_trips_through_set_parser(value):
    (text,) = as_overrides({"a.b": value})
    path, parsed = parse_override(text)
    assert path == ("a", "b")
    assert type(parsed) is type(value)
    assert parsed == value


def test_as_overrides_through_the_real_loader():
    factors = [
        Factor(COUNT, levels=(1, 2)),
        Factor(P_GRANT, low=0.5, high=0.9, n_levels=3),
    ]
    for design in (full_factorial(factors), latin_hypercube(factors, 4, seed=2)):
        for point in design:
            scenario = load_scenario(SMALL, as_overrides(point), geography=False)
            frc = next(a for a in scenario.spec.assets if a.id == "uscg_frc")
            assert frc.count == point[COUNT]
            assert scenario.spec.legal.default_response.p_grant == point[P_GRANT]


@pytest.mark.parametrize("bad", ["a\nb", "\x00", "\x85", "\x9f", "a\u2028b"])
def test_as_overrides_rejects_unwritable_characters(bad):
    with pytest.raises(DesignError, match="control character or line break"):
        as_overrides({"x": bad})
