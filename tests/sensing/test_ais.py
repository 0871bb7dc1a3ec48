"""AIS reporting intervals (ITU-R M.1371 Annex 1) and counts: reference §2.8."""

from __future__ import annotations

import numpy as np
import pytest

from mda_sim.sensing.ais import (
    AIS_SCHEDULES,
    expected_report_count,
    p_contact,
    report_times_h,
    reporting_interval_s,
    vhf_range_nm,
)
from mda_sim.sensing.horizon import radar_horizon_nm


@pytest.mark.parametrize(
    ("speed", "turning", "anchor", "interval"),
    [
        (2.0, False, True, 180.0),
        (5.0, False, True, 10.0),
        (0.0, False, False, 10.0),
        (14.0, False, False, 10.0),
        (14.0, True, False, 10.0 / 3.0),
        (14.5, False, False, 6.0),
        (23.0, True, False, 2.0),
        (30.0, False, False, 2.0),
    ],
)
def test_class_a_table(speed, turning, anchor, interval):
    assert float(reporting_interval_s("class_a", speed, turning, anchor)) == pytest.approx(interval)


def test_class_b_and_other_equipment():
    np.testing.assert_allclose(
        reporting_interval_s("class_b_so", [1.0, 2.0, 10.0, 20.0, 30.0]), [180, 180, 30, 15, 5]
    )
    np.testing.assert_allclose(reporting_interval_s("class_b_cs", [2.0, 2.1, 40.0]), [180, 30, 30])
    assert float(reporting_interval_s("sar_aircraft", 140.0)) == 10.0
    assert float(reporting_interval_s("aid_to_navigation", 0.0)) == 180.0
    assert float(reporting_interval_s("base_station", 0.0)) == 10.0


def test_reference_counts_and_dark_target():
    assert float(expected_report_count("class_a", 18.0, 1.0)) == pytest.approx(600.0)
    assert float(expected_report_count("class_a", 18.0, 1.0, turning=True)) == pytest.approx(1800.0)
    assert float(expected_report_count("none", 40.0, 12.0)) == 0.0


def test_report_times_and_contact():
    t = report_times_h(0.0, 1.0, 6.0, phase_s=3.0)
    assert t.size == 600 and t[0] == pytest.approx(3.0 / 3600)
    assert report_times_h(0.0, 1.0, np.inf).size == 0
    np.testing.assert_allclose(p_contact([0, 1, 2, 5], [0.5, 0.5, 0.5, 1.0]), [0.0, 0.5, 0.75, 1.0])


def test_vhf_range_is_the_radio_horizon():
    assert float(vhf_range_nm(20.0, 50.0)) == pytest.approx(float(radar_horizon_nm(20.0, 50.0)))


def test_unknown_equipment_suggests():
    with pytest.raises(ValueError, match="did you mean 'class_a'"):
        reporting_interval_s("clas_a", 10.0)
    assert "none" in AIS_SCHEDULES
