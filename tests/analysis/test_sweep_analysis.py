"""Sweep analysis: per-point intervals, main effects, interactions, ranking, binning, one-at-a-time.

The synthetic sweeps have a known response ``2a + 3b + ab`` plus a per-replication term ``c_i``
shared by every design point (what common random numbers do) and a small independent term, so
level differences are known to within the small term while each level's mean carries ``c_i``.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_sim.analysis.stats import welch_diff_ci
from mda_sim.analysis.sweep import (
    SweepFactor,
    SweepRun,
    interaction,
    level_groups,
    main_effects,
    metric_names,
    point_intervals,
    ranking,
    select_metrics,
)
from mda_sim.analysis.sweep_summary import sweep_summary, sweep_text

A_LEVELS = (0, 1, 2)
B_LEVELS = (0, 1)
FACTORS = [SweepFactor("a", A_LEVELS), SweepFactor("b", B_LEVELS)]
SMALL_SD = 0.02  # independent noise per run
COMMON_SD = 1.5  # per-replication noise shared by every point


def truth(a: float, b: float) -> float:
    return 2 * a + 3 * b + a * b


def factorial_runs(seed: int = 7, reps: int = 6, common=None) -> list[SweepRun]:
    rng = np.random.default_rng(seed)
    c = rng.normal(0.0, COMMON_SD, reps) if common is None else np.asarray(common, float)
    runs = []
    for a, b in itertools.product(A_LEVELS, B_LEVELS):
        for i in range(reps):
            m = truth(a, b) + c[i] + rng.normal(0.0, SMALL_SD)
            runs.append(SweepRun(f"p{a}{b}", i, {"a": a, "b": b}, {"m": m, "k": 1.0}))
    return runs


def _common(runs: list[SweepRun]) -> float:
    """The sample mean of the common term, recovered from the runs (truth is known)."""
    return float(np.mean([r.metrics["m"] - truth(r.factors["a"], r.factors["b"]) for r in runs]))


# --- main effects -------------------------------------------------------------------------------


def test_main_effects_recover_known_level_means_and_differences():
    runs = factorial_runs()
    c_bar = _common(runs)
    eff = main_effects(runs, FACTORS, "m", design="full_factorial")
    assert [lv.label for lv in eff["a"]] == ["0", "1", "2"] and [lv.label for lv in eff["b"]] == ["0", "1"]
    b_bar = float(np.mean(B_LEVELS))
    for lv in eff["a"]:
        a = lv.value
        assert lv.n_points == len(B_LEVELS) and lv.interval.n == 6 and lv.bounds is None
        assert lv.interval.mean == pytest.approx(2 * a + 3 * b_bar + a * b_bar + c_bar, abs=0.03)
    # Level differences are known precisely: the shared c_i cancels.
    a0, _, a2 = (lv.interval.mean for lv in eff["a"])
    assert a2 - a0 == pytest.approx(2 * 2 + 2 * b_bar, abs=0.05)
    b0, b1 = (lv.interval.mean for lv in eff["b"])
    assert b1 - b0 == pytest.approx(3 + float(np.mean(A_LEVELS)), abs=0.05)
    # Each level's interval carries the replication-to-replication spread of c_i (about
    # t * 1.5 / sqrt(6) ~ 1.6), not the tiny within-replication noise.
    for lv in eff["a"] + eff["b"]:
        assert 0.4 < lv.interval.half_width < 4.0


def test_main_effect_contrasts_are_paired_and_far_narrower_than_the_level_intervals():
    """The effect of a level (minus the reference level, paired by replication) recovers the known
    difference within the small independent noise; the common term cancels, so its interval is
    many times narrower than either level's own interval (which carries the common spread)."""
    runs = factorial_runs()
    eff = main_effects(runs, FACTORS, "m", design="full_factorial")
    b_bar, a_bar = float(np.mean(B_LEVELS)), float(np.mean(A_LEVELS))
    ref, _, top = eff["a"]
    assert ref.reference and ref.effect.mean == pytest.approx(0.0, abs=1e-12)
    assert not top.reference
    # true a effect of level 2 vs 0, averaged over b: 2*2 + 2*b_bar; noise sd 0.02 per run
    assert top.effect.mean == pytest.approx(4 + 2 * b_bar, abs=0.05) and top.effect.low > 0
    assert top.effect.half_width < top.interval.half_width / 10
    _, b1 = eff["b"]
    assert b1.effect.mean == pytest.approx(3 + a_bar, abs=0.05) and b1.effect.low > 0
    assert b1.effect.n == 6 and "paired" in b1.effect.method.lower()


