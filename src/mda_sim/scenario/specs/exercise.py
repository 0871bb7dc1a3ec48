"""Exercise objectives and injects (schema only until the exercise issue builds on it)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from mda_sim.scenario.specs.base import Id, Spec, Text


class Objective(Spec):
    """An exercise objective scored met / partly met / not met against a metric."""

    id: Id
    description: Text
    metric: Id
    """Name of a metric produced by the analyzers (e.g. ``detect_rate_go_fast``)."""
    comparator: Literal[">=", "<="]
    target: float
    """Value at which the objective is met."""
    partial_target: float | None = None
    """Value at which it is partly met (between target and this)."""

    @model_validator(mode="after")
    def _partial(self) -> "Objective":
        if self.partial_target is None:
            return self
        worse = self.partial_target <= self.target if self.comparator == ">=" else self.partial_target >= self.target
        if not worse:
            raise ValueError(
                f"partial_target {self.partial_target} must be on the unmet side of target {self.target}"
                f" for comparator '{self.comparator}'"
            )
        return self


class Inject(Spec):
    """A scripted event for players: intelligence cue, outage, weather, policy change."""

    id: Id
    at_h: Annotated[float, Field(ge=0.0)]
    """Time after the start [h]."""
    kind: Literal["intel_cue", "asset_outage", "sensor_outage", "weather", "policy", "other"]
    description: Text
    target: Id | None = None
    """The asset, sensor or flow the inject concerns, if any."""
    duration_h: Annotated[float, Field(gt=0.0)] | None = None


class Exercise(Spec):
    """Objectives to score and injects to play."""

    objectives: tuple[Objective, ...] = ()
    injects: tuple[Inject, ...] = ()
