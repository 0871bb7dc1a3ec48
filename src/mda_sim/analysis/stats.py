"""Confidence intervals for replications and for paired comparisons of two scenarios (pure).

A *replication* is one run of a scenario under one derived seed; N replications give N independent,
identically distributed observations of every metric. This module turns them into confidence
intervals, and states the method in each :class:`Interval` it returns:

* :func:`mean_ci` -- the fixed-sample-size Student-t interval on the replication values
  (Law & Kelton, *Simulation Modeling and Analysis*, 5th ed., 2015, §9.4.1);
* :func:`paired_diff_ci` -- the paired-t interval on the differences ``b_i - a_i`` of a baseline
  ``a`` and an excursion ``b`` whose replication ``i`` shares random numbers (same derived seed;
  common random numbers), Law & Kelton §10.2.1. Positive correlation between ``a_i`` and ``b_i``
  shrinks the variance of the difference, so for a small change the interval is much narrower than
  the unpaired one;
* :func:`welch_diff_ci` -- the unpaired Welch (modified two-sample-t) interval with
  Welch-Satterthwaite degrees of freedom, Law & Kelton §10.2.2, which ignores the pairing;
* :func:`proportion_ci` -- the Wilson score interval for a proportion (Wilson 1927; Newcombe 1998),
  for rates pooled over voyages;
* :func:`summarise_metrics` -- :func:`mean_ci` for every metric named in any replication.

The Student-t quantile :func:`t_quantile` is computed here (scipy is not a dependency): the upper
tail ``0.5 * I_x(dof/2, 1/2)``, ``x = dof / (dof + t**2)``, with the regularized incomplete beta
function ``I_x`` by its continued fraction (Numerical Recipes, 3rd ed., §6.4), is inverted by a
safeguarded Newton iteration; very large ``dof`` use the Cornish-Fisher expansion about the normal
quantile (Abramowitz & Stegun 26.7.5).

Non-finite values (NaN, e.g. a metric a replication could not measure; also +-inf) are ignored:
``n`` counts the finite values used. Fewer than two finite values give a NaN half width (the
sample variance is undefined), and the returned :class:`Interval` says so in its ``method``.

Like every analyzer this is pure: numpy and the standard library only (no simpy, no matplotlib).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "Interval",
    "mean_ci",
    "normal_quantile",
    "paired_diff_ci",
    "proportion_ci",
    "summarise_metrics",
    "t_quantile",
    "welch_diff_ci",
]

#: Method names carried by :attr:`Interval.method` (followed by the confidence level).
METHOD_T = "Student t (Law & Kelton §9.4.1)"
METHOD_PAIRED_T = "paired t (Law & Kelton §10.2.1)"
METHOD_WELCH = "Welch t (Law & Kelton §10.2.2)"
METHOD_WILSON = "Wilson score"

#: Above this many degrees of freedom :func:`t_quantile` uses the Cornish-Fisher expansion (its
#: truncation error there is O(dof**-5), far below double precision).
_CORNISH_FISHER_DOF = 1.0e5


# ---------------------------------------------------------------------------------------------
# Quantiles
# ---------------------------------------------------------------------------------------------


def _check_p(p: float) -> float:
    p = float(p)
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability must be in (0, 1), got {p!r}")
    return p


def _check_confidence(confidence: float) -> float:
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    return confidence


def _solve_upper_tail(
    q: float, tail: Callable[[float], float], pdf: Callable[[float], float]
) -> float:
    """The ``t >= 0`` with ``tail(t) == q`` for a decreasing upper tail with density ``pdf``.

    Bracket by doubling, then Newton steps kept inside the bracket (bisection when Newton would
    leave it, Numerical Recipes ``rtsafe``). Working with the tail, not the CDF, keeps full
    relative accuracy for small ``q``.
    """
    lo, hi = 0.0, 1.0
    while tail(hi) > q:
        lo, hi = hi, 2.0 * hi
        if hi > 1.0e300:  # pragma: no cover - unreachable for q >= the smallest double
            return math.inf
    t = 0.5 * (lo + hi)
    for _ in range(200):
        f = tail(t) - q
        if f > 0.0:
            lo = t
        else:
            hi = t
        d = pdf(t)
        step = f / d if d > 0.0 else math.inf
        t_new = t + step  # tail' = -pdf, so Newton is t - f / (-pdf)
        if not lo < t_new < hi:
            t_new = 0.5 * (lo + hi)
        if abs(t_new - t) <= 1.0e-15 * max(1.0, abs(t_new)) or hi - lo <= 1.0e-15 * hi:
            return t_new
        t = t_new
    return t  # pragma: no cover - converges in a handful of steps


def _normal_tail(x: float) -> float:
    return 0.5 * math.erfc(x / math.sqrt(2.0))


def _normal_pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


@lru_cache(maxsize=1024)
def normal_quantile(p: float) -> float:
    """Quantile of the standard normal distribution.

    Parameters
    ----------
    p : float
        Probability in (0, 1).

    Returns
    -------
    float
        ``z`` with ``Phi(z) == p``, by inverting ``Phi`` (through ``math.erfc``) with a safeguarded
        Newton iteration; accurate to about 1e-14.
    """
    p = _check_p(p)
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -normal_quantile(1.0 - p)
    return _solve_upper_tail(1.0 - p, _normal_tail, _normal_pdf)


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz; NR 3rd ed. §6.4)."""
    tiny = 1.0e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1.0e-16:
            break
    return h


