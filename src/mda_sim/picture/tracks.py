"""Tracks in a picture: creation, update, uncertainty growth, loss and classification (pure).

A :class:`Picture` belongs to one partner, or is the ``shared`` picture that partners feed with a
latency (the engine delays what it passes on). The picture is a plain state machine: the engine
tells it about contacts and asks it when to check for loss; it returns the log records to write.
It draws random numbers only from the generator the engine passes in.

**Association.** Contacts are associated to tracks by the vessel's ground-truth identity: one track
per vessel per picture, never a false track, never two tracks for one vessel. This is the stated
simplification of issue 3 — it makes the picture an upper bound on what a real correlator achieves
(no mis-association, no track swaps). Track *loss* is modelled: when no sensor holds the vessel and
no contact renews it within ``track_timeout_h``, the track is dropped and a later contact starts a
new track.

**Uncertainty.** A contact fixes the position with error ``sigma0`` (sensor dependent). Without
contact it grows in quadrature with the distance a target could have gone on an unknown course:
``sigma(t) = sqrt(sigma0² + (g · (t − t_contact))²)`` with ``g = sigma_growth_kn`` [nm/h].
While a sensor holds the vessel (continuous radar tracking inside coverage), sigma stays at sigma0.

**Classification** (labels ``suspect`` / ``cleared``; ``correct`` is judged against ground truth):

- an EO/IR or visual look labels correctly with probability ``p_correct_eo`` (and overrides);
- AIS identity clears a track not already labelled suspect, or labelled suspect only for running
  dark and fast (an illicit vessel on AIS is wrongly cleared: it looks lawful);
- AIS falling silent while a sensor still holds the vessel flags it suspect ("went dark");
- a radar-only track never heard on AIS and moving faster than ``dark_fast_kn`` is flagged suspect
  with probability ``p_flag_dark_fast`` (once per track).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mda_sim.eventlog.records import Classified, Event, TrackCreated, TrackLost, TrackUpdated
from mda_sim.scenario.specs.picture import PictureSettings

__all__ = ["Contact", "Picture", "Track"]

SUSPECT, CLEARED = "suspect", "cleared"


@dataclass(frozen=True, slots=True)
class Contact:
    """One sensor contact on a vessel, as reported to a picture.

    ``cooperative`` is True for AIS; ``classifies`` for EO/IR and visual; ``speed_kn`` is the
    target's observed speed over ground; ``illicit`` is ground truth, used only to judge labels.
    """

    t_h: float
    vessel: str
    sensor: str
    x_nm: float
    y_nm: float
    sigma_nm: float
    speed_kn: float
    illicit: bool
    cooperative: bool = False
    classifies: bool = False
    vx_kn: float = 0.0
    vy_kn: float = 0.0


@dataclass(slots=True)
class Track:
    """A picture's track on one vessel."""

    id: str
    vessel: str
    created_h: float
    last_contact_h: float
    x_nm: float
    y_nm: float
    sigma0_nm: float
    held_by: set[str] = field(default_factory=set)
    heard_ais: bool = False
    behaviour_checked: bool = False
    label: str = ""
    basis: str = ""
    vx_kn: float = 0.0
    vy_kn: float = 0.0
    """Velocity estimate at the last contact [kn] (a tracker's estimate from successive plots; taken
    from the contact, which the engine fills from the vessel's motion)."""

    def sigma_nm(self, t_h: float, growth_kn: float) -> float:
        """Position uncertainty at ``t_h`` [nm] (constant while held)."""
        if self.held_by:
            return self.sigma0_nm
        return math.hypot(self.sigma0_nm, growth_kn * max(0.0, t_h - self.last_contact_h))


