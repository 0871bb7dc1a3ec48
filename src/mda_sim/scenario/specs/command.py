"""Command and control, pursuit and the end-game: how suspects are prosecuted once detected.

Every default is an **estimate** (the reference gives no figure for it); each says why. The legal
rules themselves are in ``legal``; this section holds the operational parameters around them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from mda_sim.scenario.specs.base import Distribution, Probability, Source, Spec

CargoKind = Literal["cocaine", "cannabis", "firearms", "migrants", "fuel", "iuu_catch"]


class Tasking(Spec):
    """The coordination policy that assigns assets to suspect tracks of the shared picture."""

    policy: Literal["nearest_feasible"] = "nearest_feasible"
    """Tasking policy by name (``mda_sim.command.POLICIES``)."""
    decision_latency_h: Annotated[float, Field(ge=0.0, le=48.0)] = 0.25
    """Operations centre decision time [h] (estimate: a watch officer's 15 minutes)."""
    comms_latency_h: Annotated[float, Field(ge=0.0, le=48.0)] = 0.1
    """Time for an order to reach the asset [h] (estimate: a few minutes by radio or chat)."""
    reserve_h: Annotated[float, Field(ge=0.0, le=240.0)] = 1.0
    """Endurance kept back for boarding and margin [h] (estimate)."""
    retask: bool = True
    """Whether a busy asset may be pulled to a higher-priority track."""
    replan_every_h: Annotated[float, Field(gt=0.0, le=48.0)] = 0.5
    """Command re-runs the policy at least this often [h] (besides on every new suspect and every
    freed asset) (estimate: a half-hourly review of the picture)."""
    max_wait_h: Annotated[float, Field(ge=0.0, le=240.0)] = 24.0
    """A suspect left unassigned this long is given up [h]. 0 makes tasking a loss system: a
    suspect is served at once or never (Erlang B); a long wait makes it a queue with
    abandonment (Erlang A)."""
    alert_launch_delay_h: Annotated[float, Field(ge=0.0, le=24.0)] = 0.5
    """Time for a hull on call at base to get under way [h] (estimate: a ready crew's 30 min)."""
    coastal_asset_range_nm: Annotated[float, Field(ge=0.0, le=500.0)] = 30.0
    """A boarding-capable asset of the coastal state at sea within this range counts as
    'immediately available' for Treaty Art. 12(1)(b) [nm] (estimate)."""


class Pursuit(Spec):
    """Pursuit, evasion and datum search."""

    evade_detect_range_nm: Annotated[float, Field(gt=0.0, le=50.0)] = 6.0
    """An evading vessel sees a pursuer closing within this range and runs [nm] (estimate: a
    cutter or boat seen by eye or heard by day or night at a few miles; go-fasts carry no radar)."""
    evade_speed_factor: Annotated[float, Field(ge=1.0, le=3.0)] = 1.15
    """An evading vessel runs at this multiple of its transit speed, capped at its type's maximum
    [-] (estimate: a loaded boat already running near its sea-limited speed gains little [S50])."""
    refuge_horizon_h: Annotated[float, Field(gt=0.0, le=24.0)] = 2.0
    """An evading vessel heads for waters where its pursuer has no authority if it can reach them
    within this time at its sprint speed [h]; otherwise it runs straight away (estimate)."""
    chase_step_h: Annotated[float, Field(gt=0.0, le=12.0)] = 0.25
    """When no intercept exists the pursuer chases the target's position, re-solving this often [h]."""
    give_up_gap_factor: Annotated[float, Field(gt=1.0, le=100.0)] = 1.5
    """A tail chase ends ('outran') when the gap has grown to this multiple of the gap at the
    start of the chase [-] (estimate)."""
    datum_search: bool = True
    """Lost contact starts an expanding-square search at the dead-reckoned datum."""
    search_h: Annotated[float, Field(gt=0.0, le=48.0)] = 3.0
    """How long a datum search lasts before contact is declared lost [h] (estimate)."""


class Endgame(Spec):
    """Boarding, evidence, jettison and detentions."""

    boarding_h: Distribution = {"dist": "uniform", "low": 1.0, "high": 3.0}
    """Time on scene for a boarding and search [h] (estimate: a go-fast search with an ion scan
    takes an hour or two; larger vessels longer)."""
    p_evidence: dict[CargoKind, Probability] = {
        "cocaine": 0.9, "cannabis": 0.9, "firearms": 0.8, "migrants": 1.0, "fuel": 0.8, "iuu_catch": 0.9,
    }
    """Chance the boarding team finds the cargo or evidence of it, by cargo [-] (estimates)."""
    p_jettison: Probability = 0.6
    """Chance a vessel whose flow ``jettisons`` throws its load overboard as the pursuer closes
    (estimate: go-fasts jettison bales when pursued [S22])."""
    p_recover_jettisoned: Probability = 0.5
    """Fraction of a jettisoned load picked up by the pursuer [-] (estimate: bales float; some are
    lost in seas and at night)."""
    p_evidence_after_jettison: Probability = 0.3
    """Chance of evidence aboard after a jettison (residue, recovered bales) [-] (estimate)."""
    crew: Distribution = {"dist": "uniform", "low": 2.0, "high": 4.0}
    """Crew detained with a seized vessel (rounded) (estimate: 2-4 crew on go-fasts [S22])."""


class IntelCues(Spec):
    """Intelligence tips that place a suspect vessel and start a search."""

    p_cue: Probability = 0.0
    """Chance a departing illicit voyage is tipped [-] (0: no tips)."""
    reliability: Probability = 0.7
    """Chance a tip is right [-]; a wrong tip points at empty sea in the vessel's destination region."""
    delay_h: Distribution = {"dist": "uniform", "low": 0.5, "high": 2.0}
    """Time from departure to the tip reaching command [h] (estimate)."""
    position_error_nm: Annotated[float, Field(ge=0.0, le=200.0)] = 5.0
    """1-sigma error of a right tip's position [nm] (estimate)."""


class Command(Spec):
    """Command and control, pursuit, end-game and intelligence cues."""

    enabled: bool = True
    """False runs sensing only (no tasking, no pursuit, no outcomes beyond detection)."""
    tasking: Tasking = Tasking()
    pursuit: Pursuit = Pursuit()
    endgame: Endgame = Endgame()
    intel: IntelCues = IntelCues()
    source: Source | None = None
