"""Day and night from the sun's position (pure, vectorised).

The solar position uses the NOAA low-precision algorithm (the "General Solar Position Calculations"
of NOAA's Global Monitoring Division, after Spencer 1971): Fourier series for the equation of time and
the declination in the fractional year. Its error is about 0.1–0.3° in elevation — a minute or two on
the time of dusk at these latitudes, far below what matters for patrols and smuggling timetables.

Night is the sun below ``sun_elevation_deg`` (default −6°, the end of civil twilight: a small boat
without lights can no longer be seen by eye). Times are hours since a reference UTC instant.

References
----------
Spencer, J. W. (1971). Fourier series representation of the position of the sun. Search 2(5), 172.
NOAA Global Monitoring Division, "General Solar Position Calculations" (solareqns.pdf).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

__all__ = ["DaylightModel", "solar_elevation_deg"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Sun elevation at sunrise/sunset (upper limb, standard refraction) [deg].
SUNRISE_ELEVATION_DEG = -0.833
#: End of civil twilight [deg].
CIVIL_DUSK_ELEVATION_DEG = -6.0


def _unix_hours(start_utc: datetime) -> float:
    return (start_utc - _EPOCH).total_seconds() / 3600.0


def solar_elevation_deg(unix_h, lon_deg, lat_deg) -> np.ndarray:
    """Elevation of the sun's centre above the horizon [deg], without refraction.

    Parameters
    ----------
    unix_h : array_like
        Time as hours since 1970-01-01T00:00Z [h].
    lon_deg, lat_deg : array_like
        Observer position [deg]; all inputs broadcast.

    Returns
    -------
    numpy.ndarray
        ``asin(sin φ sin δ + cos φ cos δ cos H)`` in degrees, with declination δ and hour angle H
        from the NOAA/Spencer series.
    """
    t = np.asarray(unix_h, float)
    lon = np.asarray(lon_deg, float)
    lat = np.radians(np.asarray(lat_deg, float))
    days = np.floor(t / 24.0)
    hour_utc = t - 24.0 * days
    # Fractional year γ [rad] from the (0-based) day of the year and the hour (NOAA eq. 1).
    day_of_year = days - _year_start_days(days)
    gamma = 2.0 * np.pi / 365.0 * (day_of_year + (hour_utc - 12.0) / 24.0)
    eqtime_min = 229.18 * (
        0.000075 + 0.001868 * np.cos(gamma) - 0.032077 * np.sin(gamma)
        - 0.014615 * np.cos(2 * gamma) - 0.040849 * np.sin(2 * gamma)
    )
    decl = (
        0.006918 - 0.399912 * np.cos(gamma) + 0.070257 * np.sin(gamma)
        - 0.006758 * np.cos(2 * gamma) + 0.000907 * np.sin(2 * gamma)
        - 0.002697 * np.cos(3 * gamma) + 0.00148 * np.sin(3 * gamma)
    )
    true_solar_min = hour_utc * 60.0 + eqtime_min + 4.0 * lon
    hour_angle = np.radians(true_solar_min / 4.0 - 180.0)
    sin_elev = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(hour_angle)
    return np.degrees(np.arcsin(np.clip(sin_elev, -1.0, 1.0)))


def _year_start_days(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 at the start of the Gregorian year containing day ``days``."""
    years = np.asarray(days, "int64").astype("datetime64[D]").astype("datetime64[Y]")
    return years.astype("datetime64[D]").astype("int64").astype(float)