class Picture:
    """One picture (a partner's, or ``shared``): tracks keyed by vessel id.

    Parameters
    ----------
    name
        The picture's name: a partner id or ``shared``.
    settings
        Sharing, timeout, uncertainty and classification settings from the scenario.
    """

    def __init__(self, name: str, settings: PictureSettings) -> None:
        self.name = name
        self.settings = settings
        self.tracks: dict[str, Track] = {}
        self._serial = 0

    # -- contacts ------------------------------------------------------------------------------
    def contact(self, c: Contact, rng: np.random.Generator | None = None) -> list[Event]:
        """Take a contact: create or update the vessel's track, and classify where the rules say.

        ``rng`` is needed only when a classification draw can happen (EO look, dark fast track).
        """
        out: list[Event] = []
        track = self.tracks.get(c.vessel)
        if track is None:
            self._serial += 1
            track = Track(f"{self.name}/{self._serial}", c.vessel, c.t_h, c.t_h, c.x_nm, c.y_nm, c.sigma_nm,
                          vx_kn=c.vx_kn, vy_kn=c.vy_kn)
            self.tracks[c.vessel] = track
            out.append(TrackCreated(c.t_h, track.id, self.name, c.vessel, c.x_nm, c.y_nm, c.sigma_nm))
        else:
            gap_h = c.t_h - track.last_contact_h
            track.last_contact_h, track.x_nm, track.y_nm = c.t_h, c.x_nm, c.y_nm
            track.sigma0_nm = c.sigma_nm
            track.vx_kn, track.vy_kn = c.vx_kn, c.vy_kn
            out.append(TrackUpdated(c.t_h, track.id, self.name, c.vessel, c.x_nm, c.y_nm, c.sigma_nm, gap_h))
        out.extend(self._classify(track, c, rng))
        return out

    def _classify(self, track: Track, c: Contact, rng) -> list[Event]:
        rules = self.settings.classification
        truth = SUSPECT if c.illicit else CLEARED
        if c.classifies:
            correct = bool(_draw(rng) < rules.p_correct_eo)
            label = truth if correct else (CLEARED if truth == SUSPECT else SUSPECT)
            return self._set_label(track, c.t_h, label, truth, "eo_ir")
        if c.cooperative:
            track.heard_ais = True
            # AIS identity clears a track unless it is suspect on evidence AIS cannot answer (an EO
            # look, AIS going dark); "dark and fast" was only the absence of AIS, now heard.
            if track.label != SUSPECT or track.basis == "dark_and_fast":
                return self._set_label(track, c.t_h, CLEARED, truth, "ais")
            return []
        if not track.heard_ais and not track.behaviour_checked and not track.label and c.speed_kn > rules.dark_fast_kn:
            track.behaviour_checked = True
            if _draw(rng) < rules.p_flag_dark_fast:
                return self._set_label(track, c.t_h, SUSPECT, truth, "dark_and_fast")
        return []

    def went_dark(self, t_h: float, vessel: str, illicit: bool) -> list[Event]:
        """The vessel's AIS stopped while it was tracked: flag it if the rule is on."""
        track = self.tracks.get(vessel)
        if track is None or not self.settings.classification.went_dark_is_suspect:
            return []
        return self._set_label(track, t_h, SUSPECT, SUSPECT if illicit else CLEARED, "went_dark")

    def adopt_label(self, t_h: float, vessel: str, label: str, illicit: bool, basis: str) -> list[Event]:
        """Take a label from a partner's picture (the shared picture does this, after the latency)."""
        track = self.tracks.get(vessel)
        if track is None:
            return []
        return self._set_label(track, t_h, label, SUSPECT if illicit else CLEARED, basis)

    def _set_label(self, track: Track, t_h: float, label: str, truth: str, basis: str) -> list[Event]:
        if label == track.label:
            return []
        track.label, track.basis = label, basis
        return [Classified(t_h, track.id, self.name, track.vessel, label, label == truth, basis)]

    # -- holding and loss ----------------------------------------------------------------------
    def hold(self, vessel: str, sensor: str, held: bool, t_h: float) -> None:
        """A sensor starts (``held=True``) or stops continuously tracking the vessel at ``t_h``."""
        track = self.tracks.get(vessel)
        if track is None:
            return
        if held:
            track.held_by.add(sensor)
        elif sensor in track.held_by:
            track.held_by.discard(sensor)
            track.last_contact_h = t_h  # the last moment the sensor had it

    def expiry_h(self, vessel: str) -> float:
        """When the vessel's track times out if nothing renews it [h]; ``inf`` while held or absent."""
        track = self.tracks.get(vessel)
        if track is None or track.held_by:
            return math.inf
        return track.last_contact_h + self.settings.track_timeout_h

    def expire(self, t_h: float, vessel: str) -> list[Event]:
        """Drop the vessel's track if it has timed out by ``t_h``; the engine calls this at
        :meth:`expiry_h` (a stale call after a renewal does nothing)."""
        track = self.tracks.get(vessel)
        if track is None or t_h + 1e-9 < self.expiry_h(vessel):
            return []
        del self.tracks[vessel]
        return [TrackLost(t_h, track.id, self.name, vessel, track.sigma_nm(t_h, self.settings.sigma_growth_kn))]

    def sigma_nm(self, vessel: str, t_h: float) -> float:
        """Current position uncertainty of the vessel's track [nm] (``inf`` if untracked)."""
        track = self.tracks.get(vessel)
        return math.inf if track is None else track.sigma_nm(t_h, self.settings.sigma_growth_kn)


def _draw(rng: np.random.Generator | None) -> float:
    if rng is None:
        raise ValueError("this contact needs a classification draw: pass the picture's random generator")
    return float(rng.random())
