#!/usr/bin/env bash
# Install mda_sim with its test extras into .venv and run the whole test suite.
# Extra arguments go to pytest (e.g. -k geography, -x). Full-size statistical tests:
# MDA_SIM_FULL_STATS=1 bash scripts/test.sh
set -euo pipefail
MDA_SIM_EXTRAS="[test]"
source "$(dirname "$0")/_venv.sh"
cd "$ROOT"
exec "$VENV/bin/python" -m pytest "$@"
