"""Radar horizon on a 4/3 earth: reference §2.4 worked values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mda_sim.sensing.horizon import (
    footprint_range_nm,
    horizon_constant_m_per_sqrt_m,
    radar_horizon_nm,
)
from mda_sim.units import KM_PER_NM, M_PER_FT


def test_constant():
    assert horizon_constant_m_per_sqrt_m() == pytest.approx(4121.8, abs=0.05)


@pytest.mark.parametrize(
    ("h1", "h2", "km", "nm"),
    [(30.0, 3.0, 29.72, 16.04), (500.0, 3.0, 99.31, 53.62), (10.0, 1.0, 17.16, 9.26)],
)
def test_reference_table(h1, h2, km, nm):
    d = float(radar_horizon_nm(h1, h2))
    assert d == pytest.approx(nm, abs=0.005)
    assert d * KM_PER_NM == pytest.approx(km, abs=0.005)


def test_rules_of_thumb():
    # d_km = 4.122 (sqrt h1 + sqrt h2) [m]; d_nm = 2.23 (..) [m] = 1.23 (..) [ft], within rounding
    assert float(radar_horizon_nm(1.0)) * KM_PER_NM == pytest.approx(4.122, abs=5e-4)
    assert float(radar_horizon_nm(1.0)) == pytest.approx(2.23, rel=2e-3)
    assert float(radar_horizon_nm(M_PER_FT)) == pytest.approx(1.23, rel=3e-3)


def test_vectorised_geometric_and_gate():
    h = np.array([30.0, 500.0])
    np.testing.assert_allclose(radar_horizon_nm(h, 3.0), [16.045, 53.621], atol=1e-3)
    geometric = float(radar_horizon_nm(30.0, 0.0, k=1.0))
    assert geometric == pytest.approx(math.sqrt(2 * 6371e3 * 30.0) / 1852.0)
    np.testing.assert_allclose(
        footprint_range_nm([24.0, 10.0], 30.0, 3.0), [16.045, 10.0], atol=1e-3
    )


def test_bad_height_names_value():
    with pytest.raises(ValueError, match="-2"):
        radar_horizon_nm(-2.0)