def test_interaction_contrast_recovers_the_ab_term():
    """truth = 2a + 3b + ab: the contrast of cell (i, j) against the first levels is a_i * b_j
    exactly (a_0 = b_0 = 0); the common term cancels, so the interval is narrow and excludes 0."""
    runs = factorial_runs()
    grid = interaction(runs, FACTORS, "a", "b", "m", design="full_factorial")
    assert grid.contrasts[0][0] is None and grid.contrasts[1][0] is None and grid.contrasts[0][1] is None
    for i, a in enumerate(A_LEVELS[1:], start=1):
        c = grid.contrasts[i][1]
        assert c.mean == pytest.approx(a * B_LEVELS[1], abs=0.08) and c.low > 0
        assert c.half_width < grid.cells[i][1].half_width / 10
    additive = [SweepRun(r.point_id, r.replication, r.factors,
                         {"m": r.metrics["m"] - r.factors["a"] * r.factors["b"]}) for r in runs]
    flat = interaction(additive, FACTORS, "a", "b", "m", design="full_factorial")
    assert all(abs(flat.contrasts[i][1].mean) < 0.08 for i in (1, 2))


def test_one_at_a_time_effects_are_against_the_baseline():
    factors = [SweepFactor("a", (0, 1, 2), baseline=1), SweepFactor("b", (0, 1), baseline=0)]
    points = [{"a": 1, "b": 0}, {"a": 0, "b": 0}, {"a": 2, "b": 0}, {"a": 1, "b": 1}]
    runs = [SweepRun(f"p{k}", i, p, {"m": truth(p["a"], p["b"]) + 0.5 * i})
            for k, p in enumerate(points) for i in range(4)]
    eff = main_effects(runs, factors, "m", design="one_at_a_time")
    by_label = {lv.label: lv for lv in eff["a"]}
    assert by_label["1"].reference and not by_label["0"].reference
    assert by_label["2"].effect.mean == pytest.approx(truth(2, 0) - truth(1, 0))
    assert by_label["0"].effect.mean == pytest.approx(truth(0, 0) - truth(1, 0))
    assert eff["b"][1].effect.mean == pytest.approx(truth(1, 1) - truth(1, 0))


def test_main_effect_interval_covers_the_truth_at_the_nominal_rate(full_stats):
    """Replications are the independent unit: the interval over per-replication means covers the
    population level mean about 95% of the time. Treating a level's 4 x 4 runs as independent
    (they share c_i four by four) gives an interval about half as wide that covers far less often."""
    from mda_sim.analysis.stats import mean_ci

    n_sweeps = 1000 if full_stats else 300
    factors = [SweepFactor("a", (0, 1)), SweepFactor("b", (0, 1, 2, 3))]  # b has no effect
    covered = pooled_covered = 0
    for s in range(n_sweeps):
        rng = np.random.default_rng(5000 + s)
        c = rng.normal(0.0, COMMON_SD, 4)
        runs = [SweepRun(f"p{a}{b}", i, {"a": a, "b": b}, {"m": 2.0 * a + c[i] + rng.normal(0, 0.1)})
                for a in (0, 1) for b in range(4) for i in range(4)]
        lv = main_effects(runs, factors, "m", design="full_factorial")["a"][1]
        covered += lv.interval.contains(2.0)
        pooled_covered += mean_ci([r.metrics["m"] for r in runs if r.factors["a"] == 1]).contains(2.0)
    rate = covered / n_sweeps
    assert 0.90 <= rate <= 0.985, rate
    assert pooled_covered / n_sweeps < 0.85, pooled_covered / n_sweeps


# --- interactions -------------------------------------------------------------------------------


def test_interaction_cells_recover_the_known_response():
    runs = factorial_runs()
    grid = interaction(runs, FACTORS, "a", "b", "m", design="full_factorial")
    assert [g.label for g in grid.a_levels] == ["0", "1", "2"] and [g.label for g in grid.b_levels] == ["0", "1"]
    means = grid.means()
    assert means.shape == (3, 2)
    assert grid.n_points == ((1, 1), (1, 1), (1, 1))
    for (i, a), (j, b) in itertools.product(enumerate(A_LEVELS), enumerate(B_LEVELS)):
        assert means[i, j] - means[0, 0] == pytest.approx(truth(a, b), abs=0.06)
        assert grid.cells[i][j].n == 6
    # The a x b interaction contrast is the coefficient of ab times the level steps: 1 * 2 * 1.
    contrast = means[2, 1] - means[2, 0] - means[0, 1] + means[0, 0]
    assert contrast == pytest.approx(2.0, abs=0.08)