@dataclass(frozen=True)
class DaylightModel:
    """Day/night decisions for a run: hours since the run start ``start_utc`` → night or day.

    Parameters
    ----------
    start_utc
        The run's start instant (timezone-aware UTC).
    model
        ``solar`` (from the sun), or ``always_day`` / ``always_night`` (for tests and excursions).
    night_below_deg
        Night when the sun's centre is below this elevation [deg]; default civil dusk (−6°).
    """

    start_utc: datetime
    model: str = "solar"
    night_below_deg: float = CIVIL_DUSK_ELEVATION_DEG

    def __post_init__(self) -> None:
        if self.start_utc.tzinfo is None:
            raise ValueError(f"start_utc {self.start_utc!r} must be timezone-aware (UTC)")
        if self.model not in ("solar", "always_day", "always_night"):
            raise ValueError(f"daylight model {self.model!r}: allowed 'solar', 'always_day', 'always_night'")

    @property
    def _start_unix_h(self) -> float:
        return _unix_hours(self.start_utc)

    def sun_elevation_deg(self, t_h, lon_deg, lat_deg) -> np.ndarray:
        """Sun elevation [deg] at run time ``t_h`` [h] and position [deg]."""
        return solar_elevation_deg(self._start_unix_h + np.asarray(t_h, float), lon_deg, lat_deg)

    def is_night(self, t_h, lon_deg, lat_deg) -> np.ndarray:
        """True where it is night at run time ``t_h`` [h] and the given position."""
        shape = np.broadcast_shapes(np.shape(t_h), np.shape(lon_deg), np.shape(lat_deg))
        if self.model != "solar":
            return np.full(shape, self.model == "always_night")
        return self.sun_elevation_deg(t_h, lon_deg, lat_deg) < self.night_below_deg

    def night_centre_h(self, after_h: float, lon_deg: float, lat_deg: float) -> float:
        """Run time [h] of the first local solar midnight (sun lowest) at or after ``after_h``.

        Found on a 6-minute grid over the next 25 h and refined by a parabola through the lowest
        three points; accurate to well under a minute.
        """
        grid = after_h + np.arange(0.0, 25.0 + 1e-9, 0.1)
        elev = self.sun_elevation_deg(grid, lon_deg, lat_deg)
        i = int(np.argmin(elev))
        if 0 < i < len(grid) - 1:
            a, b, c = elev[i - 1], elev[i], elev[i + 1]
            denom = a - 2.0 * b + c
            if denom > 0:
                return float(grid[i] + 0.1 * 0.5 * (a - c) / denom)
        return float(grid[i])

    def transitions_h(self, t0_h: float, t1_h: float, lon_deg: float, lat_deg: float) -> list[float]:
        """Run times [h] in ``(t0_h, t1_h)`` at which day turns to night or night to day.

        The elevation is sampled every 10 minutes (twilight crossings are hours apart) and each
        sign change of ``elevation - night_below_deg`` is refined by bisection to 0.1 s. Fixed
        models (``always_day``/``always_night``) have none.
        """
        if self.model != "solar" or not t1_h > t0_h:
            return []
        n = max(2, math.ceil((t1_h - t0_h) / (10.0 / 60.0)) + 1)
        grid = np.linspace(t0_h, t1_h, n)
        above = self.sun_elevation_deg(grid, lon_deg, lat_deg) >= self.night_below_deg
        out = []
        for i in np.flatnonzero(above[1:] != above[:-1]).tolist():
            lo, hi = float(grid[i]), float(grid[i + 1])
            side = bool(above[i])
            while hi - lo > 0.1 / 3600.0:
                mid = 0.5 * (lo + hi)
                if bool(self.sun_elevation_deg(mid, lon_deg, lat_deg) >= self.night_below_deg) == side:
                    lo = mid
                else:
                    hi = mid
            out.append(0.5 * (lo + hi))
        return out

    def night_length_h(self, around_h: float, lon_deg: float, lat_deg: float) -> float:
        """Length of the night [h] containing (or nearest) run time ``around_h``, on a 1-minute grid."""
        centre = self.night_centre_h(around_h - 12.0, lon_deg, lat_deg)
        grid = centre + np.arange(-12.0, 12.0 + 1e-9, 1.0 / 60.0)
        return float(np.count_nonzero(self.is_night(grid, lon_deg, lat_deg))) / 60.0
