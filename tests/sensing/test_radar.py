"""Radar range equation, North, Swerling I and Albersheim: reference §2.5 worked values."""

from __future__ import annotations

import math

import pytest

from mda_sim.sensing.radar import (
    albersheim_snr_db,
    db,
    from_db,
    pd_north,
    pd_swerling1,
    snr_north_db,
    snr_radar_equation,
)

PFA = 1e-6


def test_range_equation():
    snr = float(snr_radar_equation(25e3, 30.0, 0.03191, 10.0, 20e3, 1e6, 4.0, 6.0))
    assert snr == pytest.approx(20.03, abs=0.01)
    assert float(db(snr)) == pytest.approx(13.02, abs=0.005)
    far = float(snr_radar_equation(25e3, 30.0, 0.03191, 10.0, 40e3, 1e6, 4.0, 6.0))
    assert float(db(snr / far)) == pytest.approx(12.04, abs=0.005)  # R^-4


# the 13.02 dB rows were computed from the linear SNR 20.03 of the range-equation example
@pytest.mark.parametrize(
    ("snr", "pd"), [(from_db(10.0), 0.250), (20.03, 0.875), (from_db(15.0), 0.997)]
)
def test_north(snr, pd):
    assert float(pd_north(snr, PFA)) == pytest.approx(pd, abs=5e-4)


def test_swerling1_and_fluctuation_loss():
    assert float(pd_swerling1(20.03, PFA)) == pytest.approx(0.518, abs=5e-4)
    assert float(pd_swerling1(from_db(20.0), PFA)) == pytest.approx(0.872, abs=5e-4)
    sw = float(db(math.log(PFA) / math.log(0.9) - 1.0))  # invert Pd = Pfa^(1/(1+SNR))
    assert sw == pytest.approx(21.14, abs=0.005)
    north = snr_north_db(0.9, PFA)
    assert north == pytest.approx(13.20, abs=0.01)
    assert sw - north == pytest.approx(7.9, abs=0.06)


def test_albersheim_and_consistency():
    assert float(albersheim_snr_db(0.9, PFA)) == pytest.approx(13.11, abs=0.005)
    assert float(albersheim_snr_db(0.9, PFA, 10)) == pytest.approx(4.99, abs=0.005)
    assert float(pd_north(from_db(13.11), PFA)) == pytest.approx(0.889, abs=5e-4)