def test_interaction_refuses_one_at_a_time_and_bad_factors():
    runs = factorial_runs()
    with pytest.raises(ValueError, match="not estimable"):
        interaction(runs, FACTORS, "a", "b", "m", design="one_at_a_time")
    with pytest.raises(ValueError, match="'c' is not a factor"):
        interaction(runs, FACTORS, "a", "c", "m", design="full_factorial")
    with pytest.raises(ValueError, match="two different factors"):
        interaction(runs, FACTORS, "a", "a", "m", design="full_factorial")
    with pytest.raises(ValueError, match="design = 'grid'"):
        main_effects(runs, FACTORS, "m", design="grid")


# --- ranking ------------------------------------------------------------------------------------


def test_ranking_orders_points_and_flags_differences_from_the_best():
    runs = factorial_runs()
    rows = ranking(runs, "m", goal="max")
    expected = sorted(itertools.product(A_LEVELS, B_LEVELS), key=lambda ab: -truth(*ab))
    assert [r.point_id for r in rows] == [f"p{a}{b}" for a, b in expected]
    assert [r.rank for r in rows] == list(range(1, 7))
    best = rows[0]
    assert best.diff_from_best.mean == 0.0 and best.diff_from_best.half_width == 0.0
    assert not best.differs_from_best
    for r in rows[1:]:
        a, b = r.factors["a"], r.factors["b"]
        assert r.diff_from_best.mean == pytest.approx(truth(a, b) - truth(2, 1), abs=0.05)
        assert r.differs_from_best
    low = ranking(runs, "m", goal="min")
    assert low[0].point_id == "p00" and low[-1].point_id == "p21"
    with pytest.raises(ValueError, match="goal = 'best'"):
        ranking(runs, "m", goal="best")


def test_common_random_numbers_make_the_paired_interval_narrower_than_the_unpaired():
    runs = factorial_runs()
    rows = ranking(runs, "m")
    by_point = {pid: [r.metrics["m"] for r in runs if r.point_id == pid] for pid in ("p21", "p11")}
    unpaired = welch_diff_ci(by_point["p21"], by_point["p11"])
    paired = next(r for r in rows if r.point_id == "p11").diff_from_best
    assert paired.mean == pytest.approx(unpaired.mean, abs=1e-9)
    assert paired.half_width < unpaired.half_width / 10
    # With independent seeds (no CRN) the paired interval has no such advantage.
    rng = np.random.default_rng(3)
    indep = [SweepRun(r.point_id, r.replication, r.factors,
                      {"m": truth(r.factors["a"], r.factors["b"]) + rng.normal(0, COMMON_SD)}) for r in runs]
    paired_indep = next(r for r in ranking(indep, "m") if r.point_id == "p11").diff_from_best
    assert paired_indep.half_width > 5 * paired.half_width


@settings(max_examples=40, deadline=None)
@given(shift=st.lists(st.floats(-1e3, 1e3), min_size=5, max_size=5))
def test_a_shared_per_replication_shift_leaves_differences_unchanged(shift):
    """Common random numbers move every point of a replication together; paired differences, level
    differences and interaction contrasts must not see that."""
    base = factorial_runs(seed=11, reps=5)
    moved = [SweepRun(r.point_id, r.replication, r.factors, {"m": r.metrics["m"] + shift[r.replication]})
             for r in base]
    diff = {r.point_id: r.diff_from_best for r in ranking(base, "m")}
    for r in ranking(moved, "m"):
        assert r.diff_from_best.mean == pytest.approx(diff[r.point_id].mean, abs=1e-6)
        assert r.diff_from_best.half_width == pytest.approx(diff[r.point_id].half_width, abs=1e-6)
    for runs_a, runs_b in [(base, moved)]:
        ea = main_effects(runs_a, FACTORS, "m", design="full_factorial")["a"]
        eb = main_effects(runs_b, FACTORS, "m", design="full_factorial")["a"]
        assert (ea[2].interval.mean - ea[0].interval.mean) == pytest.approx(
            eb[2].interval.mean - eb[0].interval.mean, abs=1e-6)


