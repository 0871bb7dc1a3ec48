"""The package docstring's example runs (pytest does not collect doctests in this project)."""

import doctest

import mda_sim.rules


def test_package_doctest():
    result = doctest.testmod(mda_sim.rules)
    assert result.attempted > 0 and result.failed == 0
