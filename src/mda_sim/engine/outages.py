"""Outages of fixed sensors: an alternating up/down renewal process per site.

A site with long-run availability ``A < 1`` and mean outage ``m`` [h] (scenario: ``availability``,
``mean_outage_h``) is up for exponential times of mean ``m A / (1 - A)`` and down for exponential
times of mean ``m``, so the long-run fraction up is ``A`` (an alternating renewal process; Ross,
*Introduction to Probability Models*, §7.5). It starts up with probability ``A`` (the stationary
state). Each change writes a ``sensor_state`` record and makes the detection scheduler close or
reschedule only that sensor's pairs. Draws come from the stream ``("outage", sensor)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_sim.eventlog.records import SensorState

if TYPE_CHECKING:
    from mda_sim.engine.sensors import LiveSensor
    from mda_sim.engine.world import World

__all__ = ["start_outages"]


def start_outages(world: World) -> None:
    """Start the up/down process of every fixed site whose availability is below 1."""
    for site in world.spec.sensors:
        if site.availability < 1.0:
            sensor = world.detection.sensors[site.id]
            world.env.process(_outages(world, sensor, site.availability, site.mean_outage_h))


def _outages(world: World, sensor: LiveSensor, availability: float, mean_down_h: float):
    rng = world.streams.get("outage", sensor.id)
    mean_up_h = mean_down_h * availability / (1.0 - availability) if availability > 0.0 else 0.0
    up = bool(rng.random() < availability)
    if not up:
        _set(world, sensor, False)
    while True:
        mean_h = mean_up_h if up else mean_down_h
        yield world.env.timeout(float(rng.exponential(mean_h)) if mean_h > 0.0 else world.duration_h)
        up = not up
        _set(world, sensor, up)


def _set(world: World, sensor: LiveSensor, up: bool) -> None:
    sensor.up = up
    world.emit(SensorState(world.now_h, sensor.id, up))
    world.detection.sensor_changed(sensor)
