#!/usr/bin/env bash
# Prints the python of mastery-nb's virtual environment: the active venv if there is one,
# else $MASTERY_NB_VENV, else .venv in the checkout (which may not exist yet).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
  echo "$VIRTUAL_ENV/bin/python"
else
  echo "$(realpath -m "${MASTERY_NB_VENV:-.venv}")/bin/python"
fi
