"""The common operating picture: per-partner and shared tracks, loss and classification (pure)."""

from mda_sim.picture.tracks import Contact, Picture, Track

__all__ = ["Contact", "Picture", "Track"]
