"""Named random streams for common random numbers (DESIGN.md §3).

One :class:`numpy.random.SeedSequence` per run is the only source of randomness. Every consumer asks
for a stream by *purpose* and *entity*, e.g. ``streams.get("departures", "venezuela_gofast")``, and gets
a :class:`numpy.random.Generator` whose seed depends only on the run seed and those two names. So a
baseline and an excursion that differ in one asset draw exactly the same traffic, and a paired
comparison between them is tight.

The stream key is a stable hash of the names (BLAKE2b, not Python's salted ``hash``), used as the
``spawn_key`` of a child SeedSequence: the same names give the same stream on every platform and in
every process.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["RandomStreams", "stream_key"]


def stream_key(*names: str) -> tuple[int, ...]:
    """The spawn key for a stream: one 64-bit integer per name, from BLAKE2b of its UTF-8 bytes."""
    if not names:
        raise ValueError("a random stream needs at least one name (its purpose)")
    key = []
    for name in names:
        if not isinstance(name, str) or not name:
            raise ValueError(f"stream names must be non-empty strings, got {name!r}")
        digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
        key.append(int.from_bytes(digest, "little"))
    return tuple(key)


class RandomStreams:
    """Independent, reproducible random generators keyed by (purpose, entity) names.

    Parameters
    ----------
    seed
        The run seed (a non-negative integer).

    Notes
    -----
    Asking twice for the same names returns a *fresh* generator at the start of the same stream; a
    caller that draws repeatedly must keep its generator. Streams are PCG64 generators seeded by
    ``SeedSequence(seed, spawn_key=stream_key(*names))``, which NumPy guarantees to be independent
    of each other for distinct keys.

    Examples
    --------
    >>> a = RandomStreams(7).get("departures", "flow_a").random()
    >>> b = RandomStreams(7).get("departures", "flow_a").random()
    >>> a == b
    True
    """

    def __init__(self, seed: int) -> None:
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"seed = {seed!r}: must be a non-negative integer")
        self.seed = int(seed)

    def sequence(self, *names: str) -> np.random.SeedSequence:
        """The SeedSequence of the stream named by ``names``."""
        return np.random.SeedSequence(self.seed, spawn_key=stream_key(*names))

    def get(self, *names: str) -> np.random.Generator:
        """A generator at the start of the stream named by ``names`` (purpose first, then entity)."""
        return np.random.Generator(np.random.PCG64(self.sequence(*names)))

    def __repr__(self) -> str:
        return f"RandomStreams(seed={self.seed})"
