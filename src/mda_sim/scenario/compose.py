"""Composition: ``extends:`` chains, merging by id, and ``--set key.path=value`` overrides.

Every setting has one way in (STYLE habit 7): a file, a file it extends, or an override all
produce one merged document that is validated once by the same schema.

Merge rules (override wins):

* mappings merge key by key, recursively;
* lists whose items are all mappings with an ``id`` merge item by item on ``id``; an item
  ``{id: x, remove: true}`` deletes ``x``; new ids are appended;
* any other value (scalars, plain lists) is replaced.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from mda_sim.scenario.problems import (
    KeyPath,
    Location,
    Problem,
    ScenarioError,
    allowed_list,
    did_you_mean,
    format_path,
)
from mda_sim.scenario.yamlsource import SourceMap, read_yaml_file

#: Longest extends chain accepted (a guard; real chains are two or three files deep).
MAX_EXTENDS_DEPTH = 16


def _is_id_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, dict) and isinstance(v.get("id"), (str, int)) and not isinstance(v.get("id"), bool)
        for v in value
    )


def _rebase(positions: SourceMap, old: KeyPath, new: KeyPath) -> SourceMap:
    n = len(old)
    return {new + k[n:]: v for k, v in positions.items() if k[:n] == old}


def merge(
    base: Any, base_pos: SourceMap, over: Any, over_pos: SourceMap, path: KeyPath = ()
) -> tuple[Any, SourceMap]:
    """Merge ``over`` onto ``base`` (see module rules); return the data and its source map."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        pos = {k: v for k, v in base_pos.items() if k[: len(path)] == path}
        if path in over_pos:
            pos[path] = over_pos[path]
        for key, value in over.items():
            sub = path + (key,)
            if key in out:
                out[key], merged_pos = merge(
                    out[key], _sub(pos, sub), value, _sub(over_pos, sub), sub
                )
                pos = {k: v for k, v in pos.items() if k[: len(sub)] != sub}
                pos.update(merged_pos)
            else:
                out[key] = value
                pos.update(_sub(over_pos, sub))
        return out, pos
    if _is_id_list(base) and _is_id_list(over):
        items = list(base)
        pos = dict(_sub(base_pos, path))
        index = {item["id"]: i for i, item in enumerate(items)}
        removed: set[int] = set()
        _no_repeated_ids(over, over_pos, path)
        for j, item in enumerate(over):
            opath = path + (j,)
            if item["id"] in index:
                i = index[item["id"]]
                ipath = path + (i,)
                if item.get("remove") is True:
                    removed.add(i)
                    continue
                merged, mpos = merge(
                    items[i], _sub(pos, ipath), item, _rebase(over_pos, opath, ipath), ipath
                )
                items[i] = merged
                pos = {k: v for k, v in pos.items() if k[: len(ipath)] != ipath}
                pos.update(mpos)
            elif item.get("remove") is True:
                continue  # removing something absent is harmless (an excursion of a variant)
            else:
                ipath = path + (len(items),)
                index[item["id"]] = len(items)
                items.append(item)
                pos.update(_rebase(over_pos, opath, ipath))
        if removed:
            keep = [i for i in range(len(items)) if i not in removed]
            new_items = [items[i] for i in keep]
            new_pos = {k: v for k, v in pos.items() if len(k) <= len(path)}
            for new_i, old_i in enumerate(keep):
                new_pos.update(_rebase(pos, path + (old_i,), path + (new_i,)))
            return new_items, new_pos
        return items, pos
    return over, dict(_sub(over_pos, path))


def _no_repeated_ids(items: list, positions: SourceMap, path: KeyPath) -> None:
    """One file may not list the same id twice in one list (merging would hide the first)."""

    def written(j: int) -> tuple[KeyPath, Location | None]:
        loc = positions.get(path + (j,))
        return (loc.path if loc is not None and loc.path else path + (j,)), loc

    first: dict = {}
    problems = []
    for j, item in enumerate(items):
        if item.get("remove") is True:
            continue
        if item["id"] in first:
            where, loc = written(j)
            problems.append(Problem(
                where + ("id",),
                f"duplicate id '{item['id']}' (also at {format_path(first[item['id']])}); "
                "an id may appear once in a list: merge the two entries",
                positions.get(path + (j, "id"), loc),
            ))
        else:
            first[item["id"]] = written(j)[0]
    if problems:
        raise ScenarioError(problems)


def _sub(positions: SourceMap, prefix: KeyPath) -> SourceMap:
    n = len(prefix)
    return {k: v for k, v in positions.items() if k[:n] == prefix}


