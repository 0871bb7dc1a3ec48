"""Experimental designs over scenario factors: full factorial, Latin hypercube, one at a time.

A **factor** is a scenario key path -- the same dotted path ``mda-sim run --set KEY.PATH=VALUE``
takes, e.g. ``assets.uscg_frc.count`` or ``legal.default_response.delay_h.median`` -- with either
explicit ``levels`` (numbers, strings, booleans) or a numeric range ``low``..``high`` (with
``n_levels`` evenly spaced levels for the full factorial and one-at-a-time designs, and
``integer=True`` for whole-number values).

A **design** is a list of points; a point is a ``{path: value}`` dict holding one value per factor.
:func:`as_overrides` turns a point into ``--set`` strings the scenario loader reads back to the same
values, and :func:`design_point_id` gives a short id that is the same for equal points on every run,
so a results store can recognise a point across re-runs.

This module is pure: the standard library and numpy, no simulation, no files.

Designs (Law, *Simulation Modeling and Analysis*, 5th ed., ch. 12; McKay, Beckman & Conover 1979 for
the Latin hypercube; Johnson, Moore & Ylvisaker 1990 for the maximin criterion):

* :func:`full_factorial` -- every combination of levels, the first factor varying slowest;
* :func:`latin_hypercube` -- ``n_points`` points such that, for every factor, each of the
  ``n_points`` equal strata of [0, 1) holds exactly one point;
* :func:`one_at_a_time` -- the baseline point, then each factor moved through its other levels with
  every other factor at its baseline.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "DESIGNS",
    "DesignError",
    "Factor",
    "as_overrides",
    "design_point_id",
    "full_factorial",
    "latin_hypercube",
    "latin_hypercube_unit",
    "make_design",
    "one_at_a_time",
]

Point = dict[str, Any]

# A --set key path: dotted names and [index] segments, no '=' (it ends the key) and no spaces.
_PATH = re.compile(r"^[^.\[\]=\s]+(?:\[\d+\])*(?:\.[^.\[\]=\s]+(?:\[\d+\])*)*$")
# Strings YAML reads back as themselves when written bare (and not as a bool, null or number).
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
# YAML 1.1 words PyYAML reads as booleans or null (lower-cased): a string equal to one is quoted.
_YAML_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})
# Characters a one-line YAML scalar cannot hold: controls (C0, DEL, C1, which includes NEL),
# Unicode line and paragraph separators, surrogates, and the noncharacters U+FFFE and U+FFFF.
_UNWRITABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_ID_CHARS = 12


class DesignError(ValueError):
    """A bad factor, design name, design parameter or design point; the message says which."""


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain_value(value: object, where: str) -> bool | int | float | str:
    """A level as a plain Python bool, int, float or str (numpy scalars converted), or DesignError."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DesignError(f"{where}: {value!r} is not a finite number")
        return float(value)
    raise DesignError(
        f"{where}: {value!r} ({type(value).__name__}) is not allowed;"
        " a level is a number, a string or a boolean"
    )


def _same(a: object, b: object) -> bool:
    """Equal as scenario values: numbers within rounding, booleans never equal to numbers."""
    if _is_number(a) and _is_number(b):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)  # type: ignore[arg-type]
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return type(a) is type(b) and a == b


def _contains(values: Sequence[object], value: object) -> bool:
    return any(_same(v, value) for v in values)


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


