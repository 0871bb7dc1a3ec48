"""`mda-sim report SWEEP_DIR`: the sweep page, built from a sweep directory made by hand.

The directory follows the sweep layout (``sweep.json`` + a real :class:`ResultsStore`) with
synthetic metrics of known effects -- ``disruption_rate`` grows with the cutter count and the
smugglers' speed, with an interaction -- plus a shared per-replication term (common random numbers),
a metric missing in some runs and one failed run whose error holds markup.
"""

from __future__ import annotations

import base64
import csv
import html
import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from markupsafe import escape

from mda_sim.analysis.sweep import SweepRun, ranking
from mda_sim.cli import main
from mda_sim.report.html import ReportError, write_report
from mda_sim.report.sweep import SWEEP_SECTIONS
from mda_sim.study.designs import Factor, design_point_id, make_design
from mda_sim.study.results import is_sweep_dir, read_sweep, write_sweep_analysis
from mda_sim.study.store import ResultsStore
from tests.report.test_html_report import check_page

COUNT = "assets.uscg_frc.count"
SPEED = "traffic.illicit[0].speed_kn.low"
MODE = "command.mode"
FACTORS = [
    {"path": COUNT, "levels": [1, 2, 3], "low": None, "high": None, "n_levels": None, "integer": False,
     "baseline": None},
    {"path": SPEED, "levels": None, "low": 30.0, "high": 50.0, "n_levels": 3, "integer": False, "baseline": None},
    {"path": MODE, "levels": ["central", "local"], "low": None, "high": None, "n_levels": None,
     "integer": False, "baseline": None},
]
REPS = 4
ERROR = 'ValueError: speed_kn <0 & "fast" <script>alert(1)</script>'


def rate(count: float, speed: float, mode: str) -> float:
    return 0.1 * count + 0.01 * (speed - 30.0) + 0.002 * count * (speed - 30.0) + (0.05 if mode == "local" else 0)


