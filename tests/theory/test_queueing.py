"""Queueing references: reference §2.9 worked values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mda_sim.theory.queueing import (
    erlang_a_abandon_probability,
    erlang_b,
    erlang_c,
    littles_law_number,
    mmc_mean_wait_h,
)


def test_erlang_b_anchor_and_table():
    assert float(erlang_b(30, 25.0)) == pytest.approx(0.0526, abs=1e-4)
    a = 0.25 * 12.0
    assert a == 3.0
    expected = {1: 0.750, 2: 0.5294, 4: 0.2061, 5: 0.1101}
    for c, b in expected.items():
        assert float(erlang_b(c, a)) == pytest.approx(b, abs=1e-4)
    assert 1 - float(erlang_b(2, a)) == pytest.approx(0.4706, abs=1e-4)


def test_erlang_b_matches_factorial_formula_and_is_stable():
    for c in (0, 1, 3, 10, 50):
        for a in (0.1, 2.0, 17.5):
            direct = (a**c / math.factorial(c)) / sum(
                a**k / math.factorial(k) for k in range(c + 1)
            )
            assert float(erlang_b(c, a)) == pytest.approx(direct, rel=1e-12)
    big = erlang_b(2000, np.array([1500.0, 2500.0]))  # a^c/c! overflows; the recursion does not
    assert np.all(np.isfinite(big)) and big[0] < 1e-3 < big[1] < 1
    assert float(erlang_b(0, 4.0)) == 1.0
    with pytest.raises(ValueError, match="servers"):
        erlang_b(-1, 2.0)


def test_erlang_c_and_mmc_wait():
    # M/M/1: C = rho, Wq = rho / (mu - lambda)
    assert float(erlang_c(1, 0.6)) == pytest.approx(0.6)
    assert float(mmc_mean_wait_h(1, 0.6, 1.0)) == pytest.approx(0.6 / 0.4)
    assert float(erlang_c(2, 3.0)) == 1.0 and np.isinf(mmc_mean_wait_h(2, 0.25, 1 / 12))


def test_erlang_a_reference_value_and_limit():
    p = erlang_a_abandon_probability(2, 0.25, 1 / 12, 1 / 6)
    assert p == pytest.approx(0.4487, abs=1e-4)
    # theta -> inf: everyone who would wait leaves at once, i.e. Erlang B
    assert erlang_a_abandon_probability(2, 0.25, 1 / 12, 1e6) == pytest.approx(
        float(erlang_b(2, 3.0)), abs=1e-4
    )


def test_littles_law():
    # 48-72 shipments a month (1.6-2.4 a day), 2-4 at sea -> mean transit 0.8-2.5 days
    assert float(littles_law_number(1.6, 2.5)) == pytest.approx(4.0)
    assert 2.0 / 2.4 == pytest.approx(0.83, abs=0.01)
