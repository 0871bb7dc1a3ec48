# Shared by baseline.sh and test.sh: make (or reuse) the project's virtual environment and
# install the project into it. Sourced, not run. Override the interpreter with PYTHON=...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MDA_SIM_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT${MDA_SIM_EXTRAS:-}"
