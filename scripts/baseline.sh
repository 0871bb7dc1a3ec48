#!/usr/bin/env bash
# Install mda_sim into .venv and run the main job on the built-in baseline scenario:
# validate it, then draw its map into runs/baseline/.
set -euo pipefail
source "$(dirname "$0")/_venv.sh"
OUT="${1:-$ROOT/runs/baseline}"
mkdir -p "$OUT"
"$VENV/bin/mda-sim" validate "$ROOT/scenarios/eastern_caribbean.yaml"
"$VENV/bin/mda-sim" map "$ROOT/scenarios/eastern_caribbean.yaml" -o "$OUT/map.png"
