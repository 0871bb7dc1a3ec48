#!/usr/bin/env bash
# Install mda_sim into .venv and run the main job on the built-in baseline scenario: validate it,
# simulate its 30 days (seed 1) into runs/baseline/ (manifest, resolved scenario, event log,
# summary) and draw its map there. Extra arguments go to `mda-sim run` (e.g. --seed 7).
set -euo pipefail
source "$(dirname "$0")/_venv.sh"
OUT="$ROOT/runs/baseline"
SCENARIO="$ROOT/scenarios/eastern_caribbean.yaml"
"$VENV/bin/mda-sim" validate "$SCENARIO" > /dev/null
"$VENV/bin/mda-sim" run "$SCENARIO" --seed 1 --out "$OUT" "$@"
"$VENV/bin/mda-sim" map "$SCENARIO" -o "$OUT/map.png"
