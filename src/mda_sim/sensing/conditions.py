"""Conditions that degrade detection: sea state and wind, crew fatigue, day and night.

Each gives a sweep-width factor ``f`` in ``(0, 1]``; a detection law applies it with
``law.scaled(f)``, which scales the law's range axis so that the sweep width becomes ``f W``
(:mod:`mda_sim.sensing.laws`). That is the convention of the US National SAR Supplement's
sweep-width corrections (reference §2.3). Those corrections were written for visual search; using
them for radar against small craft in sea clutter is an approximation, stated here once.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from mda_sim.units import M_PER_FT

__all__ = [
    "FATIGUE_FACTOR",
    "WEATHER_CORRECTIONS",
    "day_night_factor",
    "sea_state_factor",
    "seas_ft_for_sea_state",
    "weather_factor",
    "weather_severity",
]

#: Sweep-width weather corrections, US National SAR Supplement App. D, Table D-1 (reference §2.3):
#: factor by target class for (calm, winds > 15 kt or seas 2-3 ft, winds > 25 kt or seas > 4 ft).
WEATHER_CORRECTIONS: dict[str, tuple[float, float, float]] = {
    "small_craft": (1.0, 0.5, 0.25),  # person in water, or boat under 30 ft
    "other": (1.0, 0.9, 0.9),
}
#: Crew-fatigue sweep-width correction [-] (reference §2.3).
FATIGUE_FACTOR = 0.9

#: WMO code 3700 sea state -> significant wave height band [m].
_SEA_STATE_BANDS_M = (
    (0.0, 0.0),
    (0.0, 0.1),
    (0.1, 0.5),
    (0.5, 1.25),
    (1.25, 2.5),
    (2.5, 4.0),
    (4.0, 6.0),
    (6.0, 9.0),
    (9.0, 14.0),
    (14.0, 20.0),
)


def seas_ft_for_sea_state(sea_state: ArrayLike) -> np.ndarray:
    """Representative wave height [ft] of a WMO code 3700 sea state (0-9): the band's midpoint.

    E.g. sea state 2 -> 1.0 ft, 3 -> 2.9 ft, 4 -> 6.2 ft.
    """
    s = np.asarray(sea_state)
    if np.any((s < 0) | (s > 9)) or np.any(s != np.round(s)):
        raise ValueError(
            f"sea_state {np.ravel(s).tolist()}: must be an integer 0-9 (WMO code 3700)"
        )
    mid = np.array([(lo + hi) / 2.0 for lo, hi in _SEA_STATE_BANDS_M])
    return mid[s.astype(int)] / M_PER_FT


def weather_severity(wind_kn: ArrayLike = 0.0, seas_ft: ArrayLike = 0.0) -> np.ndarray:
    """Column of Table D-1: 0 calm, 1 for winds > 15 kt or seas >= 2 ft, 2 for winds > 25 kt or
    seas > 4 ft (seas between 3 and 4 ft, which the table skips, count as column 1)."""
    wind = np.asarray(wind_kn, dtype=float)
    seas = np.asarray(seas_ft, dtype=float)
    severe = (wind > 25.0) | (seas > 4.0)
    moderate = (wind > 15.0) | (seas >= 2.0)
    return np.where(severe, 2, np.where(moderate, 1, 0))


def weather_factor(target_class: str, wind_kn: ArrayLike = 0.0, seas_ft: ArrayLike = 0.0):
    """Sweep-width weather correction factor for a target class (Table D-1, reference §2.3)."""
    try:
        row = np.asarray(WEATHER_CORRECTIONS[target_class])
    except KeyError:
        raise ValueError(
            f"target class '{target_class}' unknown (known: {', '.join(WEATHER_CORRECTIONS)})"
        ) from None
    return row[weather_severity(wind_kn, seas_ft)]


def sea_state_factor(target_class: str, sea_state: ArrayLike, wind_kn: ArrayLike = 0.0):
    """Sweep-width factor for a WMO sea state (via :func:`seas_ft_for_sea_state`) and wind."""
    return weather_factor(target_class, wind_kn, seas_ft_for_sea_state(sea_state))


def day_night_factor(night: ArrayLike, night_factor: float) -> np.ndarray:
    """Sweep-width factor for day or night: 1 by day, ``night_factor`` by night (EO, visual < 1;
    radar and AIS 1), as carried by a sensor type's ``night_factor``."""
    if not 0.0 <= night_factor <= 1.0:
        raise ValueError(f"night_factor = {night_factor!r}: must be in [0, 1]")
    return np.where(np.asarray(night, dtype=bool), night_factor, 1.0)
