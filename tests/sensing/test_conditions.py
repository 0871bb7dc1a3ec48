"""Sea state, weather, fatigue and day/night factors (reference §2.3 Table D-1)."""

from __future__ import annotations

import numpy as np
import pytest

from mda_sim.sensing.conditions import (
    FATIGUE_FACTOR,
    day_night_factor,
    sea_state_factor,
    seas_ft_for_sea_state,
    weather_factor,
)
from mda_sim.sensing.laws import DefiniteRange, Glimpse, InverseCube


def test_table_d1():
    assert float(weather_factor("small_craft")) == 1.0
    assert float(weather_factor("small_craft", wind_kn=16.0)) == 0.5
    assert float(weather_factor("small_craft", seas_ft=2.5)) == 0.5
    assert float(weather_factor("small_craft", wind_kn=26.0)) == 0.25
    assert float(weather_factor("small_craft", seas_ft=5.0)) == 0.25
    assert float(weather_factor("other", wind_kn=30.0)) == 0.9
    assert FATIGUE_FACTOR == 0.9
    with pytest.raises(ValueError, match="target class 'yacht' unknown"):
        weather_factor("yacht")


def test_sea_state_mapping():
    np.testing.assert_allclose(seas_ft_for_sea_state([2, 3, 4]), [0.98, 2.87, 6.15], atol=0.01)
    np.testing.assert_allclose(sea_state_factor("small_craft", [1, 2, 3, 4]), [1, 1, 0.5, 0.25])
    with pytest.raises(ValueError, match="0-9"):
        seas_ft_for_sea_state(12)


def test_day_night_factor():
    np.testing.assert_allclose(day_night_factor([True, False], 0.3), [0.3, 1.0])


@pytest.mark.parametrize(
    "law",
    [
        DefiniteRange(5.0),
        InverseCube.from_sweep_width(6.0, 20.0),
        Glimpse(5.0, 0.3, 4.0, n_phase=8),
    ],
)
def test_scaling_multiplies_sweep_width(law):
    f = 0.5
    if isinstance(law, Glimpse):
        # exact only in the continuous limit (scan spacing V T = 0.03 nm << r50): see Glimpse.scaled
        x = np.array([0.5, 2.0, 5.0, 8.0])
        np.testing.assert_allclose(
            law.scaled(f).lateral_range(f * x, 20.0), law.lateral_range(x, 20.0), rtol=2e-3
        )
    else:
        assert law.scaled(f).sweep_width(20.0) == pytest.approx(f * law.sweep_width(20.0), rel=1e-6)
    with pytest.raises(ValueError, match="sensor off"):
        law.scaled(0.0)