# --- levels and bins ----------------------------------------------------------------------------


def _lhs_runs(n_points: int, reps: int, seed: int = 5) -> list[SweepRun]:
    rng = np.random.default_rng(seed)
    xs = (rng.permutation(n_points) + rng.random(n_points)) / n_points * 10.0
    c = rng.normal(0, 1.0, reps)
    return [SweepRun(f"q{k}", i, {"x": float(x), "mode": "fast" if k % 2 else "slow"},
                     {"m": 2.0 * x + c[i] + rng.normal(0, SMALL_SD)})
            for k, x in enumerate(xs) for i in range(reps)]


def test_latin_hypercube_ranges_are_binned_into_equal_count_ordered_bins():
    runs = _lhs_runs(23, 3)
    groups, group_of = level_groups(runs, SweepFactor("x"), max_levels=6)
    assert len(groups) == 6
    points = {r.point_id for r in runs}
    assert set(group_of) == points  # every point (so every run) in exactly one bin
    sizes = np.bincount(list(group_of.values()))
    assert sizes.sum() == 23 and sizes.max() - sizes.min() <= 1
    xs = {r.point_id: r.factors["x"] for r in runs}
    for j, g in enumerate(groups):
        members = [xs[p] for p, k in group_of.items() if k == j]
        assert g.bounds == (min(members), max(members))
        assert g.label == f"{min(members):.4g}–{max(members):.4g}"
        if j:
            assert groups[j - 1].bounds[1] < g.bounds[0]
    # Main effect of x over the bins: slope 2 recovered from the bin centres (c_i cancels).
    eff = main_effects(runs, [SweepFactor("x"), SweepFactor("mode", ("slow", "fast"))], "m",
                       design="latin_hypercube")
    assert len(eff["x"]) == 6
    offsets = [lv.interval.mean - 2.0 * lv.value for lv in eff["x"]]
    assert max(offsets) - min(offsets) < 0.05
    assert [lv.label for lv in eff["mode"]] == ["slow", "fast"]  # declared order, not sorted


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.integers(0, 30) | st.floats(0, 100, allow_nan=False), min_size=1, max_size=40),
       k=st.integers(1, 8))
def test_grouping_puts_every_point_in_one_ordered_group(values, k):
    runs = [SweepRun(f"p{i}", 0, {"x": v}, {"m": 0.0}) for i, v in enumerate(values)]
    groups, group_of = level_groups(runs, SweepFactor("x"), max_levels=k)
    assert set(group_of) == {f"p{i}" for i in range(len(values))}
    assert set(group_of.values()) == set(range(len(groups))) and len(groups) <= max(k, 1)
    # Ordered: every value of group j is below every value of group j + 1, equal values together.
    for i, vi in enumerate(values):
        for j, vj in enumerate(values):
            if float(vi) < float(vj):
                assert group_of[f"p{i}"] <= group_of[f"p{j}"]
            if float(vi) == float(vj):
                assert group_of[f"p{i}"] == group_of[f"p{j}"]
    distinct = {float(v) for v in values}
    if len(distinct) == len(values) and len(values) > k:
        sizes = np.bincount(list(group_of.values()))
        assert len(groups) == k and sizes.max() - sizes.min() <= 1


# --- one at a time ------------------------------------------------------------------------------


def _oat_runs(reps: int = 5) -> list[SweepRun]:
    rng = np.random.default_rng(9)
    c = rng.normal(0, COMMON_SD, reps)
    points = [(1, 0), (0, 0), (2, 0), (1, 1), (1, 2), (1, 3)]  # baseline a = 1, b = 0
    return [SweepRun(f"o{a}{b}", i, {"a": a, "b": b}, {"m": truth(a, b) + c[i] + rng.normal(0, SMALL_SD)})
            for a, b in points for i in range(reps)]


