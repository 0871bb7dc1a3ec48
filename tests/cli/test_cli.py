"""The command line as a user runs it: exit codes, located messages, the generated reference."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mda_sim.cli import main
from mda_sim.scenario.reference import schema_reference

from ..scenario.conftest import VALID_SCENARIO, line_of

ROOT = Path(__file__).resolve().parents[2]


def test_reference_page_is_in_step_with_the_code():
    page = ROOT / "docs" / "scenario-reference.md"
    assert page.read_text(encoding="utf-8") == schema_reference(), (
        "docs/scenario-reference.md is stale: run `mda-sim schema -o docs/scenario-reference.md`"
    )


def test_reference_documents_every_section():
    text = schema_reference()
    for section in ("## ScenarioSpec", "## RunSettings", "## TreatyParty", "## BilateralAgreement",
                    "## IllicitFlow", "## AssetType", "## SensorType", "## VesselType", "## Objective"):
        assert section in text
    assert "`art16_boarding`" in text and "`speed_kn`" in text


def test_validate_ok_prints_summary(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(VALID_SCENARIO)
    assert main(["validate", str(path), "--no-geography"]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "1 groups, 2 hulls/airframes" in out and "1 illicit generators (~4 voyages" in out


def test_validate_bad_file_exit_1_with_located_lines(tmp_path, capsys):
    text = VALID_SCENARIO.replace("count: 2", "count: -3").replace("kind: police_marine", "kind: polise_marine")
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    assert main(["validate", str(path), "--no-geography"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line_of(text, 'count: -3')}: assets[0].count: -3" in err
    assert f"{path}:{line_of(text, 'polise_marine')}: partners[0].kind:" in err
    assert "did you mean 'police_marine'" in err
    assert "Traceback" not in err


def test_console_script_runs_without_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "mda_sim", "validate", str(tmp_path / "missing.yaml")],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1
    assert "file not found" in proc.stderr and "Traceback" not in proc.stderr


def test_set_override_on_command_line(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(VALID_SCENARIO)
    assert main(["validate", str(path), "--no-geography", "--set", "run.seed=123"]) == 0
    assert "seed 123" in capsys.readouterr().out
    assert main(["validate", str(path), "--no-geography", "--set", "run.seed=-4"]) == 1
    assert "--set run.seed=-4: run.seed: -4" in capsys.readouterr().err
