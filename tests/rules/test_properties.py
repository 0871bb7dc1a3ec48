"""Properties over every combination of inputs, and the seam (no simpy, no matplotlib)."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from mda_sim.geography import Zone
from mda_sim.rules import (
    boarding_seaward,
    continue_pursuit,
    follow_aircraft_into_airspace,
    patrol_in_waters,
    pursuit_into_waters,
    resolve_request,
)
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


# --- no pursuit inside a third state's territorial sea without a named authority ----------------

ALPHABET = ("USA", "FRA", "NLD", "BLZ", "LCA", "VCT")
PROVISIONS = (
    "shipboarding",
    "shiprider",
    "pursuit",
    "entry_to_investigate",
    "overflight",
    "order_to_land",
)
elected_treaties = st.builds(
    lambda elections: TreatyOfSanJose(
        parties=tuple(
            TreatyParty(state=s, art12_vessels=a12v, art12_aircraft=a12a, art16_boarding=a16)
            for s, (a12v, a12a, a16) in elections.items()
        )
    ),
    st.dictionaries(
        st.sampled_from(ALPHABET),
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(["a", "b"]),
            st.sampled_from(["treaty_authorization", "express_consent", "deemed_after_4h"]),
        ),
    ),
)
pairs = st.lists(st.sampled_from(ALPHABET), min_size=2, max_size=2, unique=True)
any_agreements = st.lists(
    st.builds(
        lambda pair, provisions: BilateralAgreement(
            id=f"{pair[0].lower()}_{pair[1].lower()}",
            name=f"{pair[0]}-{pair[1]} agreement",
            parties=tuple(pair),
            provisions=tuple(sorted(provisions)),
        ),
        pairs,
        st.sets(st.sampled_from(PROVISIONS)),
    ),
    max_size=4,
)


def _has(a, b, provision, bilaterals):
    return any(set(x.parties) == {a, b} and provision in x.provisions for x in bilaterals)


def _party(state, treaty):
    return next((p for p in treaty.parties if p.state == state), None)


@given(
    st.sampled_from(ALPHABET),
    st.sampled_from(ALPHABET + ("stateless", "no_claim")),
    st.sampled_from(ALPHABET),
    elected_treaties,
    any_agreements,
    st.booleans(),
    st.booleans(),
)
def test_pursuit_in_a_third_state_s_waters_needs_a_named_authority(
    acting, flag, coastal, treaty, bilaterals, rider, asset
):
    assume(coastal != acting)
    d = continue_pursuit(
        acting,
        flag,
        Zone.TERRITORIAL_SEA,
        coastal,
        treaty,
        bilaterals,
        shiprider_embarked=rider,
        coastal_asset_available=asset,
    )
    # Recomputed from the reference (§1.1 Arts 9, 12; §2.1; §7.3, §7.4, §7.7), not from the code.
    both = _party(acting, treaty) is not None and _party(coastal, treaty) is not None
    by_shiprider = rider and (both or _has(acting, coastal, "shiprider", bilaterals))
    by_notice = both and _party(coastal, treaty).art12_vessels == "b" and not asset
    by_bilateral_pursuit = _has(acting, coastal, "pursuit", bilaterals)
    assert d.allowed == (by_shiprider or by_notice or by_bilateral_pursuit), d
    if not d.allowed:
        assert d.outcome == "request" and d.authority == coastal
    assert d.citation


@given(
    st.sampled_from(ALPHABET),
    st.sampled_from(ALPHABET),
    elected_treaties,
    any_agreements,
    st.booleans(),
    st.booleans(),
)
def test_following_an_aircraft_into_waters_needs_a_named_authority(
    acting, coastal, treaty, bilaterals, rider, asset
):
    assume(coastal != acting)
    d = follow_aircraft_into_airspace(
        acting, coastal, treaty, bilaterals, shiprider_embarked=rider, coastal_asset_available=asset
    )
    both = _party(acting, treaty) is not None and _party(coastal, treaty) is not None
    by_shiprider = rider and (both or _has(acting, coastal, "shiprider", bilaterals))
    by_notice = both and _party(coastal, treaty).art12_aircraft == "b" and not asset
    by_bilateral_pursuit = _has(acting, coastal, "pursuit", bilaterals)
    assert d.allowed == (by_shiprider or by_notice or by_bilateral_pursuit), d
    if not d.allowed:
        assert d.outcome == "request" and d.authority == coastal


# --- a Belize-flagged vessel seaward: express consent, never before the answer -------------------


@given(
    st.sampled_from([s for s in ALPHABET if s != "BLZ"] + ["GBR", "TTO"]),
    seaward,
    elected_treaties,
    any_agreements,
    st.floats(min_value=0.0, max_value=1000.0, allow_nan=False),
    st.booleans(),
)
def test_belize_flag_is_boarded_only_with_its_express_consent(
    acting, zone, treaty, bilaterals, delay, granted
):
    treaty = TreatyOfSanJose(
        parties=tuple(p for p in treaty.parties if p.state != "BLZ")
        + (TreatyParty(state="BLZ", art16_boarding="express_consent"),)
    )
    bilaterals = [
        a for a in bilaterals if not ("BLZ" in a.parties and "shipboarding" in a.provisions)
    ]
    d = boarding_seaward(acting, "BLZ", zone, treaty, bilaterals)
    assert d.outcome == "request" and d.authority == "BLZ", d
    if _party(acting, treaty) is not None:
        assert (d.rule, d.citation) == (
            "art16_2_express_consent",
            "Treaty of San Jose Art. 16(2)",
        )
    else:
        assert (d.rule, d.citation) == (
            "vienna_art17_flag_consent",
            "1988 Vienna Convention Art. 17",
        )
    r = resolve_request(d, delay, granted)
    assert r.after_h == delay and r.granted == granted
