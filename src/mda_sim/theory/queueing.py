"""Capacity of the interceptor pool as a queue: Erlang B (loss), Erlang C (wait), Erlang A
(abandonment) and Little's law.

Reference: ``reference/theory-and-calibration.md`` §2.9. A detected target that finds all ``c``
interceptors busy is lost (Erlang B), waits (Erlang C), or waits until it leaves the zone at rate
``theta`` (Erlang A). The offered load is ``a = lambda / mu`` [Erlang] with ``lambda`` the rate of
detected targets [1/h] and ``1/mu`` the mean prosecution time [h].
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "erlang_a_abandon_probability",
    "erlang_b",
    "erlang_c",
    "littles_law_number",
    "mmc_mean_wait_h",
]


def _servers(servers: int) -> int:
    if isinstance(servers, bool) or int(servers) != servers or servers < 0:
        raise ValueError(f"servers = {servers!r}: must be a non-negative integer")
    return int(servers)


def erlang_b(servers: int, offered_load: ArrayLike) -> np.ndarray:
    """Erlang B blocking probability ``B(c, a) = (a^c / c!) / sum_{k=0..c} a^k / k!``.

    Computed by the stable recursion ``B(0) = 1``, ``B(k) = a B(k-1) / (k + a B(k-1))``
    (no factorials, no overflow; vectorised over ``a``).

    Parameters
    ----------
    servers : int
        Number of interceptors ``c`` >= 0.
    offered_load : array_like
        ``a = lambda / mu`` [Erlang], >= 0.

    Examples
    --------
    >>> round(float(erlang_b(30, 25.0)), 4), round(float(erlang_b(2, 3.0)), 4)
    (0.0526, 0.5294)
    """
    c = _servers(servers)
    a = np.asarray(offered_load, dtype=float)
    if np.any(a < 0.0):
        raise ValueError(f"offered_load must be >= 0, got {np.ravel(a).tolist()}")
    b = np.ones_like(a)
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(servers: int, offered_load: ArrayLike) -> np.ndarray:
    """Probability that an arrival must wait in M/M/c: ``C = c B / (c - a (1 - B))`` for ``a < c``;
    1 when ``a >= c`` (unstable queue)."""
    c = _servers(servers)
    a = np.asarray(offered_load, dtype=float)
    b = erlang_b(c, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        val = c * b / (c - a * (1.0 - b))
    return np.where(a < c, val, 1.0)


def mmc_mean_wait_h(servers: int, arrival_rate_per_h: ArrayLike, service_rate_per_h: float):
    """Mean wait in queue for M/M/c: ``W_q = C(c, a) / (c mu - lambda)`` [h] (inf if unstable)."""
    c = _servers(servers)
    lam = np.asarray(arrival_rate_per_h, dtype=float)
    mu = float(service_rate_per_h)
    if not mu > 0.0:
        raise ValueError(f"service_rate_per_h = {mu!r}: must be > 0")
    with np.errstate(divide="ignore", invalid="ignore"):
        w = erlang_c(c, lam / mu) / (c * mu - lam)
    return np.where(lam < c * mu, w, np.inf)


def erlang_a_abandon_probability(
    servers: int,
    arrival_rate_per_h: float,
    service_rate_per_h: float,
    abandon_rate_per_h: float,
    max_states: int = 400,
) -> float:
    """Fraction of targets that leave unserved in M/M/c+M (Erlang A): ``theta L_q / lambda``.

    The number in system is a birth-death chain with birth rate ``lambda`` and death rate
    ``min(n, c) mu + max(n - c, 0) theta``, truncated at ``max_states``; by PASTA and flow balance
    the abandonment probability is ``theta E[queue] / lambda``. Erlang B is the ``theta -> inf``
    limit (reference §2.9: c = 2, lambda = 0.25/h, mu = 1/12 h, theta = 1/6 h gives 0.4487).
    """
    c = _servers(servers)
    lam, mu, th = float(arrival_rate_per_h), float(service_rate_per_h), float(abandon_rate_per_h)
    if not (lam > 0.0 and mu > 0.0 and th > 0.0):
        raise ValueError(
            f"rates must be > 0: arrival {lam!r}, service {mu!r}, abandonment {th!r} [1/h]"
        )
    n = np.arange(1, max_states + 1)
    death = np.minimum(n, c) * mu + np.maximum(n - c, 0) * th
    log_p = np.concatenate([[0.0], np.cumsum(np.log(lam / death))])
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    queue = np.maximum(np.arange(max_states + 1) - c, 0)
    return float(th * np.sum(queue * p) / lam)


def littles_law_number(arrival_rate: ArrayLike, mean_time_in_system: ArrayLike) -> np.ndarray:
    """Little's law ``L = lambda W``: mean number in the system (same time unit for both)."""
    return np.asarray(arrival_rate, dtype=float) * np.asarray(mean_time_in_system, dtype=float)
