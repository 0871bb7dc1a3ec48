"""The physical environment of a run: daylight and sea state (pure)."""

from mda_sim.environment.daylight import DaylightModel, solar_elevation_deg

__all__ = ["DaylightModel", "solar_elevation_deg"]
