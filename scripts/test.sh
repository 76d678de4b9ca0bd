#!/usr/bin/env bash
# The README's test command: set up a fresh machine (scripts/setup.sh), then run every test
# with the virtual environment's python. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python="$(bash scripts/setup.sh test | tail -n 1)"
"$python" -m pytest "$@"
