"""Located problems: what is wrong, where it was set, and what is allowed (STYLE habit 5).

Every error the scenario layer reports is a :class:`Problem` printed as
``FILE:LINE: key.path: message``; :class:`ScenarioError` carries all of them at once so a
planner fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: A path into a scenario document: mapping keys (str) and list indices (int).
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Location:
    """Where a value was set: a file (or ``--set``) and a 1-based line number (None if unknown).

    ``path`` is the key path as written in that source, which can differ from the path in the
    composed document: lists merged by id (the built-in catalog, an ``extends`` chain) shift
    the indices, so ``catalog.vessel_types[0]`` in a scenario file may become item 16 of the
    merged list. Problems are reported at the written path
    (:func:`mda_sim.scenario.schema_errors.written_path`).

    ``token`` is the scalar exactly as written, kept only where YAML 1.1 turned a bare word
    (``on``, ``off``, ``yes``, ``no``) into a boolean, so a message can quote it.

    Neither takes part in comparisons: two Locations are equal when file and line are.
    """

    source: str
    line: int | None = None
    path: KeyPath | None = field(default=None, compare=False)
    token: str | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, at one key path."""

    path: KeyPath
    message: str
    location: Location | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        key = format_path(self.path)
        return f"{where}{key}: {self.message}" if key else f"{where}{self.message}"


class ScenarioError(ValueError):
    """A scenario (or sweep) file could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


def format_path(path: Iterable[str | int]) -> str:
    """``('assets', 3, 'speed_kn')`` -> ``'assets[3].speed_kn'``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """A ``"; did you mean 'x'?"`` suffix for a misspelt name, or ``""`` if nothing is close."""
    if not isinstance(word, str):
        return ""
    names = [str(c) for c in choices]
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if not close:
        lowered = {n.lower(): n for n in names}
        close = [lowered[word.lower()]] if word.lower() in lowered else []
    return f"; did you mean '{close[0]}'?" if close else ""


def allowed_list(choices: Iterable[object], limit: int = 12) -> str:
    """A short human list of allowed values: ``'a', 'b', 'c' (and 4 more)``."""
    names = sorted({str(c) for c in choices})
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    more = len(names) - limit
    return shown + (f" (and {more} more)" if more > 0 else "")
