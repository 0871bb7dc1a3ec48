"""Kill-chain product: reference §2.10 worked value."""

from __future__ import annotations

import pytest

from mda_sim.theory.killchain import KillChain
from mda_sim.theory.queueing import erlang_b


def test_reference_chain():
    chain = KillChain(
        detect=0.9, classify=0.8, assign=1 - float(erlang_b(2, 3.0)), intercept=0.7, endgame=0.85
    )
    assert chain.p_disrupt == pytest.approx(0.2016, abs=1e-4)
    assert 0.20 <= chain.p_disrupt <= 0.30  # inside the published 20-30 % band
    funnel = chain.funnel()
    assert list(funnel) == ["detect", "classify", "assign", "intercept", "endgame"]
    assert funnel["classify"] == pytest.approx(0.72)
    assert funnel["endgame"] == pytest.approx(chain.p_disrupt)


def test_stage_out_of_range_names_it():
    with pytest.raises(ValueError, match="'intercept' = 1.2"):
        KillChain(0.9, 0.8, 0.5, 1.2, 0.8)
