"""Picture rules: track life cycle, uncertainty growth, classification statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mda_sim.picture import Contact, Picture
from mda_sim.scenario.specs.picture import PictureSettings

SETTINGS = PictureSettings(track_timeout_h=2.0, sigma_growth_kn=10.0)


def radar(t, vessel="v", speed=30.0, illicit=True, sensor="r1"):
    return Contact(t, vessel, sensor, 1.0, 2.0, 0.5, speed, illicit)


def test_track_created_then_updated_then_lost_after_the_timeout():
    p = Picture("uscg", SETTINGS)
    kinds = [e.kind for e in p.contact(radar(1.0, speed=5.0))]
    assert kinds == ["track_created"]
    (upd,) = p.contact(radar(1.5, speed=5.0))
    assert upd.kind == "track_updated" and upd.gap_h == pytest.approx(0.5)
    assert p.expiry_h("v") == pytest.approx(3.5)
    assert p.expire(3.0, "v") == []  # too early: nothing happens
    (lost,) = p.expire(3.5, "v")
    assert lost.kind == "track_lost" and lost.sigma_nm == pytest.approx(math.hypot(0.5, 20.0))
    assert p.contact(radar(4.0, speed=5.0))[0].track == "uscg/2"  # a new track, new id


def test_a_held_track_neither_grows_nor_expires_until_released():
    p = Picture("uscg", SETTINGS)
    p.contact(radar(0.0, speed=5.0))
    p.hold("v", "r1", True, 0.0)
    assert p.expiry_h("v") == math.inf and p.sigma_nm("v", 10.0) == 0.5
    p.hold("v", "r1", False, 6.0)
    assert p.expiry_h("v") == pytest.approx(8.0)
    assert p.sigma_nm("v", 7.0) == pytest.approx(math.hypot(0.5, 10.0))


def test_ais_clears_went_dark_flags_and_eo_overrides():
    p = Picture("uscg", SETTINGS)
    ev = p.contact(Contact(0.0, "v", "ais1", 0, 0, 0.05, 12.0, True, cooperative=True))
    assert [(e.kind, e.label, e.correct) for e in ev[1:]] == [("classified", "cleared", False)]
    (dark,) = p.went_dark(1.0, "v", illicit=True)
    assert (dark.label, dark.correct, dark.basis) == ("suspect", True, "went_dark")
    # AIS heard again does not clear a suspect.
    assert [e.kind for e in p.contact(Contact(1.2, "v", "ais1", 0, 0, 0.05, 12.0, True, cooperative=True))] == ["track_updated"]


def test_eo_labels_are_right_with_the_stated_probability():
    """Fraction correct over n independent EO looks ~ p_correct_eo = 0.9; tolerance 4 binomial
    standard errors (false-failure chance < 1e-4)."""
    rng = np.random.default_rng(11)
    n, correct = 4000, 0
    for i in range(n):
        p = Picture("x", SETTINGS)
        (_, cls) = p.contact(Contact(0.0, f"v{i}", "eo", 0, 0, 0.1, 20.0, bool(i % 2), classifies=True), rng)
        correct += cls.correct
    se = math.sqrt(0.9 * 0.1 / n)
    assert abs(correct / n - 0.9) < 4 * se


def test_dark_fast_rule_fires_once_and_only_above_the_speed():
    rng = np.random.default_rng(3)
    slow = Picture("x", SETTINGS)
    assert len(slow.contact(radar(0.0, speed=10.0), rng)) == 1  # no label for a slow dark contact
    flagged = 0
    for i in range(200):
        p = Picture("x", SETTINGS)
        ev = p.contact(radar(0.0, vessel=f"v{i}", speed=35.0), rng)
        ev += p.contact(radar(0.1, vessel=f"v{i}", speed=35.0), rng)
        labels = [e for e in ev if e.kind == "classified"]
        assert len(labels) <= 1
        flagged += len(labels)
    # p_flag_dark_fast = 0.8 by default; 200 tracks -> 160 +- 4 * 5.7.
    assert abs(flagged - 160) < 4 * math.sqrt(200 * 0.8 * 0.2)


def test_a_draw_without_a_generator_is_a_clear_error():
    with pytest.raises(ValueError, match="random generator"):
        Picture("x", SETTINGS).contact(radar(0.0, speed=40.0))


def test_ais_heard_after_a_dark_fast_flag_clears_it_but_not_an_eo_or_went_dark_flag():
    """A fast lawful ferry seen on radar a few seconds before its first AIS report is flagged
    "dark and fast"; the AIS report answers that and clears it. Suspicion from an EO look or from
    AIS going dark is not answered by AIS."""
    settings = PictureSettings(classification={"p_flag_dark_fast": 1.0, "p_correct_eo": 1.0})
    p = Picture("tp", settings)
    rng = np.random.default_rng(0)
    (_, flag) = p.contact(Contact(0.0, "ferry", "radar", 0, 0, 0.5, 28.0, False), rng)
    assert flag.label == "suspect" and flag.basis == "dark_and_fast" and not flag.correct
    (_, clear) = p.contact(Contact(0.001, "ferry", "ais", 0, 0, 0.05, 28.0, False, cooperative=True))
    assert clear.label == "cleared" and clear.basis == "ais" and clear.correct
    p.contact(Contact(0.0, "gf", "eo", 0, 0, 0.1, 30.0, True, classifies=True), rng)
    assert [e.kind for e in p.contact(Contact(0.01, "gf", "ais", 0, 0, 0.05, 30.0, True, cooperative=True))] == [
        "track_updated"]
