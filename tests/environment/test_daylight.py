"""Day and night from the sun: checked against astronomy, not against the code itself."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

from mda_sim.environment import DaylightModel

SAN_JUAN = (-66.106, 18.466)
DECLINATION_SOLSTICE_DEG = 23.44  # obliquity of the ecliptic, 2026


def _model(month, day):
    return DaylightModel(datetime(2026, month, day, tzinfo=timezone.utc))


@pytest.mark.parametrize("month, decl", [(6, DECLINATION_SOLSTICE_DEG), (12, -DECLINATION_SOLSTICE_DEG)])
def test_noon_elevation_at_the_solstices_is_90_minus_lat_minus_declination(month, decl):
    """Tolerance 0.15 deg: the NOAA series is good to ~0.1 deg; the solstice is within a day."""
    grid = np.arange(0.0, 24.0, 1.0 / 600.0)
    top = _model(month, 21).sun_elevation_deg(grid, *SAN_JUAN).max()
    assert top == pytest.approx(90.0 - abs(SAN_JUAN[1] - decl), abs=0.15)


@pytest.mark.parametrize("month, sunrise_ast_h", [(6, 5 + 48 / 60), (12, 6 + 51 / 60)])
def test_san_juan_sunrise_matches_the_almanac(month, sunrise_ast_h):
    """Almanac sunrise in San Juan (AST = UTC-4): 05:48 on 21 June, 06:51 on 21 December
    (NOAA solar calculator). Tolerance 3 min: the low-precision series plus rounding to the minute."""
    grid = np.arange(0.0, 24.0, 1.0 / 3600.0)
    elev = _model(month, 21).sun_elevation_deg(grid, *SAN_JUAN)
    sunrise_utc_h = grid[np.argmax(elev > -0.833)]
    assert sunrise_utc_h - 4.0 == pytest.approx(sunrise_ast_h, abs=3 / 60)


def test_solar_midnight_and_night_length_in_june():
    m = _model(6, 21)
    # Solar noon at 66.1 W is ~16:26 UTC (4 min per degree, equation of time -1.7 min) -> midnight ~04:26.
    assert m.night_centre_h(0.0, *SAN_JUAN) == pytest.approx(4 + 26 / 60, abs=3 / 60)
    # Sun below -6 deg: 24 h minus a 13.2 h day minus ~2 x 25 min of civil twilight.
    assert m.night_length_h(5.0, *SAN_JUAN) == pytest.approx(9.95, abs=0.1)


def test_is_night_is_vectorised_and_fixed_models_ignore_the_sun():
    m = _model(6, 21)
    flags = m.is_night(np.array([4.4, 16.4]), *SAN_JUAN)
    assert flags.tolist() == [True, False]
    always = DaylightModel(m.start_utc, model="always_night")
    assert always.is_night(np.array([16.4, 17.0]), *SAN_JUAN).all()


def test_naive_start_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        DaylightModel(datetime(2026, 6, 21))


@pytest.mark.parametrize("month, decl", [(12, -DECLINATION_SOLSTICE_DEG), (6, DECLINATION_SOLSTICE_DEG)])
def test_day_length_at_15N_matches_the_sunrise_hour_angle(month, decl):
    """Sun's centre above the geometric horizon for 2 acos(-tan(phi) tan(delta)) / 15 h
    (11.11 h in December, 12.89 h in June at 15 N). Tolerance 0.05 h: the series' ~0.1 deg error
    in declination and the one-day offset from the exact solstice."""
    t = np.linspace(0.0, 24.0, 24 * 600, endpoint=False)
    m = DaylightModel(datetime(2026, month, 21, tzinfo=timezone.utc), night_below_deg=0.0)
    day_h = (~m.is_night(t, 0.0, 15.0)).mean() * 24.0
    expected = 2.0 * np.degrees(np.arccos(-np.tan(np.radians(15.0)) * np.tan(np.radians(decl)))) / 15.0
    assert day_h == pytest.approx(expected, abs=0.05)
