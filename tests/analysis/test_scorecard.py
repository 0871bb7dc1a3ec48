import math

from mda_sim.analysis.scorecard import score_objectives, scorecard_table
from mda_sim.analysis.stats import Interval
from mda_sim.scenario.specs import Objective


def iv(mean, low, high, n=10):
    return Interval(mean, (high - low) / 2, low, high, n, "test")


OBJ = [
    Objective(id="detect", description="d", metric="frac_detected", comparator=">=", target=0.7, partial_target=0.5),
    Objective(id="latency", description="l", metric="mean_authorization_latency_h", comparator="<=", target=2.0,
              partial_target=4.0),
    Objective(id="kg", description="k", metric="cargo_removed_kg", comparator=">=", target=1000.0),
    Objective(id="missing", description="m", metric="no_such_metric", comparator=">=", target=1.0),
]


def test_met_partly_not_and_not_scored():
    scores = score_objectives(OBJ, {
        "frac_detected": iv(0.75, 0.72, 0.78),           # met, and the whole interval meets it
        "mean_authorization_latency_h": iv(3.0, 2.5, 3.5),  # between 2 and 4: partly met
        "cargo_removed_kg": iv(900.0, 700.0, 1100.0),    # below 1000, no partial target: not met
    })
    by = {s.objective: s for s in scores}
    assert by["detect"].status == "met" and by["detect"].confident
    assert by["latency"].status == "partly met" and not by["latency"].confident
    assert by["kg"].status == "not met"
    assert by["missing"].status == "not scored" and math.isnan(by["missing"].value)


def test_met_on_average_but_not_beyond_doubt():
    [s] = score_objectives(OBJ[:1], {"frac_detected": iv(0.72, 0.65, 0.79)})
    assert s.status == "met" and not s.confident
    [s] = score_objectives(OBJ[1:2], {"mean_authorization_latency_h": iv(1.5, 1.0, 2.5)})
    assert s.status == "met" and not s.confident  # '<=': the high end decides


def test_table_lists_every_objective_with_value_and_target():
    scores = score_objectives(OBJ, {"frac_detected": iv(0.75, 0.72, 0.78)})
    text = scorecard_table(scores)
    for o in OBJ:
        assert o.id in text and o.metric in text
    assert "target >= 0.7, partly >= 0.5" in text and "[0.72, 0.78]" in text
