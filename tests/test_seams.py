"""The seams of DESIGN.md §2: pure modules import neither simpy nor matplotlib.

Each check runs in a fresh interpreter, so modules already imported by other tests cannot hide
(or fake) a violation.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE_PACKAGES = [
    "mda_sim.scenario",
    "mda_sim.scenario.loader",
    "mda_sim.geography",
    "mda_sim.kinematics",
    "mda_sim.sensing",
    "mda_sim.theory",
    "mda_sim.environment",
    "mda_sim.eventlog",
    "mda_sim.picture",
    "mda_sim.analysis",
    "mda_sim.analysis.outcomes",
    "mda_sim.assets.patterns",
    "mda_sim.assets.search",
    "mda_sim.rules",
    "mda_sim.command",
]
FORBIDDEN = ("simpy", "matplotlib")


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_package_imports_neither_simpy_nor_matplotlib(package):
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for m in pkgutil.walk_packages(getattr(pkg, '__path__', []), pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        f"bad = sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{package} pulls in {out.stdout.strip()}"


def test_the_check_can_fail():
    """The report package does import matplotlib: the same probe must see it."""
    code = "import sys, mda_sim.report.maps; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
