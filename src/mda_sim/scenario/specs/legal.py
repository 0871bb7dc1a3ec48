"""The legal framework: Treaty of San Jose parties and elections, US bilateral agreements,
shiprider pools, and how fast authorities answer requests.

Article numbers come from the treaty text (reference/treaty-partners-threats-geography.md §1,
source [S1]); nothing here invents an article.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from mda_sim.scenario.specs.base import Distribution, Id, Probability, Source, Spec, StateCode, Text

Art12Election = Literal["a", "b"]
Art16Election = Literal["treaty_authorization", "express_consent", "deemed_after_4h"]


class TreatyParty(Spec):
    """A party to the Treaty of San Jose and its elections.

    Defaults are the treaty's own: Art. 12(2) -> 12(1)(a), Art. 12(5) -> 12(4)(a),
    Art. 13(7) -> 13(6)(a) (prior authorization), and Art. 16(1) (the agreement itself
    authorizes boarding seaward of the territorial sea) unless 16(2) or 16(3) was notified.
    """

    state: StateCode
    art12_vessels: Art12Election = "a"
    """Art. 12(2) election for following a suspect vessel into this party's waters:
    'a' = prior authorization of its designated authority, 'b' = notice, when no embarked
    law enforcement official or vessel of this party is immediately available."""
    art12_aircraft: Art12Election = "a"
    """Art. 12(5) election for following a suspect aircraft into its waters (same a/b meaning)."""
    art13_overflight: Art12Election = "a"
    """Art. 13(7) election on overflight and relay of orders to land: 'a' authorization
    granted by its designated authority, 'b' advance authorization given."""
    art15_internal_waters: bool = False
    """True if the party extended the agreement to its internal waters (Art. 15)."""
    art16_boarding: Art16Election = "treaty_authorization"
    """Boarding its flag vessels seaward of any territorial sea: 'treaty_authorization'
    (Art. 16(1), default), 'express_consent' (notified under 16(2)), or 'deemed_after_4h'
    (notified under 16(3): authorized if no answer within 4 h of an oral Art. 6 request)."""
    elections_source: Source | None = None
    """Citation for the elections; leave unset when they are unknown and defaults apply."""


class TreatyOfSanJose(Spec):
    """Agreement Concerning Co-operation in Suppressing Illicit Maritime and Air Trafficking
    in Narcotic Drugs and Psychotropic Substances in the Caribbean Area (San Jose, 10 April 2003)."""

    parties: tuple[TreatyParty, ...] = ()
    verification_delay_h: Distribution = {"dist": "uniform", "low": 0.5, "high": 4.0}
    """Time for a flag state to answer an Art. 6 nationality request [h]; Art. 6(4) requires
    an answer within 4 h (the default spread inside that limit is an estimate)."""


Provision = Literal[
    "shipboarding", "shiprider", "pursuit", "entry_to_investigate", "overflight", "order_to_land"
]


class BilateralAgreement(Spec):
    """A US bilateral maritime counter-drug agreement and which of the six parts it contains
    (SOUTHCOM/USCG matrix definitions [S10]); the treaty leaves them in force (Art. 31(2))."""

    id: Id
    name: Text
    parties: tuple[StateCode, ...]
    provisions: tuple[Provision, ...]
    signed: Text | None = None
    source: Source | None = None

    @model_validator(mode="after")
    def _two_parties(self) -> "BilateralAgreement":
        if len(self.parties) != 2 or self.parties[0] == self.parties[1]:
            raise ValueError(f"a bilateral agreement has two different parties, got {list(self.parties)}")
        if len(set(self.provisions)) != len(self.provisions):
            raise ValueError("a provision is listed twice")
        return self


class ShipriderPool(Spec):
    """Law enforcement officials of one state available to embark (Art. 9; bilateral shiprider
    provisions): a finite resource, embarked on the named assets."""

    id: Id
    state: StateCode
    count: Annotated[int, Field(ge=1, le=100)]
    embarked_on: tuple[Id, ...]
    """Asset group ids that carry one of these shipriders when they sail."""
    source: Source | None = None


class AuthorityResponse(Spec):
    """How a state's competent authority answers requests (consent, authorization, disposition)."""

    state: StateCode
    delay_h: Distribution
    """Time from request to answer [h]."""
    p_grant: Probability = 1.0
    """Probability that a request is granted [-]."""
    source: Source | None = None


class DefaultResponse(Spec):
    """The answer model for states without their own entry."""

    delay_h: Distribution = {"dist": "lognormal", "median": 2.0, "sigma": 0.7}
    """Time from request to answer [h] (estimate: a median of 2 h; reference §1.2 gives no figure)."""
    p_grant: Probability = 0.9


class Legal(Spec):
    """The rules that decide who may board whom, and where."""

    treaty_of_san_jose: TreatyOfSanJose = TreatyOfSanJose()
    bilateral_agreements: tuple[BilateralAgreement, ...] = ()
    shiprider_pools: tuple[ShipriderPool, ...] = ()
    default_response: DefaultResponse = DefaultResponse()
    responses: tuple[AuthorityResponse, ...] = ()
