"""Distribution draws match their specs (sample means within 4 standard errors; bounds hold)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import TypeAdapter

from mda_sim.engine.sampling import draw, mean_of
from mda_sim.scenario.specs.base import Distribution

ADAPTER = TypeAdapter(Distribution)
CASES = [
    ({"dist": "fixed", "value": 3.0}, 0.0),
    ({"dist": "uniform", "low": 10.0, "high": 20.0}, 10 / math.sqrt(12)),
    ({"dist": "normal", "mean": 30.0, "sd": 4.0}, 4.0),
    ({"dist": "lognormal", "median": 2.0, "sigma": 0.3}, 2.0 * math.exp(0.045) * math.sqrt(math.exp(0.09) - 1)),
    ({"dist": "exponential", "mean": 5.0}, 5.0),
    ({"dist": "triangular", "low": 0.0, "mode": 1.0, "high": 4.0}, math.sqrt((0 + 1 + 16 - 0 - 0 - 4) / 18)),
]


@pytest.mark.parametrize("raw, sd", CASES)
def test_sample_mean_matches_the_distribution_mean(raw, sd):
    dist = ADAPTER.validate_python(raw)
    rng = np.random.default_rng(1)
    n = 4000
    xs = np.array([draw(dist, rng) for _ in range(n)])
    assert abs(xs.mean() - mean_of(dist)) <= 4 * sd / math.sqrt(n) + 1e-12


def test_truncated_normal_stays_inside_its_bounds():
    dist = ADAPTER.validate_python({"dist": "normal", "mean": 30.0, "sd": 10.0, "min": 25.0, "max": 35.0})
    rng = np.random.default_rng(2)
    xs = [draw(dist, rng) for _ in range(2000)]
    assert min(xs) >= 25.0 and max(xs) <= 35.0 and np.std(xs) > 1.0
