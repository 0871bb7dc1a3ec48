"""`mda-sim run`: the run directory, byte-identical logs for one seed, different logs for another."""

from __future__ import annotations

import json
from pathlib import Path

from mda_sim.cli import main
from mda_sim.eventlog import read_events

SMALL = Path(__file__).resolve().parents[2] / "scenarios" / "mona_passage_small.yaml"


def test_run_writes_a_complete_reproducible_directory(tmp_path, capsys):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert main(["run", str(SMALL), "--out", str(a), "--no-progress"]) == 0
    assert "mona_yola" in capsys.readouterr().out
    assert main(["run", str(SMALL), "--out", str(b), "--no-progress"]) == 0
    assert main(["run", str(SMALL), "--out", str(c), "--seed", "99", "--no-progress"]) == 0
    assert sorted(p.name for p in a.iterdir()) == ["assets.csv", "events.jsonl", "manifest.json", "metrics.csv",
                                                   "scenario.json", "summary.json", "summary.txt", "voyages.csv"]
    assert (a / "events.jsonl").read_bytes() == (b / "events.jsonl").read_bytes()
    assert (a / "events.jsonl").read_bytes() != (c / "events.jsonl").read_bytes()
    manifest = json.loads((a / "manifest.json").read_text())
    assert manifest["seed"] == 20260302 and manifest["events"] == len(list(read_events(a / "events.jsonl")))
    assert json.loads((c / "manifest.json").read_text())["seed"] == 99


def test_duration_and_set_overrides_reach_the_run(tmp_path):
    out = tmp_path / "short"
    assert main(["run", str(SMALL), "--out", str(out), "--duration", "6", "--no-progress",
                 "--set", "traffic.illicit.mona_yolas.departures.rate_per_day=24"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["duration_h"] == 6.0 and manifest["overrides"]
    assert all(e.t_h <= 6.0 for e in read_events(out / "events.jsonl"))


def test_progress_bar_does_not_change_the_log(tmp_path):
    from mda_sim.engine.run import run_scenario
    from mda_sim.scenario.loader import load_scenario

    scenario = load_scenario(SMALL)
    quiet = run_scenario(scenario, tmp_path / "q", progress=False)
    loud = run_scenario(scenario, tmp_path / "l", progress=True)
    assert quiet.manifest["events_sha256"] == loud.manifest["events_sha256"]


def test_log_does_not_depend_on_the_interpreters_hash_seed(tmp_path):
    """Same scenario and seed in two fresh interpreters with different string-hash seeds give the
    same bytes (no iteration over a set of strings decides the order of events)."""
    import os
    import subprocess
    import sys

    outs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"h{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        code = "import sys; from mda_sim.cli import main; sys.exit(main(sys.argv[1:]))"
        subprocess.run([sys.executable, "-c", code, "run", str(SMALL), "--seed", "5",
                        "--duration", "48", "--out", str(out), "--no-progress"], env=env, check=True,
                       capture_output=True)
        outs.append((out / "events.jsonl").read_bytes())
    assert outs[0] == outs[1] and len(outs[0]) > 1000


def test_run_directory_tables_load_and_agree_with_the_log(tmp_path):
    """voyages.csv has one row per departure, assets.csv one per asset, and metrics.csv and
    summary.json carry the same metrics (strict JSON: NaN written as null)."""
    import csv
    import json
    import math

    from mda_sim.eventlog import read_events

    out = tmp_path / "run"
    assert main(["run", str(SMALL), "--out", str(out), "--no-progress"]) == 0
    events = list(read_events(out / "events.jsonl"))
    with open(out / "voyages.csv", newline="") as f:
        voyages = list(csv.DictReader(f))
    assert sorted(r["vessel"] for r in voyages) == sorted(e.vessel for e in events if e.kind == "vessel_departed")
    with open(out / "assets.csv", newline="") as f:
        assets = {r["asset"] for r in csv.DictReader(f)}
    assert {e.asset for e in events if e.kind == "asset_state"} <= assets
    with open(out / "metrics.csv", newline="") as f:
        metrics = {r["metric"]: float(r["value"]) for r in csv.DictReader(f)}
    summary = json.loads((out / "summary.json").read_text(), parse_constant=lambda c: 1 / 0)
    assert metrics.keys() == summary["metrics"].keys()
    for k, v in metrics.items():
        assert (summary["metrics"][k] is None) if math.isnan(v) else summary["metrics"][k] == v
