"""Turn pydantic validation errors into located, human problems.

pydantic reports ``loc`` tuples that include union tags and model names; this module maps
them back onto the document's key paths, finds the line each came from, and rewrites the
message to name the bad value, what is allowed, and a "did you mean" where one is close.

Problems are reported at the key path as the user wrote it (the index in their own list, not
in the list merged over the built-in catalog or an ``extends`` parent; see
:func:`written_path`).

YAML 1.1 booleans: PyYAML reads the bare words ``on``, ``off``, ``yes`` and ``no`` as booleans,
so ``ais: on`` arrives as ``True``. Where text is expected (an enum such as ``ais`` or a free
string) this is **rejected, never coerced**: the message says YAML read ``on`` as a boolean
and suggests quoting, ``ais: "on"``. Coercing would guess (``yes`` is not one of ``ais``'s
values) and would make the same word mean different things in different keys.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from mda_sim.scenario.problems import KeyPath, Location, Problem, allowed_list, did_you_mean
from mda_sim.scenario.yamlsource import SourceMap

_PATTERN_HELP = {
    r"^[a-z][a-z0-9_]*$": "must be a lower-case identifier (letters, digits and '_', starting with a letter)",
    r"^[A-Z]{3}$": "must be a three-letter upper-case code (ISO 3166-1 alpha-3), e.g. 'USA'",
}
_TYPE_WORDS = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "string_type": "text (a string)",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values (a section)",
    "model_attributes_type": "a mapping of keys to values (a section)",
}


def short_repr(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_name(value: Any) -> str:
    return {dict: "mapping", list: "list", tuple: "list", str: "text", bool: "boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def data_path(data: Any, loc: tuple[Any, ...], missing_key: bool = False) -> KeyPath:
    """Map a pydantic ``loc`` onto a path that exists in ``data`` (dropping union tags).

    With ``missing_key`` the last segment is kept even though the data lacks it (it names
    the key that is missing or unknown)."""
    path: list[str | int] = []
    node = data
    for i, seg in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and seg in node:
            path.append(seg)
            node = node[seg]
        elif isinstance(node, (list, tuple)) and isinstance(seg, int) and 0 <= seg < len(node):
            path.append(seg)
            node = node[seg]
        elif last and missing_key and isinstance(node, dict) and isinstance(seg, str):
            path.append(seg)  # a missing key: name it, though it is not in the data
        # otherwise: a union tag or function name pydantic inserted; skip it
    return tuple(path)


def locate(positions: SourceMap, path: KeyPath) -> Location | None:
    """The location of ``path`` or of its nearest ancestor that has one."""
    for n in range(len(path), -1, -1):
        where = positions.get(path[:n])
        if where is not None:
            return where
    return None


def written_path(positions: SourceMap, path: KeyPath) -> KeyPath:
    """``path`` (in the composed document) as the user wrote it.

    Merging by id renumbers list items (the user's first vessel type follows the built-in
    ones), so the nearest ancestor whose location knows its written key path supplies the
    prefix and the rest of ``path`` is kept: ``catalog.vessel_types[16].max_speed_kn`` set in
    the user's file at item 0 becomes ``catalog.vessel_types[0].max_speed_kn``. A ``--set``
    location has no written path; its item's file location is used instead. Written and
    composed paths have the same shape (only list indices differ), so prefixes line up.
    """
    for n in range(len(path), -1, -1):
        where = positions.get(path[:n])
        if where is not None and where.path is not None and len(where.path) == n:
            return where.path + tuple(path[n:])
    return path


def _unwrap(annotation: Any, node: Any) -> Any:
    """Strip Annotated/Optional and pick the union member that fits ``node``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [m for m in (_unwrap(a, node) for a in members) if _is_model(m)]
            if not models:
                return members[0] if members else annotation
            if isinstance(node, dict):
                for model in models:
                    if _tag_matches(model, node):
                        return model
            return models[0]
        return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _tag_matches(model: type[BaseModel], node: dict) -> bool:
    for name, field in model.model_fields.items():
        if typing.get_origin(field.annotation) is Literal and name in node:
            return node[name] in typing.get_args(field.annotation)
    return False


def allowed_keys(root: type[BaseModel], data: Any, path: KeyPath) -> list[str] | None:
    """Field names allowed at ``path`` in the document, or None if not a section."""
    annotation: Any = root
    node = data
    for seg in path:
        annotation = _unwrap(annotation, node)
        origin = typing.get_origin(annotation)
        if _is_model(annotation):
            field = annotation.model_fields.get(seg) if isinstance(seg, str) else None
            if field is None:
                return None
            annotation = field.annotation
        elif origin in (tuple, list):
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return None
        node = node.get(seg) if isinstance(node, dict) else (
            node[seg] if isinstance(node, (list, tuple)) and isinstance(seg, int) and seg < len(node) else None
        )
    annotation = _unwrap(annotation, node)
    return list(annotation.model_fields) if _is_model(annotation) else None