# ---------------------------------------------------------------------------------------------
# Factor
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    """One scenario parameter to vary.

    Give either ``levels`` (a non-empty sequence of distinct numbers, strings or booleans) or a
    range ``low`` < ``high``. A range needs ``n_levels`` >= 2 (evenly spaced from ``low`` to
    ``high``, both included) for :func:`full_factorial` and :func:`one_at_a_time`; the Latin
    hypercube samples it continuously and ignores ``n_levels``. With ``integer=True`` the range's
    bounds must be whole numbers and its values are whole numbers (ints).

    ``baseline`` is the factor's value in the one-at-a-time design's baseline point: one of the
    levels for a levels factor, a value in [low, high] for a range. Without it the baseline is the
    middle level (the lower of the two middle ones for an even count) or the range's midpoint
    (rounded half up for an integer range).
    """

    path: str
    levels: tuple | None = None
    low: float | None = None
    high: float | None = None
    n_levels: int | None = None
    integer: bool = False
    baseline: object = None

    def __post_init__(self) -> None:
        path = self.path
        if not isinstance(path, str) or not _PATH.match(path):
            raise DesignError(
                f"factor path {path!r} is not a scenario key path; expected dotted names like"
                " 'assets.uscg_frc.count' or 'assets[0].count' (no '=' or spaces)"
            )
        where = f"factor '{path}'"
        has_levels = self.levels is not None
        has_range = self.low is not None or self.high is not None
        if has_levels == has_range:
            raise DesignError(
                f"{where}: give exactly one of levels or a range (low and high);"
                f" got {'both' if has_levels else 'neither'}"
            )
        if not isinstance(self.integer, bool):
            raise DesignError(f"{where}: integer must be true or false, got {self.integer!r}")
        if has_levels:
            self._check_levels(where)
        else:
            self._check_range(where)
        if self.baseline is not None:
            self._check_baseline(where)

    def _check_levels(self, where: str) -> None:
        raw = self.levels
        if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Iterable):
            raise DesignError(f"{where}: levels must be a list of values, got {raw!r}")
        levels = tuple(_plain_value(v, f"{where}: level") for v in raw)
        if not levels:
            raise DesignError(f"{where}: levels is empty; give at least one value")
        for i, value in enumerate(levels):
            if _contains(levels[:i], value):
                raise DesignError(f"{where}: level {value!r} is repeated; levels must be distinct")
        if self.n_levels is not None:
            raise DesignError(f"{where}: n_levels is for a range (low, high), not explicit levels")
        if self.integer:
            raise DesignError(f"{where}: integer is for a range (low, high), not explicit levels")
        object.__setattr__(self, "levels", levels)

    def _check_range(self, where: str) -> None:
        for name in ("low", "high"):
            value = getattr(self, name)
            if value is None:
                raise DesignError(f"{where}: a range needs both low and high; {name} is missing")
            if isinstance(value, np.generic):
                value = value.item()
            if not _is_number(value) or not math.isfinite(value):
                raise DesignError(f"{where}: {name} must be a finite number, got {value!r}")
            object.__setattr__(self, name, value)
        low, high = self.low, self.high
        assert low is not None and high is not None
        if not low < high:
            raise DesignError(
                f"{where}: low must be less than high, got low={low!r}, high={high!r}"
            )
        if self.integer:
            for name in ("low", "high"):
                value = getattr(self, name)
                if value != int(value):
                    raise DesignError(
                        f"{where}: an integer range needs whole-number bounds; {name}={value!r}"
                    )
                object.__setattr__(self, name, int(value))
        n = self.n_levels
        if n is not None:
            if isinstance(n, np.integer):
                n = int(n)
                object.__setattr__(self, "n_levels", n)
            if isinstance(n, bool) or not isinstance(n, int) or n < 2:
                raise DesignError(f"{where}: n_levels must be a whole number >= 2, got {n!r}")
            if self.integer and n > self.high - self.low + 1:  # type: ignore[operator]
                raise DesignError(
                    f"{where}: n_levels={n} but the integer range {self.low}..{self.high} holds"
                    f" only {self.high - self.low + 1} whole numbers"  # type: ignore[operator]
                )

    def _check_baseline(self, where: str) -> None:
        base = _plain_value(self.baseline, f"{where}: baseline")
        if self.levels is not None:
            if not _contains(self.levels, base):
                raise DesignError(
                    f"{where}: baseline {base!r} is not one of the levels {list(self.levels)!r}"
                )
            base = next(v for v in self.levels if _same(v, base))
        else:
            if not _is_number(base) or not self.low <= base <= self.high:  # type: ignore[operator]
                raise DesignError(
                    f"{where}: baseline {base!r} is outside the range [{self.low}, {self.high}]"
                )
            if self.integer:
                if base != int(base):  # type: ignore[arg-type]
                    raise DesignError(
                        f"{where}: baseline {base!r} is not a whole number (integer range)"
                    )
                base = int(base)  # type: ignore[arg-type]
        object.__setattr__(self, "baseline", base)

    # -- derived ---------------------------------------------------------------------------

    @property
    def is_range(self) -> bool:
        return self.levels is None

    def values(self, design: str = "this design") -> tuple:
        """The factor's levels: the explicit ones, or ``n_levels`` evenly spaced over the range."""
        if self.levels is not None:
            return self.levels
        if self.n_levels is None:
            raise DesignError(
                f"factor '{self.path}': a range needs n_levels (a whole number >= 2) for {design};"
                f" got a range {self.low}..{self.high} without one"
            )
        grid = np.linspace(self.low, self.high, self.n_levels)
        if self.integer:
            return tuple(_round_half_up(x) for x in grid)
        return tuple(float(x) for x in grid)

    def baseline_value(self) -> object:
        """The one-at-a-time baseline: ``baseline``, else the middle level or the range midpoint."""
        if self.baseline is not None:
            return self.baseline
        if self.levels is not None:
            return self.levels[(len(self.levels) - 1) // 2]
        mid = (self.low + self.high) / 2  # type: ignore[operator]
        return _round_half_up(mid) if self.integer else float(mid)

    def from_unit(self, u: float) -> object:
        """The factor's value at ``u`` in [0, 1).

        A range maps ``u`` linearly onto [low, high]; an integer range onto the whole numbers
        ``low..high``, each owning an equal share of [0, 1) (``low + floor(u * (high - low + 1))``),
        so the end values are as likely as the inner ones. A levels factor picks level
        ``floor(u * len(levels))``.
        """
        if self.levels is not None:
            k = len(self.levels)
            return self.levels[min(math.floor(u * k), k - 1)]
        low, high = self.low, self.high
        assert low is not None and high is not None
        if self.integer:
            span = int(high - low) + 1
            return int(low) + min(math.floor(u * span), span - 1)
        return float(min(low + u * (high - low), high))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Factor:
        """A factor from a sweep file's mapping.

        ``{path: P, levels: [...]}`` or ``{path: P, range: {low: L, high: H, n_levels: N,
        integer: false}}`` (``range: [L, H]`` also accepted), with an optional ``baseline``.
        """
        if not isinstance(data, Mapping):
            raise DesignError(f"a factor is a mapping with path and levels or range, got {data!r}")
        allowed = ("path", "levels", "range", "baseline")
        for key in data:
            if key not in allowed:
                raise DesignError(
                    f"factor {data.get('path', '?')!r}: unknown key {key!r}"
                    f"{_did_you_mean(str(key), allowed)}; allowed: {', '.join(allowed)}"
                )
        if "path" not in data:
            raise DesignError(f"a factor needs a path, got {dict(data)!r}")
        path = data["path"]
        rng = data.get("range")
        if rng is None:
            return cls(path=path, levels=data.get("levels"), baseline=data.get("baseline"))
        if "levels" in data:
            raise DesignError(f"factor '{path}': give exactly one of levels or range; got both")
        if isinstance(rng, Sequence) and not isinstance(rng, str) and len(rng) == 2:
            rng = {"low": rng[0], "high": rng[1]}
        if not isinstance(rng, Mapping):
            raise DesignError(
                f"factor '{path}': range must be [low, high] or a mapping with low, high,"
                f" n_levels, integer; got {rng!r}"
            )
        range_keys = ("low", "high", "n_levels", "integer")
        for key in rng:
            if key not in range_keys:
                raise DesignError(
                    f"factor '{path}': unknown range key {key!r}{_did_you_mean(str(key), range_keys)};"
                    f" allowed: {', '.join(range_keys)}"
                )
        return cls(
            path=path,
            low=rng.get("low"),
            high=rng.get("high"),
            n_levels=rng.get("n_levels"),
            integer=rng.get("integer", False),
            baseline=data.get("baseline"),
        )


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _factors(factors: Iterable[Factor | Mapping[str, Any]]) -> list[Factor]:
    """Factors (mappings converted), at least one, with no path repeated or inside another."""
    if isinstance(factors, (Factor, Mapping, str)):
        raise DesignError("factors must be a list of factors")
    out = [f if isinstance(f, Factor) else Factor.from_mapping(f) for f in factors]
    if not out:
        raise DesignError("a design needs at least one factor")
    paths = [f.path.strip() for f in out]
    for i, a in enumerate(paths):
        for b in paths[:i]:
            if a == b:
                raise DesignError(f"factor '{a}' is given twice; each path may be varied once")
            inner, outer = (a, b) if len(a) > len(b) else (b, a)
            if inner.startswith(outer) and inner[len(outer)] in ".[":
                raise DesignError(
                    f"factors '{outer}' and '{inner}' overlap: one sets a value inside the other"
                )
    return out


# ---------------------------------------------------------------------------------------------
# Designs
# ---------------------------------------------------------------------------------------------


def full_factorial(factors: Sequence[Factor]) -> list[Point]:
    """Every combination of the factors' levels; the first factor varies slowest.

    ``len`` is the product of the level counts. Range factors need ``n_levels``.
    """
    fs = _factors(factors)
    grids = [f.values("full_factorial") for f in fs]
    return [{f.path: v for f, v in zip(fs, combo)} for combo in itertools.product(*grids)]


def _min_distance(unit: np.ndarray) -> float:
    if len(unit) < 2:
        return math.inf
    diff = unit[:, None, :] - unit[None, :, :]
    d2 = np.einsum("ijk,ijk->ij", diff, diff)
    d2[np.diag_indices(len(unit))] = np.inf
    return float(d2.min())


def latin_hypercube_unit(
    n_points: int, n_dims: int, seed: int, *, maximin: bool = False, candidates: int = 50
) -> np.ndarray:
    """A Latin hypercube on [0, 1)^n_dims: an ``(n_points, n_dims)`` array.

    In every column, ``floor(u * n_points)`` takes each of ``0 .. n_points - 1`` exactly once: the
    strata are permuted independently per column by ``numpy.random.default_rng(seed)``, and each
    point lies uniformly at random inside its stratum. With ``maximin`` the generator draws
    ``candidates`` such hypercubes and keeps the one whose closest two points are farthest apart
    (every candidate is a Latin hypercube, so the stratum property holds either way).
    """
    if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)) or n_points < 1:
        raise DesignError(f"n_points must be a whole number >= 1, got {n_points!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DesignError(f"seed must be a whole number >= 0, got {seed!r}")
    if maximin and (
        isinstance(candidates, bool)
        or not isinstance(candidates, (int, np.integer))
        or candidates < 1
    ):
        raise DesignError(f"candidates must be a whole number >= 1, got {candidates!r}")
    n = int(n_points)
    rng = np.random.default_rng(int(seed))

    def one() -> np.ndarray:
        strata = np.empty((n, n_dims), dtype=np.int64)
        for j in range(n_dims):
            strata[:, j] = rng.permutation(n)
        unit = (strata + rng.random((n, n_dims))) / n
        # Rounding can carry a point within an ulp of its stratum's top into the next one: centre
        # such a (vanishingly rare) point in its own stratum.
        stray = np.floor(unit * n) != strata
        unit[stray] = (strata[stray] + 0.5) / n
        return unit

    best = one()
    if maximin:
        best_d = _min_distance(best)
        for _ in range(int(candidates) - 1):
            cand = one()
            d = _min_distance(cand)
            if d > best_d:
                best, best_d = cand, d
    return best


def latin_hypercube(
    factors: Sequence[Factor],
    n_points: int,
    seed: int,
    *,
    maximin: bool = False,
    candidates: int = 50,
) -> list[Point]:
    """A Latin hypercube sample of ``n_points`` points (McKay, Beckman & Conover 1979).

    For every factor, the ``n_points`` equal strata of [0, 1) each hold exactly one point; the
    strata are permuted independently per factor by a numpy Generator seeded with ``seed``, so
    the same factors, ``n_points`` and ``seed`` give the same design (see
    :func:`latin_hypercube_unit`, which also describes ``maximin`` and ``candidates``).

    Each unit value ``u`` becomes a factor value by :meth:`Factor.from_unit`: a range maps onto
    [low, high] (an integer range onto the whole numbers ``low..high``, equally likely); a levels
    factor takes level ``floor(u * len(levels))``. When ``n_points`` is not a multiple of a
    factor's level count (or of the count of whole numbers in an integer range) that factor's
    levels are **not balanced**: some appear once more than others. ``n_levels`` is ignored.
    """
    fs = _factors(factors)
    unit = latin_hypercube_unit(n_points, len(fs), seed, maximin=maximin, candidates=candidates)
    return [{f.path: f.from_unit(float(u)) for f, u in zip(fs, row)} for row in unit]


def one_at_a_time(factors: Sequence[Factor]) -> list[Point]:
    """The baseline point, then each factor through its other levels with the rest at baseline.

    The baseline point has every factor at :meth:`Factor.baseline_value`. Factor by factor, in the
    order given, each level other than the baseline (in level order) gives one point, so no point
    repeats the baseline: ``len`` is ``1 + sum(levels - 1)`` when each baseline is one of its
    factor's levels (one more for each range factor whose baseline falls between its levels).
    Range factors need ``n_levels``.
    """
    fs = _factors(factors)
    grids = [f.values("one_at_a_time") for f in fs]
    base = {f.path: f.baseline_value() for f in fs}
    points = [dict(base)]
    for f, grid in zip(fs, grids):
        for value in grid:
            if _same(value, base[f.path]):
                continue
            points.append({**base, f.path: value})
    return points


DESIGNS: dict[str, Callable[..., list[Point]]] = {
    "full_factorial": full_factorial,
    "latin_hypercube": latin_hypercube,
    "one_at_a_time": one_at_a_time,
}


def make_design(name: str, factors: Sequence[Factor], **params: Any) -> list[Point]:
    """The design ``name`` (a key of :data:`DESIGNS`) over ``factors``, with its ``params``."""
    if name not in DESIGNS:
        raise DesignError(
            f"unknown design {name!r}{_did_you_mean(str(name), DESIGNS)};"
            f" designs: {', '.join(DESIGNS)}"
        )
    try:
        return DESIGNS[name](factors, **params)
    except TypeError as exc:
        raise DesignError(f"design {name!r}: {exc}") from None


# ---------------------------------------------------------------------------------------------
# Points
# ---------------------------------------------------------------------------------------------


def _plain_point(point: Mapping[str, Any]) -> dict[str, bool | int | float | str]:
    out = {}
    for key, value in point.items():
        if not isinstance(key, str):
            raise DesignError(f"a design point's keys are key paths (strings), got {key!r}")
        out[key] = _plain_value(value, f"point value at '{key}'")
    return out


def design_point_id(point: Mapping[str, Any]) -> str:
    """A short stable id of a design point: 12 hex characters of the SHA-256 of its JSON.

    The JSON has sorted keys and no spaces, so equal points give equal ids whatever their key
    order, on every run and machine. Values are compared as written: ``2`` and ``2.0`` differ.
    """
    text = json.dumps(_plain_point(point), sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_ID_CHARS]


def _yaml_literal(value: bool | float | str, where: str) -> str:
    """``value`` as a YAML scalar that ``yaml.safe_load`` reads back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        # PyYAML (YAML 1.1) reads a float only with a '.': 1e-05 would be a string.
        if "e" in text and "." not in text:
            mantissa, _, exponent = text.partition("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if _UNWRITABLE.search(value):
        raise DesignError(
            f"{where}: {value!r} holds a control character or line break; it cannot be a --set value"
        )
    if _PLAIN.match(value) and value.lower() not in _YAML_WORDS:
        return value
    return "'" + value.replace("'", "''") + "'"


def as_overrides(point: Mapping[str, Any]) -> list[str]:
    """The point as ``--set`` strings, ``['path=value', ...]`` in the point's key order.

    Values are YAML literals the scenario loader reads back as the same values: ``true``/``false``
    for booleans, ``repr`` for numbers (``1.0e-05`` rather than ``1e-05``, which YAML 1.1 reads as
    a string), and strings bare when that is safe, else single-quoted (so ``'on'``, ``'off'``,
    ``'yes'``, ``'null'`` and ``'12'`` stay strings). For a shell command line quote each string
    as a whole (``shlex.quote``).
    """
    out = []
    for path, value in _plain_point(point).items():
        if not _PATH.match(path.strip()):
            raise DesignError(f"{path!r} is not a scenario key path")
        out.append(f"{path}={_yaml_literal(value, f'point value at {path!r}')}")
    return out
