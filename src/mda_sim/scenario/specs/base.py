"""Building blocks shared by every spec: the base model, identifiers and distributions.

Specs are passive, frozen data (STYLE habit 6). Numbers carry their unit in their key name.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: Lower-case identifiers for things a scenario names: ``uscg_frc``, ``san_juan``.
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=64)]
#: States are named by ISO 3166-1 alpha-3 codes (``USA``, ``LCA``), territories likewise (``PRI``).
StateCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Text = Annotated[str, Field(max_length=2000)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Fraction = Annotated[float, Field(gt=0.0, le=1.0)]
LatDeg = Annotated[float, Field(ge=-90.0, le=90.0, description="latitude [deg, WGS84, north positive]")]
LonDeg = Annotated[float, Field(ge=-180.0, le=180.0, description="longitude [deg, WGS84, east positive]")]
#: A citation such as ``"[S27] 28+ kn"`` or the word ``estimate`` with its reasoning.
Source = Annotated[str, Field(min_length=1, max_length=1000)]


class Spec(BaseModel):
    """Base of all specs: frozen, unknown keys rejected, no NaN/inf, no silent type coercion."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        allow_inf_nan=False,
        validate_default=True,
        use_attribute_docstrings=True,
    )


class Point(Spec):
    """A geographic position."""

    lat_deg: LatDeg
    lon_deg: LonDeg


# --- distributions ---------------------------------------------------------------------------
# The unit of a distribution is the unit in the key that holds it (``speed_kn: {dist: ...}``).


class Fixed(Spec):
    """Always the same value."""

    dist: Literal["fixed"]
    value: float


class Uniform(Spec):
    """Uniform on [low, high]."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> "Uniform":
        if not self.low <= self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self


class Normal(Spec):
    """Normal with mean and standard deviation, truncated to [min, max] if given."""

    dist: Literal["normal"]
    mean: float
    sd: Annotated[float, Field(ge=0.0)]
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> "Normal":
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        return self


class LogNormal(Spec):
    """Log-normal given by its median and the standard deviation of the log (sigma)."""

    dist: Literal["lognormal"]
    median: Annotated[float, Field(gt=0.0)]
    sigma: Annotated[float, Field(ge=0.0, le=5.0)]


class Exponential(Spec):
    """Exponential with the given mean."""

    dist: Literal["exponential"]
    mean: Annotated[float, Field(gt=0.0)]


class Triangular(Spec):
    """Triangular on [low, high] with the given mode."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> "Triangular":
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"need low <= mode <= high, got {self.low}, {self.mode}, {self.high}")
        return self


Distribution = Annotated[
    Union[Fixed, Uniform, Normal, LogNormal, Exponential, Triangular], Field(discriminator="dist")
]


def distribution_bounds(d: Distribution) -> tuple[float, float]:
    """Smallest and largest value a distribution can produce (inf where unbounded)."""
    inf = float("inf")
    match d:
        case Fixed(value=v):
            return v, v
        case Uniform(low=lo, high=hi) | Triangular(low=lo, high=hi):
            return lo, hi
        case Normal(mean=m, sd=s, min=lo, max=hi):
            return (lo if lo is not None else (m if s == 0 else -inf)), (
                hi if hi is not None else (m if s == 0 else inf)
            )
        case LogNormal() | Exponential():
            return 0.0, inf
    raise TypeError(f"not a distribution: {d!r}")  # pragma: no cover
