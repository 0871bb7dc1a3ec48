"""Property: any random mutation of a valid scenario either validates or fails with located
problems — never another exception, never an unlocated message."""

from __future__ import annotations

import math

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mda_sim.scenario import ScenarioError, load_scenario

from .conftest import VALID_SCENARIO

BASE = yaml.safe_load(VALID_SCENARIO)

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=2),
    st.sampled_from(["castriez", "LCX", "normal", "polygon", "-1", "1e999", ""]),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = [p for p in _paths(BASE) if p]


def _parent(doc, path):
    node = doc
    for seg in path[:-1]:
        node = node[seg]
    return node


@st.composite
def mutated(draw):
    doc = yaml.safe_load(VALID_SCENARIO)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(ALL_PATHS))
        try:
            parent = _parent(doc, path)
            key = path[-1]
            parent[key]
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["replace", "delete", "rename", "scale", "duplicate"]))
        if action == "replace":
            parent[key] = draw(junk)
        elif action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[str(key) + draw(st.sampled_from(["x", "_", "s"]))] = parent.pop(key)
        elif action == "scale" and isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
            parent[key] = parent[key] * draw(st.sampled_from([-1, 0, 1000, math.inf]))
        elif action == "duplicate" and isinstance(parent[key], list) and parent[key]:
            parent[key].append(parent[key][0])
    return doc


@settings(max_examples=int(__import__("os").environ.get("MDA_SIM_MUTATIONS", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=mutated())
def test_mutations_validate_or_fail_located(tmp_path, doc):
    path = tmp_path / "mutated.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    try:
        scenario = load_scenario(path, geography=False)
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError must carry problems"
        for problem in exc.problems:
            assert problem.location is not None, str(problem)
            assert problem.location.source == str(path)
            assert problem.location.line is not None and problem.location.line >= 1, str(problem)
            assert problem.message.strip()
            assert "Traceback" not in problem.message
    else:
        # it validated: the spec must be usable and frozen
        assert scenario.spec.name
        assert scenario.digest == load_scenario(path, geography=False).digest
