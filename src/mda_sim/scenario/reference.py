"""Generate the scenario-language reference page from the spec models.

``docs/scenario-reference.md`` is this module's output; a test keeps the file in step with
the code, and ``mda-sim schema`` prints it.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from mda_sim.scenario.specs import ScenarioSpec

_INTRO = """# Scenario language reference

*Generated from the spec models in `src/mda_sim/scenario/specs/` by `mda-sim schema`;
a test fails when this page and the code disagree. Do not edit by hand.*

A scenario is one YAML mapping. Every number carries its unit in its key name (`_kn` knots,
`_nm` nautical miles, `_h` hours, `_m` metres, `_deg` degrees, `_kg` kilograms, `_s` seconds).
Unknown keys are errors. Lists of items with an `id` can be addressed by id in `--set`
(`assets.uscg_frc.count=8`) and are merged by id when a scenario `extends:` another; an item
`{id: x, remove: true}` removes `x`. The built-in catalogs (`src/mda_sim/catalogs/`) are the
base layer under every scenario's `catalog:` section.

Top-level keys besides the ones below: `extends:` (path of a scenario this one overrides,
relative to this file).

Distributions (wherever the type says *distribution*) are one of:
`{dist: fixed, value}`, `{dist: uniform, low, high}`, `{dist: normal, mean, sd, min?, max?}`,
`{dist: lognormal, median, sigma}`, `{dist: exponential, mean}`,
`{dist: triangular, low, mode, high}`; their unit is the unit of the key that holds them.
"""


def _constraints(metadata: list[Any]) -> str:
    parts = []
    for m in metadata:
        for attr, sym in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
            value = getattr(m, attr, None)
            if isinstance(m, (at.Gt, at.Ge, at.Lt, at.Le, at.Interval)) and value is not None:
                parts.append(f"{sym} {value:g}" if isinstance(value, (int, float)) else f"{sym} {value}")
        pattern = getattr(m, "pattern", None)
        if pattern:
            parts.append(f"pattern `{pattern}`")
    return ", ".join(parts)


def _type_text(annotation: Any, models: list[type[BaseModel]]) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        inner, *meta = args
        field_meta = [m for x in meta for m in (x.metadata if isinstance(x, FieldInfo) else [x])]
        discriminator = next((x.discriminator for x in meta if isinstance(x, FieldInfo) and x.discriminator), None)
        if discriminator == "dist":
            return "distribution"
        text = _type_text(inner, models)
        extra = _constraints(field_meta)
        return f"{text} ({extra})" if extra else text
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        text = " or ".join(_type_text(a, models) for a in members)
        return text + (" or null" if len(members) < len(args) else "")
    if origin is Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (tuple, list):
        return f"list of {_type_text(args[0], models)}"
    if origin is dict:
        return f"mapping of {_type_text(args[0], models)} to {_type_text(args[1], models)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in models:
            models.append(annotation)
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return {float: "number", int: "integer", str: "text", bool: "true/false"}.get(
        annotation, getattr(annotation, "__name__", str(annotation))
    )


def _default_text(field: FieldInfo) -> str:
    if field.is_required():
        return "**required**"
    default = field.default
    if default is PydanticUndefined or default is None:
        return "—"
    if isinstance(default, BaseModel):
        return "(see type)"
    if isinstance(default, dict) and "dist" in default:
        return "`" + ", ".join(f"{k}: {v}" for k, v in default.items()) + "`"
    if isinstance(default, (tuple, list)) and not default:
        return "`[]`"
    return f"`{default}`"


def _clean(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def schema_reference() -> str:
    """The Markdown reference for the whole scenario language."""
    models: list[type[BaseModel]] = [ScenarioSpec]
    sections = [_INTRO]
    done: set[type[BaseModel]] = set()
    i = 0
    while i < len(models):
        model = models[i]
        i += 1
        if model in done or model.__name__ in {"Fixed", "Uniform", "Normal", "LogNormal", "Exponential", "Triangular"}:
            continue
        done.add(model)
        lines = [f"## {model.__name__}", "", _clean(model.__doc__), "", "| key | type | default | meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            annotation = field.rebuild_annotation()
            lines.append(
                f"| `{name}` | {_type_text(annotation, models)} | {_default_text(field)} | {_clean(field.description)} |"
            )
        sections.append("\n".join(lines) + "\n")
    return "\n".join(sections)