def _betainc(a: float, b: float, x: float, y: float) -> float:
    """Regularized incomplete beta ``I_x(a, b)``; ``y == 1 - x`` is passed to avoid cancellation."""
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, y) / b


def _t_tail(t: float, dof: float) -> float:
    """``P(T > t)`` for ``t >= 0``, ``T`` Student t with ``dof`` degrees of freedom."""
    t2 = t * t
    return 0.5 * _betainc(0.5 * dof, 0.5, dof / (dof + t2), t2 / (dof + t2))


def _t_pdf(t: float, dof: float) -> float:
    log_c = (
        math.lgamma(0.5 * (dof + 1.0))
        - math.lgamma(0.5 * dof)
        - 0.5 * math.log(dof * math.pi)
    )
    return math.exp(log_c - 0.5 * (dof + 1.0) * math.log1p(t * t / dof))


def _cornish_fisher(z: float, dof: float) -> float:
    """Student-t quantile from the normal quantile ``z`` (Abramowitz & Stegun 26.7.5)."""
    z2 = z * z
    g1 = (z2 + 1.0) * z / 4.0
    g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0
    g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0
    g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0
    return z + g1 / dof + g2 / dof**2 + g3 / dof**3 + g4 / dof**4


@lru_cache(maxsize=4096)
def t_quantile(p: float, dof: float) -> float:
    """Quantile of Student's t distribution.

    Parameters
    ----------
    p : float
        Probability in (0, 1); e.g. ``0.975`` for a two-sided 95% interval.
    dof : float
        Degrees of freedom, > 0; need not be an integer (Welch-Satterthwaite gives fractional
        ones). ``math.inf`` gives the normal quantile.

    Returns
    -------
    float
        ``t`` with ``P(T <= t) == p``.

    Notes
    -----
    ``dof == 1`` (Cauchy) and ``dof == 2`` use their closed forms. Otherwise the upper tail
    ``P(T > t) = 0.5 * I_{dof/(dof+t^2)}(dof/2, 1/2)`` (Abramowitz & Stegun 26.7.1 with 26.5.27),
    the regularized incomplete beta function evaluated by its continued fraction (Numerical
    Recipes, 3rd ed., §6.4), is inverted by a safeguarded Newton iteration (NR ``rtsafe``);
    accurate to about 1e-12 relative. For ``dof > 1e5`` the Cornish-Fisher expansion
    (Abramowitz & Stegun 26.7.5, four terms) about :func:`normal_quantile` is used.

    Tabulated checks (two-sided 95%): 12.706 (1 dof), 2.776 (4), 2.262 (9), 2.093 (19),
    2.045 (29), 1.960 (infinite).
    """
    p = _check_p(p)
    dof = float(dof)
    if not dof > 0.0:
        raise ValueError(f"degrees of freedom must be > 0, got {dof!r}")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, dof)
    if math.isinf(dof):
        return normal_quantile(p)
    q = 1.0 - p
    if dof == 1.0:
        return 1.0 / math.tan(math.pi * q)
    if dof == 2.0:
        return math.sqrt(2.0) * (p - q) / math.sqrt(4.0 * p * q)
    if dof > _CORNISH_FISHER_DOF:
        return _cornish_fisher(normal_quantile(p), dof)
    return _solve_upper_tail(q, lambda t: _t_tail(t, dof), lambda t: _t_pdf(t, dof))