@pytest.mark.parametrize("declared", [True, False])
def test_one_at_a_time_reads_each_factor_with_the_others_at_baseline(declared):
    runs = _oat_runs()
    factors = [SweepFactor("a", A_LEVELS, 1 if declared else None),
               SweepFactor("b", (0, 1, 2, 3), 0 if declared else None)]
    eff = main_effects(runs, factors, "m", design="one_at_a_time")
    assert [lv.label for lv in eff["a"]] == ["0", "1", "2"] and [lv.n_points for lv in eff["a"]] == [1, 1, 1]
    assert [lv.label for lv in eff["b"]] == ["0", "1", "2", "3"] and all(lv.n_points == 1 for lv in eff["b"])
    base_a = eff["a"][1].interval.mean
    assert eff["b"][0].interval.mean == pytest.approx(base_a, abs=1e-12)  # the baseline point, in both
    for lv in eff["a"]:
        assert lv.interval.mean - base_a == pytest.approx(truth(lv.value, 0) - truth(1, 0), abs=0.05)
    for lv in eff["b"]:
        assert lv.interval.mean - base_a == pytest.approx(truth(1, lv.value) - truth(1, 0), abs=0.05)
    # Read as a crossed design, the a = 1 level would also average b = 1..3 in: a different answer.
    crossed = main_effects(runs, factors, "m", design="full_factorial")["a"]
    assert crossed[1].n_points == 4 and abs(crossed[1].interval.mean - base_a) > 1.0


# --- missing values, per-point intervals, text ----------------------------------------------------


def test_missing_and_nan_metrics_are_left_out():
    runs = factorial_runs(reps=4)
    edited = []
    for r in runs:
        metrics = dict(r.metrics)
        if r.point_id == "p00":
            metrics["m"] = None  # never measured at this point
        if r.point_id == "p10" and r.replication == 2:
            metrics.pop("m")  # one replication lacks it
        if r.point_id == "p11" and r.replication == 3:
            metrics["m"] = float("nan")
        edited.append(SweepRun(r.point_id, r.replication, r.factors, metrics))
    iv = point_intervals(edited)
    assert metric_names(edited) == ["m", "k"]
    assert iv["p00"]["m"].n == 0 and math.isnan(iv["p00"]["m"].mean)
    assert iv["p10"]["m"].n == 3 and iv["p11"]["m"].n == 3 and iv["p21"]["m"].n == 4
    assert iv["p00"]["k"].mean == 1.0 and iv["p00"]["k"].half_width == 0.0
    rows = ranking(edited, "m")
    assert rows[-1].point_id == "p00" and not rows[-1].differs_from_best
    assert math.isnan(rows[-1].interval.mean) and math.isnan(rows[-1].diff_from_best.mean)
    assert next(r for r in rows if r.point_id == "p10").diff_from_best.n == 3  # complete pairs only
    eff = main_effects(edited, FACTORS, "m", design="full_factorial")
    assert eff["a"][0].interval.n == 4 and math.isfinite(eff["a"][0].interval.mean)
    # Level a = 0 now holds only p01: its mean is p01's, not dragged towards p00's missing values.
    assert eff["a"][0].interval.mean == pytest.approx(iv["p01"]["m"].mean, abs=1e-12)


def test_point_intervals_and_metric_selection():
    runs = factorial_runs(reps=5)
    iv = point_intervals(runs, 0.9, metrics=["m"])
    assert list(iv) == [f"p{a}{b}" for a, b in itertools.product(A_LEVELS, B_LEVELS)]
    vals = [r.metrics["m"] for r in runs if r.point_id == "p21"]
    assert iv["p21"]["m"].mean == pytest.approx(np.mean(vals)) and set(iv["p21"]) == {"m"}
    assert "90%" in iv["p21"]["m"].method
    assert select_metrics(["n_outcome_seized", "frac_detected", "n_illicit"], ["n_outcome_*"]) == [
        "n_outcome_seized"]
    assert select_metrics(["a", "b"], ["*"]) == ["a", "b"] and select_metrics(["a"], None) == ["a"]


def test_sweep_text_and_summary():
    runs = factorial_runs()
    text = sweep_text(runs, FACTORS, "m", design="full_factorial", n_failed=2)
    assert "6 design points (full_factorial), 6 replications, 36 runs ok, 2 failed" in text
    ranking_part = text.split("Ranking on m")[1].split("Main effects")[0]
    first_row = ranking_part.splitlines()[3]
    assert first_row.split()[:2] == ["1", "p21"]
    assert "factor a" in text and "factor b" in text and "paired t" in text
    summary = sweep_summary(runs, FACTORS, "m", design="full_factorial")
    again = json.loads(json.dumps(summary, allow_nan=False))
    assert again["ranking"][0]["point_id"] == "p21"
    assert [lv["label"] for lv in again["main_effects"]["a"]] == ["0", "1", "2"]
    assert len(again["points"]) == 6 and set(again["points"][0]["metrics"]) == {"m", "k"}