def load_with_extends(path: Path, _chain: tuple[Path, ...] = ()) -> tuple[dict, SourceMap, list[Path]]:
    """Read ``path`` and the files it ``extends``; return merged data, source map and files read."""
    path = Path(path)
    resolved = path.resolve()
    data, positions = read_yaml_file(path)
    if data is None:
        raise ScenarioError(
            [Problem((), "file is empty; a scenario is a mapping (run:, area:, states:, ...)", Location(str(path)))]
        )
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                Problem(
                    (),
                    f"the top level must be a mapping of sections, not a {type(data).__name__}",
                    positions.get((), Location(str(path))),
                )
            ]
        )
    files = [resolved]
    parent = data.pop("extends", None)
    if parent is None:
        return data, positions, files
    where = positions.get(("extends",), Location(str(path)))
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError([Problem(("extends",), f"{parent!r}: must be a file path (a string)", where)])
    parent_path = (path.parent / parent) if not Path(parent).is_absolute() else Path(parent)
    chain = _chain + (resolved,)
    if parent_path.resolve() in chain:
        cycle = " -> ".join(str(p) for p in chain + (parent_path.resolve(),))
        raise ScenarioError([Problem(("extends",), f"'{parent}' makes a cycle: {cycle}", where)])
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError([Problem(("extends",), f"extends chain deeper than {MAX_EXTENDS_DEPTH}", where)])
    if not parent_path.exists():
        raise ScenarioError(
            [Problem(("extends",), f"'{parent}': file not found (looked for {parent_path})", where)]
        )
    base, base_pos, base_files = load_with_extends(parent_path, chain)
    positions = {k: v for k, v in positions.items() if k[:1] != ("extends",)}
    merged, merged_pos = merge(base, base_pos, data, positions)
    return merged, merged_pos, base_files + files


# ---------------------------------------------------------------------------------------------
# --set overrides
# ---------------------------------------------------------------------------------------------

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_key_path(text: str) -> KeyPath:
    """``"assets[2].count"`` -> ``('assets', 2, 'count')``; ids select list items by name."""
    parts: list[str | int] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        if text[pos] == ".":
            pos += 1
            continue
        m = _SEGMENT.match(text, pos)
        if not m:
            raise ValueError(f"cannot read key path '{text}' at character {pos + 1}")
        parts.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    if not parts:
        raise ValueError("empty key path")
    return tuple(parts)


def parse_override(text: str) -> tuple[KeyPath, Any]:
    """``"run.seed=7"`` -> ``(('run', 'seed'), 7)``; the value is read as a YAML scalar or list."""
    if "=" not in text:
        raise ValueError(f"'{text}': expected KEY.PATH=VALUE, e.g. run.seed=7")
    key, _, raw = text.partition("=")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ValueError(f"'{text}': cannot read value '{raw}': {exc}") from None
    return parse_key_path(key), value


def apply_override(data: dict, positions: SourceMap, text: str) -> KeyPath:
    """Apply one ``--set`` override in place and return the canonical (index-based) path.

    A path segment may name a list item by its ``id`` (``assets.uscg_frc.count=8``) or by
    index (``assets[0].count=8``). Unknown keys are not rejected here: the schema reports
    them with the allowed names. Unknown list ids and indices are reported here.
    """
    origin = Location(f"--set {text}")
    try:
        path, value = parse_override(text)
    except ValueError as exc:
        raise ScenarioError([Problem((), str(exc), origin)]) from None
    if isinstance(value, bool):  # keep the word, so "ais=on" can be explained (schema_errors)
        origin = Location(origin.source, token=text.partition("=")[2].strip())
    node: Any = data
    canonical: list[str | int] = []
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        here = tuple(canonical)
        if isinstance(node, list):
            if isinstance(part, str) and not part.isdigit():
                ids = [item.get("id") for item in node if isinstance(item, dict)]
                if part not in ids:
                    raise ScenarioError(
                        [
                            Problem(
                                here,
                                f"no item with id '{part}'{did_you_mean(part, ids)};"
                                f" ids here: {allowed_list(ids)}",
                                origin,
                            )
                        ]
                    )
                part = ids.index(part)
            index = int(part)
            if not 0 <= index < len(node):
                raise ScenarioError(
                    [Problem(here, f"index {index} out of range (the list has {len(node)} items)", origin)]
                )
            part = index
        elif isinstance(node, dict):
            if isinstance(part, int):
                raise ScenarioError([Problem(here, f"[{part}]: this is a mapping, not a list", origin)])
        else:
            raise ScenarioError(
                [Problem(here, f"cannot set '{format_path(path)}': '{format_path(here)}' is a single value", origin)]
            )
        canonical.append(part)
        if last:
            node[part] = copy.deepcopy(value)
        else:
            if isinstance(node, dict) and part not in node:
                node[part] = {}
            node = node[part]
    full = tuple(canonical)
    for key in [k for k in positions if k[: len(full)] == full]:
        del positions[key]
    positions[full] = origin
    return full
