"""Replications and paired comparison through the real engine (small scenario, short runs)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from mda_sim.cli.main import main
from mda_sim.study import compare, replication_seed, run_replications

ROOT = Path(__file__).resolve().parents[2]
MONA = ROOT / "scenarios" / "mona_passage_small.yaml"
SHORT = ["run.duration_h=24"]


def test_replication_seeds_are_derived_from_the_base_seed_only():
    seeds = [replication_seed(20260301, i) for i in range(5)]
    assert len(set(seeds)) == 5 and all(0 <= s < 2**63 for s in seeds)
    assert seeds == [replication_seed(20260301, i) for i in range(5)]  # no hidden state
    assert replication_seed(20260302, 0) != seeds[0]
    with pytest.raises(ValueError, match="must be >= 0"):
        replication_seed(-1, 0)


def test_workers_do_not_change_results_and_outputs_load(tmp_path):
    one = run_replications(MONA, tmp_path / "one", 3, overrides=SHORT, workers=1)
    two = run_replications(MONA, tmp_path / "two", 3, overrides=SHORT, workers=2)
    assert one.seeds == two.seeds
    for a, b in zip(one.metrics, two.metrics, strict=True):
        assert a.keys() == b.keys()
        assert all(a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)
    for i in range(3):  # same seed, same bytes, whichever process ran it
        assert (tmp_path / "one" / f"rep-{i:04d}" / "events.jsonl").read_bytes() == \
               (tmp_path / "two" / f"rep-{i:04d}" / "events.jsonl").read_bytes()
    # different replications differ
    assert (tmp_path / "one" / "rep-0000" / "events.jsonl").read_bytes() != \
           (tmp_path / "one" / "rep-0001" / "events.jsonl").read_bytes()
    with open(tmp_path / "one" / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["seed"]) for r in rows] == one.seeds
    assert float(rows[0]["n_illicit"]) == one.metrics[0]["n_illicit"]
    summary = json.loads((tmp_path / "one" / "summary.json").read_text(), parse_constant=_reject)
    iv = summary["metrics"]["n_illicit"]
    assert iv["n"] == 3 and "Student t" in iv["method"]
    assert iv["low"] <= iv["mean"] <= iv["high"]


def _reject(name):
    raise AssertionError(f"summary.json holds {name}: not strict JSON")


def test_paired_interval_is_narrower_than_unpaired_for_one_more_cutter(tmp_path):
    """One more FRC changes little; with common random numbers the paired-t half width of the
    difference in time to first detection is smaller than the unpaired (Welch) one."""
    excursion = tmp_path / "one_more_cutter.yaml"
    excursion.write_text(f"extends: {MONA}\nassets:\n  - {{id: uscg_frc, count: 2}}\n", encoding="utf-8")
    comp = compare(MONA, excursion, tmp_path / "cmp", 6, overrides=["run.duration_h=48"], workers=2)
    key = "mean_time_to_detect_h"
    p, u = comp.paired[key], comp.unpaired[key]
    assert math.isfinite(u.half_width) and u.half_width > 0
    assert p.half_width < u.half_width
    assert comp.base.seeds == comp.excursion.seeds
    assert "paired" in (tmp_path / "cmp" / "comparison.txt").read_text()


def test_cli_replications_print_intervals(tmp_path, capsys):
    status = main(["run", str(MONA), "--set", "run.duration_h=12", "--replications", "2",
                   "--out", str(tmp_path / "r"), "--no-progress"])
    assert status == 0
    out = capsys.readouterr().out
    assert "Student-t intervals" in out and "frac_detected" in out
    assert (tmp_path / "r" / "rep-0001" / "manifest.json").exists()
