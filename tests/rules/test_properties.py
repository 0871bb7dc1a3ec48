"""Properties over every combination of inputs, and the seam (no simpy, no matplotlib)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mda_sim.geography import Zone
from mda_sim.rules import boarding_seaward, continue_pursuit, patrol_in_waters, pursuit_into_waters
from mda_sim.scenario.specs import BilateralAgreement, TreatyOfSanJose, TreatyParty

STATES = ("USA", "FRA", "NLD", "LCA", "VCT")
treaties = st.builds(
    lambda elections: TreatyOfSanJose(
        parties=tuple(
            TreatyParty(state=s, art12_vessels=a12, art16_boarding=a16)
            for s, (a12, a16) in elections.items()
        )
    ),
    st.dictionaries(
        st.sampled_from(STATES),
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(["treaty_authorization", "express_consent", "deemed_after_4h"]),
        ),
    ),
)
agreements = st.lists(
    st.builds(
        lambda other, provisions: BilateralAgreement(
            id=f"us_{other.lower()}",
            name=f"US-{other}",
            parties=("USA", other),
            provisions=tuple(provisions),
        ),
        st.sampled_from(STATES[1:]),
        st.sets(st.sampled_from(["shipboarding", "shiprider", "pursuit"])),
    ),
    max_size=3,
)
states = st.sampled_from(STATES)
flags = st.sampled_from(STATES + ("stateless", "no_claim"))
seaward = st.sampled_from([Zone.CONTIGUOUS_ZONE, Zone.EEZ, Zone.HIGH_SEAS])


@given(states, flags, seaward, treaties, agreements)
def test_boarding_asks_only_the_flag_state_and_always_cites(acting, flag, zone, treaty, bilaterals):
    d = boarding_seaward(acting, flag, zone, treaty, bilaterals)
    assert d.outcome in ("allowed", "request") and d.citation
    if d.outcome == "request":
        assert d.authority == flag
    assert d == boarding_seaward(
        acting, flag, zone, treaty, bilaterals
    )  # pure: same inputs, same answer


@given(states, states, treaties, agreements, st.booleans(), st.booleans())
def test_entry_asks_only_the_coastal_state(acting, coastal, treaty, bilaterals, rider, asset):
    d = pursuit_into_waters(
        acting, coastal, treaty, bilaterals, shiprider_embarked=rider, coastal_asset_available=asset
    )
    assert d.outcome in ("allowed", "request") and d.citation
    assert d.authority in (None, coastal)
    if coastal == acting:
        assert d.allowed


@given(states, states, treaties, agreements, st.booleans())
def test_a_shiprider_never_makes_entry_harder(acting, coastal, treaty, bilaterals, asset):
    order = {"denied": 0, "request": 1, "allowed": 2}
    without = pursuit_into_waters(
        acting, coastal, treaty, bilaterals, coastal_asset_available=asset
    )
    with_rider = pursuit_into_waters(
        acting, coastal, treaty, bilaterals, shiprider_embarked=True, coastal_asset_available=asset
    )
    assert order[with_rider.outcome] >= order[without.outcome]
    assert (
        order[
            patrol_in_waters(acting, coastal, treaty, bilaterals, shiprider_embarked=True).outcome
        ]
        >= order[patrol_in_waters(acting, coastal, treaty, bilaterals).outcome]
    )


@given(
    states,
    flags,
    st.sampled_from([Zone.TERRITORIAL_SEA, Zone.CONTIGUOUS_ZONE, Zone.EEZ, Zone.HIGH_SEAS]),
    states,
    treaties,
    agreements,
)
def test_continue_pursuit_is_hot_pursuit_seaward(acting, flag, zone, coastal, treaty, bilaterals):
    d = continue_pursuit(acting, flag, zone, coastal, treaty, bilaterals)
    if zone != Zone.TERRITORIAL_SEA or coastal == acting:
        assert d.allowed
