"""From sensor specs to footprints and laws: the glue between the scenario and the pure science.

A sensor's footprint against a target is a circle of radius ``min(instrumented range, horizon)``
(:func:`mda_sim.sensing.horizon.footprint_range_nm`; reference §2.4), further cut to the law's own
range for a definite-range (cookie-cutter) law. Land shadow is applied on top of the circle by the
engine for fixed sites.
"""

from __future__ import annotations

from mda_sim.scenario.specs.catalog import SensorType
from mda_sim.sensing.horizon import footprint_range_nm
from mda_sim.sensing.laws import DetectionLaw, make_law

__all__ = ["fixed_sensor_reach_nm", "law_from_spec"]


def fixed_sensor_reach_nm(sensor_type: SensorType, antenna_height_m: float, target_height_m: float) -> float:
    """Radius of the footprint of a sensor against a target [nm].

    Parameters
    ----------
    sensor_type
        The catalog sensor type (instrumented range and detection law).
    antenna_height_m
        Antenna height above the sea [m] (site elevation plus mast; aircraft altitude).
    target_height_m
        Height of the target's top above the sea [m] (for AIS: the target's VHF antenna).

    Returns
    -------
    float
        ``min(instrumented_range_nm, horizon(antenna, target)[, definite range])`` [nm].
    """
    reach = float(footprint_range_nm(sensor_type.instrumented_range_nm, antenna_height_m, target_height_m))
    law = sensor_type.detection
    if law.model == "definite_range":
        reach = min(reach, law.range_nm)
    return reach


def law_from_spec(sensor_type: SensorType) -> DetectionLaw:
    """The detection law object of a non-cooperative sensor type (radar, EO/IR, visual).

    Raises ``ValueError`` for AIS receivers, whose reception is a reporting process, not a law.
    """
    spec = sensor_type.detection
    if spec.model == "reporting":
        raise ValueError(f"sensor type {sensor_type.id!r} is an AIS receiver: it has no detection law")
    params = spec.model_dump(exclude={"model"})
    return make_law(spec.model, **params)