def make_sweep_dir(out: Path, design: str = "full_factorial", *, params=None, factors=FACTORS,
                   fail: bool = True, all_fail: bool = False) -> Path:
    """Write sweep.json and results.sqlite as the sweep driver does."""
    specs = [Factor(f["path"], levels=None if f["levels"] is None else tuple(f["levels"]), low=f["low"],
                    high=f["high"], n_levels=f["n_levels"]) for f in factors]
    points = make_design(design, specs, **(params or {}))
    seeds = [1000 + 17 * i for i in range(REPS)]
    info = {"format": 1, "name": "three-factors <test>", "sweep_file": "configs/test_sweep.yaml",
            "scenario": "scenarios/eastern_caribbean.yaml", "scenario_sha256": "ab" * 32,
            "overrides": ["run.duration_h=240"], "design": {"name": design, "params": params or {}},
            "factors": factors, "points": [{"point_id": design_point_id(p), "factors": p} for p in points],
            "replications": REPS, "base_seed": 20260101, "seeds": seeds,
            "metrics": ["disruption_rate", "frac_detected", "mean_time_to_detect_h", "n_outcome_*"],
            "rank_by": {"metric": "disruption_rate", "goal": "max"}, "confidence": 0.95, "duration_h": None}
    out.mkdir(parents=True)
    (out / "sweep.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    rng = np.random.default_rng(4)
    common = rng.normal(0.0, 0.05, REPS)
    with ResultsStore(out / "results.sqlite") as store:
        for k, (p, i) in enumerate(itertools.product(points, range(REPS))):
            pid = design_point_id(p)
            if all_fail or (fail and k == 5):
                store.record_failed(pid, i, seeds[i], p, ERROR if k == 5 else "RuntimeError: boom")
                continue
            r = rate(p[COUNT], p[SPEED], p.get(MODE, "central")) + common[i] + rng.normal(0, 0.002)
            store.record_ok(pid, i, seeds[i], p, {
                "disruption_rate": r, "frac_detected": 0.5 + 0.1 * p[COUNT] + common[i],
                "mean_time_to_detect_h": None if i == 0 else 10.0 - p[COUNT] + rng.normal(0, 0.1),
                "n_outcome_seized": int(3 * p[COUNT]) + i, "not_kept": 1.0}, "0.test", "ab" * 32, 0.1)
    return out


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    return make_sweep_dir(tmp_path_factory.mktemp("sweep") / "ff")


@pytest.fixture(scope="module")
def sweep_report(sweep_dir):
    return write_report(sweep_dir, dpi=60)


def check_sweep_page(path: Path, *, min_images: int):
    """The structural checks of the run report, for the sweep page's sections."""
    page = check_page(path, min_images=min_images, sections=SWEEP_SECTIONS)
    return path.read_text(encoding="utf-8"), page


def _section(text: str, sid: str) -> str:
    return text.split(f'<section id="{sid}">', 1)[1].split("</section>", 1)[0]


def test_reader_turns_the_directory_into_runs_and_failures(sweep_dir):
    res = read_sweep(sweep_dir)
    assert is_sweep_dir(sweep_dir) and not is_sweep_dir(sweep_dir / "nowhere")
    assert res.design == "full_factorial" and len(res.points) == 18 and res.replications == REPS
    assert [f.path for f in res.factors] == [COUNT, SPEED, MODE]
    assert res.factors[1].values == (30.0, 40.0, 50.0)
    assert len(res.runs) == 18 * REPS - 1 and len(res.failed) == 1 and res.failed[0].error == ERROR
    assert res.metrics == ("disruption_rate", "frac_detected", "mean_time_to_detect_h", "n_outcome_seized")
    assert res.rank_metric == "disruption_rate" and res.goal == "max"
    run = next(r for r in res.runs if r.replication == 0)
    assert run.value("mean_time_to_detect_h") != run.value("mean_time_to_detect_h")  # None -> NaN


def test_sweep_report_is_a_self_contained_page_with_every_section(sweep_report, sweep_dir):
    assert sweep_report.kind == "sweep" and sweep_report.html == sweep_dir / "report.html"
    text, page = check_sweep_page(sweep_report.html, min_images=4)
    assert set(sweep_report.figures) == {"effects", "effect-sizes", "effects-frac_detected", "interactions",
                                         "heatmap"}
    written = {base64.b64encode(p.read_bytes()).decode() for p in sweep_report.figures.values()}
    assert {uri.split(",", 1)[1] for uri in page.images} == written
    assert not list(sweep_dir.glob(".*.partial"))
    # Header facts.
    assert html.escape("three-factors <test>") in text and "three-factors <test>" not in text
    for fact in ("full_factorial", "scenarios/eastern_caribbean.yaml", "20260101", "71 ok, 1 failed, of 72",
                 "disruption_rate (max is better)"):
        assert fact in text, fact
    # Same look as the run report: every rule of its style sheet is in this page's.
    shared = (Path(__file__).resolve().parents[2] / "src/mda_sim/report/templates/_style.css.j2").read_text()
    assert len(shared) > 500 and shared.strip() in page.style


def test_ranking_table_lists_points_best_first(sweep_report, sweep_dir):
    text = sweep_report.html.read_text(encoding="utf-8")
    rows = re.findall(r'<tr(?: class="best")?><td class="num">(\d+)</td><td><code>([0-9a-f]{12})</code></td>',
                      _section(text, "ranking"))
    res = read_sweep(sweep_dir)
    expected = [r.point_id for r in ranking(res.runs, "disruption_rate")]
    assert [pid for _, pid in rows] == expected and [int(k) for k, _ in rows] == list(range(1, 19))
    best = dict(res.points)[expected[0]]
    assert (best[COUNT], best[SPEED], best[MODE]) == (3, 50.0, "local")  # the known optimum
    worst = dict(res.points)[expected[-1]]
    assert (worst[COUNT], worst[SPEED], worst[MODE]) == (1, 30.0, "central")
    assert _section(text, "ranking").count(">yes</td>") == 17  # CRN: every other point differs


def test_effects_points_and_failed_sections(sweep_report, sweep_dir):
    text = sweep_report.html.read_text(encoding="utf-8")
    effects = _section(text, "effects")
    for path in (COUNT, SPEED, MODE):
        assert f"<h3>{html.escape(path)}</h3>" in effects
    points = _section(text, "points")
    for m in ("disruption_rate", "frac_detected", "mean_time_to_detect_h", "n_outcome_seized"):
        assert f"<th>{m}</th>" in points
    assert "not_kept" not in text
    for pid, _ in read_sweep(sweep_dir).points:
        assert f"<code>{pid}</code>" in points
    assert points.count("&plusmn;") >= 18 * 4
    failed = _section(text, "failed")
    assert str(escape(ERROR)) in failed  # as Jinja2 autoescapes it
    assert "<script>alert" not in text
    interactions = _section(text, "interactions")
    assert "Two-factor" in text and f"{html.escape(COUNT)} × {html.escape(SPEED)}" in interactions
    # every non-reference cell of every drawn pair has its contrast row
    assert "Interaction contrasts" in interactions
    assert interactions.count("<tr><td>") >= 1
    assert "reference level" in effects and "effect low" in effects


def test_cli_report_on_a_sweep_dir(sweep_dir, tmp_path, capsys):
    out = tmp_path / "copy"
    assert main(["report", str(sweep_dir), "-o", str(out), "--dpi", "50"]) == 0
    assert "sweep report written" in capsys.readouterr().out
    check_sweep_page(out / "report.html", min_images=4)
    assert main(["report", str(sweep_dir), "--dpi", "50"]) == 0


def test_one_at_a_time_sweep_has_no_interactions(tmp_path):
    d = make_sweep_dir(tmp_path / "oat", "one_at_a_time", fail=False)
    report = write_report(d, dpi=50)
    text, _ = check_sweep_page(report.html, min_images=1)
    assert set(report.figures) == {"effects", "effect-sizes", "effects-frac_detected"}
    assert "not estimable" in _section(text, "interactions") and "not estimable" in _section(text, "heatmap")
    assert "other factors at baseline" in text or "every other factor at its baseline" in text
    # COUNT's effect is read at SPEED = 40 and MODE = central only (3 points, one per level).
    effects = _section(text, "effects").split(f"<h3>{html.escape(COUNT)}</h3>", 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<tr><td>(\d)</td><td class=\"num\">(\d+)</td>", effects) == [("1", "1"), ("2", "1"),
                                                                                     ("3", "1")]


def test_latin_hypercube_sweep_bins_its_ranges(tmp_path):
    factors = [{**FACTORS[0], "levels": None, "low": 1, "high": 3, "n_levels": None},
               {**FACTORS[1], "n_levels": None}]
    factors[0]["low"], factors[0]["high"] = 1.0, 3.0
    d = make_sweep_dir(tmp_path / "lhs", "latin_hypercube", params={"n_points": 14, "seed": 3}, factors=factors)
    report = write_report(d, dpi=50)
    text, _ = check_sweep_page(report.html, min_images=4)
    effects = _section(text, "effects").split(f"<h3>{html.escape(SPEED)}</h3>", 1)[1].split("</table>", 1)[0]
    bins = re.findall(r"<tr><td>([\d.]+–[\d.]+)</td><td class=\"num\">(\d+)</td>", effects)
    assert len(bins) == 6 and sorted(int(n) for _, n in bins) == [2, 2, 2, 2, 3, 3]


def test_a_sweep_without_finished_runs_still_reports(tmp_path):
    d = make_sweep_dir(tmp_path / "dead", all_fail=True)
    report = write_report(d, dpi=50)
    text, _ = check_sweep_page(report.html, min_images=0)
    assert report.figures == {} and "nothing to analyse yet" in text
    assert _section(text, "failed").count("<tr><td><code>") == 18 * REPS


def test_a_broken_sweep_json_is_a_report_error(tmp_path):
    d = make_sweep_dir(tmp_path / "broken", fail=False)
    (d / "sweep.json").write_text(json.dumps({"design": {"name": "full_factorial"},
                                              "factors": [{"path": COUNT, "levels": []}]}))
    with pytest.raises(ReportError, match="sweep.json: not a resolved sweep"):
        write_report(d)


def test_write_sweep_analysis_writes_points_and_summaries(sweep_dir, tmp_path):
    import shutil

    d = tmp_path / "copy"
    shutil.copytree(sweep_dir, d)
    written = write_sweep_analysis(d)
    assert set(written) == {"points.csv", "summary.txt", "summary.json"}
    rows = list(csv.DictReader((d / "points.csv").open(encoding="utf-8")))
    assert len(rows) == 18 and rows[0]["point_id"] == read_sweep(d).points[0][0]
    assert {"factor:" + COUNT, "runs_ok", "disruption_rate", "disruption_rate:half_width"} <= set(rows[0])
    assert sorted(int(r["runs_ok"]) for r in rows) == [REPS - 1] + [REPS] * 17  # the failed run's point
    summary = json.loads((d / "summary.json").read_text())
    assert summary["runs_failed"] == 1 and summary["ranking"][0]["rank"] == 1
    assert "Ranking on disruption_rate" in (d / "summary.txt").read_text()
    # The report then shows the summary.txt it finds.
    assert "Ranking on disruption_rate" in write_report(d, dpi=40).html.read_text()


def test_sweep_runs_feed_the_pure_analysis(sweep_dir):
    """The reader's runs are plain SweepRun values the analysis takes as they are."""
    res = read_sweep(sweep_dir)
    assert all(isinstance(r, SweepRun) for r in res.runs)
    assert {r.replication for r in res.runs} == set(range(REPS))