# ---------------------------------------------------------------------------------------------
# Intervals
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval and how it was made.

    Attributes
    ----------
    mean : float
        Point estimate: the sample mean (of the differences, for a comparison), or the observed
        proportion for :func:`proportion_ci`. NaN when there are no finite values.
    half_width : float
        Half the width of the interval, ``(high - low) / 2``. NaN when it cannot be estimated
        (fewer than two finite values); 0 when all values are equal.
    low, high : float
        The interval's limits (NaN when ``half_width`` is NaN). For the Wilson interval they are
        not symmetric about ``mean``.
    n : int
        Number of observations used: finite values (:func:`mean_ci`), complete pairs
        (:func:`paired_diff_ci`), values in both samples together (:func:`welch_diff_ci`), or
        trials (:func:`proportion_ci`).
    method : str
        The method and confidence level, e.g. ``"Student t (Law & Kelton §9.4.1), 95%, 4 dof"``.
    """

    mean: float
    half_width: float
    low: float
    high: float
    n: int
    method: str

    def contains(self, x: float) -> bool:
        """Whether ``low <= x <= high`` (False when the limits are NaN)."""
        return bool(self.low <= x <= self.high)

    def excludes(self, x: float = 0.0) -> bool:
        """Whether the interval lies wholly above or below ``x`` (False when the limits are NaN):
        for a difference, whether it is resolved from ``x`` = 0."""
        return bool(self.low > x or self.high < x)

    def as_dict(self) -> dict:
        """The interval as strict-JSON-ready data: NaN and infinities as ``None``."""
        def clean(x: float) -> float | None:
            return float(x) if math.isfinite(x) else None

        return {"mean": clean(self.mean), "half_width": clean(self.half_width), "low": clean(self.low),
                "high": clean(self.high), "n": int(self.n), "method": self.method}


def _level(confidence: float) -> str:
    return f"{100.0 * confidence:g}%"


def _finite(values: ArrayLike) -> np.ndarray:
    x = np.asarray(values, dtype=float).ravel()
    return x[np.isfinite(x)]


def _t_interval(x: np.ndarray, confidence: float, method: str, n: int | None = None) -> Interval:
    """Student-t interval on the finite 1-d sample ``x`` (shared by mean and paired intervals)."""
    size = int(x.size)
    n = size if n is None else n
    if size == 0:
        nan = math.nan
        return Interval(nan, nan, nan, nan, n, f"{method}, {_level(confidence)}, no finite values")
    if np.all(x == x[0]):
        mean = float(x[0])
        if size == 1:
            nan = math.nan
            return Interval(
                mean, nan, nan, nan, n,
                f"{method}, {_level(confidence)}, n < 2: half width undefined",
            )
        return Interval(mean, 0.0, mean, mean, n, f"{method}, {_level(confidence)}, {size - 1} dof")
    mean = float(np.mean(x))
    s = float(np.std(x, ddof=1))
    dof = size - 1
    hw = t_quantile(0.5 + 0.5 * confidence, dof) * s / math.sqrt(size)
    return Interval(mean, hw, mean - hw, mean + hw, n, f"{method}, {_level(confidence)}, {dof} dof")


def mean_ci(values: ArrayLike, confidence: float = 0.95) -> Interval:
    """Student-t confidence interval for the mean of independent replication values.

    Parameters
    ----------
    values : array_like
        One value of a metric per replication; NaN (and +-inf) are ignored.
    confidence : float, default 0.95
        Two-sided confidence level in (0, 1).

    Returns
    -------
    Interval
        ``mean +- t_{1-alpha/2, n-1} * s / sqrt(n)``, with ``s`` the sample standard deviation
        of the ``n`` finite values. ``n < 2`` gives a NaN half width (stated in ``method``);
        all-equal values give a half width of 0.

    Notes
    -----
    The fixed-sample-size procedure of Law & Kelton, *Simulation Modeling and Analysis*, 5th ed.
    (2015), §9.4.1, eq. (9.1): exact for normal values, asymptotically valid (central limit
    theorem) otherwise, with some undercoverage for small ``n`` and skewed values.
    """
    confidence = _check_confidence(confidence)
    return _t_interval(_finite(values), confidence, METHOD_T)


def paired_diff_ci(a: ArrayLike, b: ArrayLike, confidence: float = 0.95) -> Interval:
    """Paired-t confidence interval for the mean difference ``b - a`` of two systems.

    Parameters
    ----------
    a, b : array_like
        Baseline and excursion values, the same length; ``a[i]`` and ``b[i]`` come from
        replication ``i`` of each (same derived seed, common random numbers). Pairs where either
        value is not finite are dropped.
    confidence : float, default 0.95
        Two-sided confidence level in (0, 1).

    Returns
    -------
    Interval
        The Student-t interval on ``d_i = b_i - a_i``; ``n`` is the number of complete pairs.

    Raises
    ------
    ValueError
        ``a`` and ``b`` differ in length.

    Notes
    -----
    Law & Kelton (2015), §10.2.1 (paired-t). The pairs need not be independent *within* a pair,
    only across pairs, so common random numbers are allowed; when they induce positive
    correlation, ``Var(d) = Var(a) + Var(b) - 2 Cov(a, b)`` is smaller and the interval narrower
    than :func:`welch_diff_ci` (§11.2 on common random numbers).
    """
    confidence = _check_confidence(confidence)
    xa = np.asarray(a, dtype=float).ravel()
    xb = np.asarray(b, dtype=float).ravel()
    if xa.shape != xb.shape:
        raise ValueError(
            f"paired comparison needs equal lengths, got {xa.size} baseline and {xb.size} "
            "excursion values"
        )
    keep = np.isfinite(xa) & np.isfinite(xb)
    return _t_interval(xb[keep] - xa[keep], confidence, METHOD_PAIRED_T)


def welch_diff_ci(a: ArrayLike, b: ArrayLike, confidence: float = 0.95) -> Interval:
    """Welch (unpaired) confidence interval for the difference of means ``mean(b) - mean(a)``.

    Parameters
    ----------
    a, b : array_like
        Independent samples (lengths may differ); non-finite values are ignored.
    confidence : float, default 0.95
        Two-sided confidence level in (0, 1).

    Returns
    -------
    Interval
        ``mean(b) - mean(a) +- t_{1-alpha/2, f} * sqrt(s_a^2/n_a + s_b^2/n_b)`` with the
        Welch-Satterthwaite degrees of freedom
        ``f = (s_a^2/n_a + s_b^2/n_b)^2 / ((s_a^2/n_a)^2/(n_a-1) + (s_b^2/n_b)^2/(n_b-1))``.
        ``n`` is ``n_a + n_b``. NaN half width when either sample has fewer than two values.

    Notes
    -----
    Law & Kelton (2015), §10.2.2 (Welch's modified two-sample-t). It ignores any pairing, so
    it is the contrast for :func:`paired_diff_ci`: valid, but wider under common random numbers.
    """
    confidence = _check_confidence(confidence)
    xa, xb = _finite(a), _finite(b)
    na, nb = int(xa.size), int(xb.size)
    level = _level(confidence)
    nan = math.nan
    mean = float(np.mean(xb) - np.mean(xa)) if na and nb else nan
    if na < 2 or nb < 2:
        return Interval(
            mean, nan, nan, nan, na + nb,
            f"{METHOD_WELCH}, {level}, a sample has n < 2: half width undefined",
        )
    va = float(np.var(xa, ddof=1)) / na
    vb = float(np.var(xb, ddof=1)) / nb
    if va + vb == 0.0:
        return Interval(mean, 0.0, mean, mean, na + nb, f"{METHOD_WELCH}, {level}, zero variance")
    dof = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    hw = t_quantile(0.5 + 0.5 * confidence, dof) * math.sqrt(va + vb)
    method = f"{METHOD_WELCH}, {level}, {dof:.1f} dof"
    return Interval(mean, hw, mean - hw, mean + hw, na + nb, method)


def proportion_ci(successes: int, trials: int, confidence: float = 0.95) -> Interval:
    """Wilson score confidence interval for a binomial proportion.

    Parameters
    ----------
    successes : int
        Number of successes, ``0 <= successes <= trials``.
    trials : int
        Number of trials, ``>= 0``.
    confidence : float, default 0.95
        Two-sided confidence level in (0, 1).

    Returns
    -------
    Interval
        ``mean`` is the observed proportion ``k/n``; ``low``/``high`` the Wilson limits
        ``(p + z^2/(2n) -+ z sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n)``, which stay in
        [0, 1] and are not symmetric about ``mean``; ``half_width`` is ``(high - low) / 2``.
        No trials give NaN throughout.

    Notes
    -----
    Wilson, E. B. (1927), JASA 22:209-212; recommended over the Wald interval by Newcombe, R. G.
    (1998), Statistics in Medicine 17:857-872 (method 3) and Brown, Cai & DasGupta (2001),
    Statistical Science 16:101-133, for its near-nominal coverage with small ``n`` or ``p``
    near 0 or 1.
    """
    confidence = _check_confidence(confidence)
    k, n = float(successes), float(trials)
    if k != int(k) or n != int(n) or n < 0 or not 0 <= k <= n:
        raise ValueError(
            f"need whole numbers 0 <= successes <= trials, got {successes!r} of {trials!r}"
        )
    level = _level(confidence)
    if n == 0:
        nan = math.nan
        return Interval(nan, nan, nan, nan, 0, f"{METHOD_WILSON}, {level}, no trials")
    z = normal_quantile(0.5 + 0.5 * confidence)
    p = k / n
    z2n = z * z / n
    centre = (p + 0.5 * z2n) / (1.0 + z2n)
    spread = z * math.sqrt(p * (1.0 - p) / n + 0.25 * z2n / n) / (1.0 + z2n)
    low = 0.0 if k == 0 else max(0.0, centre - spread)
    high = 1.0 if k == n else min(1.0, centre + spread)
    return Interval(p, 0.5 * (high - low), low, high, int(n), f"{METHOD_WILSON}, {level}")


def summarise_metrics(
    per_replication: Sequence[Mapping[str, float]] | Iterable[Mapping[str, float]],
    confidence: float = 0.95,
) -> dict[str, Interval]:
    """:func:`mean_ci` for every metric over a set of replications.

    Parameters
    ----------
    per_replication : sequence of mapping
        One ``{metric name: value}`` per replication.
    confidence : float, default 0.95
        Two-sided confidence level in (0, 1).

    Returns
    -------
    dict of str to Interval
        One Student-t interval (Law & Kelton §9.4.1) per metric named in any replication, in
        order of first appearance. A metric missing from a replication counts as NaN there, so
        its ``n`` is the number of replications that measured it.
    """
    confidence = _check_confidence(confidence)
    rows = list(per_replication)
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return {
        name: mean_ci([float(row.get(name, math.nan)) for row in rows], confidence)
        for name in names
    }
