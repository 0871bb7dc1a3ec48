"""The command line as a user runs it: exit codes, located messages, the generated reference."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


# --- a closed pipe on standard output (``mda-sim validate x.yaml | head -1``) ------------------


def _run_into_closed_pipe(args, *, unbuffered: bool, read_first_line: bool):
    """Run ``python -m mda_sim ARGS`` with stdout a real pipe that the reader closes early."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mda_sim", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
    )
    first = proc.stdout.readline() if read_first_line else b""
    proc.stdout.close()  # like `head -1` exiting: later writes get EPIPE
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return proc.wait(timeout=120), first.decode(), err


@pytest.mark.parametrize("unbuffered", [True, False], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize(
    "args",
    [
        ["validate", "scenarios/eastern_caribbean.yaml", "--no-geography"],
        ["schema"],
        ["--help"],
    ],
    ids=["validate", "schema", "help"],
)
def test_closed_stdout_pipe_is_not_a_traceback(args, unbuffered):
    # Closed before the first write: every write fails, whatever the buffering (deterministic).
    status, _, err = _run_into_closed_pipe(args, unbuffered=unbuffered, read_first_line=False)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    if args != ["--help"]:  # (argparse itself ignores a failed write of the help text)
        assert status == 141  # 128 + SIGPIPE: the output was cut short, not a success


def test_head_dash_1_of_validate():
    """``mda-sim validate ... | head -1``: the first line arrives, nothing is said on stderr."""
    status, first, err = _run_into_closed_pipe(
        ["validate", "scenarios/eastern_caribbean.yaml"], unbuffered=True, read_first_line=True
    )
    assert first.strip() == "scenarios/eastern_caribbean.yaml: valid"
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert status in (0, 141)  # 141 if the summary was written after the pipe closed
