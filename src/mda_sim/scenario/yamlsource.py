"""Read YAML into plain data plus a map from key path to file and line.

PyYAML's composer keeps the line of every node; this module walks the node graph once,
builds the Python data itself and records where each value was written, so that later
stages (schema validation, cross-references, ``--set`` overrides) can point at the line.

Each :class:`Location` also keeps the key path as written in this file (merging by id later
renumbers list items; messages give the user's own index) and, for a bare word that YAML 1.1
read as a boolean (``on``, ``off``, ``yes``, ``no``), the word itself, so the schema message
can say ``ais: on`` was read as true and suggest ``ais: "on"``.

Guards: duplicate mapping keys are errors (PyYAML silently keeps the last one), and the
walk has a node budget, so an alias bomb ("billion laughs") is reported instead of
expanding (reference/data-and-tooling.md: neither loader protects against it by itself).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from mda_sim.scenario.problems import KeyPath, Location, Problem, ScenarioError

#: The fast libyaml parser where available (4x faster on large files; data-and-tooling.md).
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Largest file accepted [bytes]: a scenario is tens of kilobytes; this bounds memory.
MAX_FILE_BYTES = 5_000_000
#: Most nodes one document may expand to (aliases count each time they are used).
MAX_NODES = 500_000

SourceMap = dict[KeyPath, Location]


class _Walker:
    def __init__(self, source: str):
        self.source = source
        self.positions: SourceMap = {}
        self.problems: list[Problem] = []
        self.budget = MAX_NODES
        self._scalars = yaml.SafeLoader("")

    def loc(self, node: yaml.Node, path: KeyPath | None = None) -> Location:
        return Location(self.source, node.start_mark.line + 1, path)

    def walk(self, node: yaml.Node, path: KeyPath) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooLarge(self.loc(node))
        self.positions.setdefault(path, self.loc(node, path))
        if isinstance(node, yaml.MappingNode):
            self._scalars.flatten_mapping(node)  # resolves '<<' merge keys
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._scalar(key_node, path)
                if isinstance(key, (list, dict)) or key is None:
                    self.problems.append(
                        Problem(path, f"a key must be a plain name, not {key!r}", self.loc(key_node))
                    )
                    continue
                key = key if isinstance(key, (str, int)) else str(key)
                if key in out:
                    first = self.positions.get(path + (key,))
                    self.problems.append(
                        Problem(
                            path + (key,),
                            f"duplicate key '{key}' (first set at line {first.line if first else '?'});"
                            " each key may appear once",
                            self.loc(key_node),
                        )
                    )
                    continue
                self.positions[path + (key,)] = self.loc(key_node, path + (key,))
                out[key] = self.walk(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, path + (i,)) for i, item in enumerate(node.value)]
        value = self._scalar(node, path)
        bare_word = not node.style and node.value.lower() not in ("true", "false")
        if isinstance(value, bool) and bare_word:
            self.positions[path] = replace(self.positions[path], token=node.value)
        return value

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return self.walk(node, path)
        try:
            return self._scalars.construct_object(node, deep=True)
        except yaml.YAMLError as exc:  # e.g. an impossible timestamp such as 2026-13-45
            self.problems.append(Problem(path, f"cannot read value: {exc}", self.loc(node)))
            return None


class _TooLarge(Exception):
    def __init__(self, location: Location):
        self.location = location


def parse_yaml(text: str, source: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document; return its data and the source map, or raise ScenarioError."""
    try:
        root = yaml.compose(text, Loader=_Parser)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise ScenarioError([Problem((), f"invalid YAML: {what}", Location(source, line))]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem((), f"invalid YAML: {exc}", Location(source))]) from None
    if root is None:
        return None, {}
    walker = _Walker(source)
    try:
        data = walker.walk(root, ())
    except _TooLarge as exc:
        raise ScenarioError(
            [
                Problem(
                    (),
                    f"document expands to more than {MAX_NODES:,} nodes (alias expansion?);"
                    " refusing to load it",
                    exc.location,
                )
            ]
        ) from None
    except RecursionError:
        raise ScenarioError([Problem((), "document nests too deeply", Location(source))]) from None
    if walker.problems:
        raise ScenarioError(walker.problems)
    return data, walker.positions


def read_yaml_file(path: Path) -> tuple[Any, SourceMap]:
    """Read and parse a YAML file with clear errors for missing, unreadable or huge files."""
    source = str(path)
    if not path.exists():
        raise ScenarioError([Problem((), "file not found", Location(source))])
    if path.is_dir():
        raise ScenarioError([Problem((), "is a directory, not a YAML file", Location(source))])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            [Problem((), f"file is {size:,} bytes; at most {MAX_FILE_BYTES:,} allowed", Location(source))]
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem((), f"not UTF-8 text ({exc.reason})", Location(source))]) from None
    except OSError as exc:
        raise ScenarioError([Problem((), f"cannot read file: {exc.strerror}", Location(source))]) from None
    return parse_yaml(text, source)
