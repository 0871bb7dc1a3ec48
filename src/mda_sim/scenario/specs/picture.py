"""The common operating picture: sharing, track keeping and classification settings.

Every default here is an estimate (no published figure fits a generic picture); each says why.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from mda_sim.scenario.specs.base import Probability, Source, Spec


class Classification(Spec):
    """How tracks get labelled ``suspect`` or ``cleared``."""

    p_correct_eo: Probability = 0.9
    """Chance an EO/IR or visual look labels a vessel correctly (estimate: the CBP MEA spec asks
    for classification at <= 2 mi [S38]; inside that range errors are rare)."""
    p_correct_ais: Probability = 0.95
    """Chance a vessel heard on AIS (and never seen dark) is correctly cleared or, if illicit and
    spoofing a lawful identity, wrongly cleared (estimate)."""
    dark_fast_kn: Annotated[float, Field(gt=0.0, le=80.0)] = 20.0
    """A radar-only track (no AIS heard) moving faster than this [kn] is flagged suspect on behaviour
    (estimate: lawful small craft rarely run fast, dark, offshore; go-fasts cruise at 25+ kn [S50])."""
    p_flag_dark_fast: Probability = 0.8
    """Chance an operator flags such a dark fast track (estimate)."""
    went_dark_is_suspect: bool = True
    """A vessel whose AIS stops while it is held by a sensor is flagged suspect."""


class PictureSettings(Spec):
    """Per-partner pictures and the shared picture (CSII-like, [S63])."""

    sharing_latency_h: Annotated[float, Field(ge=0.0, le=48.0)] = 0.25
    """Delay before a partner's track appears in the shared picture [h] (estimate: CSII is a
    web platform fed by partners' operations centres [S63]; minutes to tens of minutes)."""
    track_timeout_h: Annotated[float, Field(gt=0.0, le=240.0)] = 2.0
    """A track with no contact for this long is dropped [h] (estimate)."""
    sigma_growth_kn: Annotated[float, Field(ge=0.0, le=80.0)] = 15.0
    """Growth of position uncertainty without contact [nm per h] (estimate: about half a go-fast's
    cruise speed, since its course is unknown)."""
    radar_sigma_nm: Annotated[float, Field(gt=0.0, le=50.0)] = 0.5
    """Position error of a radar or EO contact [nm] (estimate)."""
    ais_sigma_nm: Annotated[float, Field(gt=0.0, le=50.0)] = 0.05
    """Position error of an AIS report (GNSS position) [nm] (estimate)."""
    classification: Classification = Classification()
    source: Source | None = None