def _message(err: dict, root: type[BaseModel], data: Any, path: KeyPath) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    raw = err["msg"]
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        allowed = allowed_keys(root, data, path[:-1]) or []
        return f"unknown key '{path[-1]}'{did_you_mean(path[-1], allowed)}; allowed keys: {allowed_list(allowed, 30)}"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{short_repr(value)} is not allowed{did_you_mean(value, expected)}; allowed: {allowed_list(expected, 30)}"
    if kind == "union_tag_invalid":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        tag = ctx.get("tag")
        return (
            f"{str(ctx.get('discriminator', 'kind')).strip(chr(39))} = {short_repr(tag)} is not allowed{did_you_mean(tag, expected)};"
            f" allowed: {allowed_list(expected, 30)}"
        )
    if kind == "union_tag_not_found":
        return f"missing the key {ctx.get('discriminator', '')} that says which kind this is"
    if kind == "finite_number":
        return f"{short_repr(value)}: must be a finite number (not NaN or infinity)"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        return f"{short_repr(value)}: {_PATTERN_HELP.get(pattern, f'must match the pattern {pattern}')}"
    if kind in _TYPE_WORDS:
        return f"{short_repr(value)} is {_type_name(value)}: must be {_TYPE_WORDS[kind]}"
    if kind == "value_error":
        return raw.removeprefix("Value error, ")
    if kind == "assertion_error":
        return raw.removeprefix("Assertion failed, ")
    text = raw.replace("Input should be", "must be").replace("input should be", "must be")
    return f"{short_repr(value)}: {text}"


def problems_from_validation(
    exc: ValidationError, root: type[BaseModel], data: Any, positions: SourceMap
) -> list[Problem]:
    """Translate every pydantic error into a located :class:`Problem`."""
    problems = []
    for err in exc.errors(include_url=False):
        path = data_path(data, tuple(err["loc"]), missing_key=err["type"] == "missing")
        node = _lookup(data, path)
        if node is not _ABSENT:
            err = {**err, "input": node}  # show the value as written (a list, not a tuple)
        message = _message(err, root, data, path)
        # A model-level check that names one field ("max_speed_kn = 300 ...") points at that key.
        m = _NAMED_FIELD.match(message)
        if err["type"] == "value_error" and m and isinstance(node, dict) and m.group(1) in node:
            path = path + (m.group(1),)
        where = locate(positions, path)
        if isinstance(node, bool) and err["type"] in ("literal_error", "string_type"):
            text = _boolean_message(node, err, path, where)
            message = text or message
        problems.append(Problem(written_path(positions, path), message, where))
    return problems


#: What a bare word may have meant when YAML turned it into a boolean.
_BOOLEAN_WORDS = {True: ("on", "yes", "true", "y"), False: ("off", "no", "false", "n")}


def _boolean_message(value: bool, err: dict, path: KeyPath, where: Location | None) -> str | None:
    """Explain a YAML 1.1 boolean where text was expected, and how to quote it.

    None if the field expects no text (a literal of numbers, say): the ordinary message stands.
    """
    word = (where.token if where is not None else None) or str(value).lower()
    allowed: list[str] = []
    if err["type"] == "literal_error":
        allowed = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
        if not allowed:
            return None
        lowered = {a.lower(): a for a in allowed}
        meant = lowered.get(word.lower()) or next(
            (lowered[w] for w in _BOOLEAN_WORDS[value] if w in lowered), None
        )
    else:
        meant = word
    head = f"YAML read the unquoted {word} as the boolean {str(value).lower()}, not text"
    tail = f"; allowed: {allowed_list(allowed, 30)}" if allowed else ""
    if meant is None:
        return f"{head}{tail}; quote the value you mean"
    if meant.lower() == word.lower():
        return f"{head}; quote it: {_quoted(path, meant, where)}{tail}"
    return f"{head}; if you meant {meant}, write {_quoted(path, meant, where)}{tail}"


def _quoted(path: KeyPath, text: str, where: Location | None) -> str:
    """How to write ``text`` as a string at ``path``: ``ais: "on"`` (or the ``--set`` form)."""
    if where is not None and where.source.startswith("--set "):
        key = where.source.removeprefix("--set ").partition("=")[0]
        return f"--set '{key}=\"{text}\"'"
    if path and isinstance(path[-1], str):
        return f'{path[-1]}: "{text}"'
    return f'"{text}"'


_ABSENT = object()
_NAMED_FIELD = re.compile(r"^([a-z][a-z0-9_]*) = ")


def _lookup(data: Any, path: KeyPath) -> Any:
    node = data
    for seg in path:
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, (list, tuple)) and isinstance(seg, int) and 0 <= seg < len(node):
            node = node[seg]
        else:
            return _ABSENT
    return node
