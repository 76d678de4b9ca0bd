#!/usr/bin/env bash
# The README's test command: set up a fresh machine (scripts/setup.sh), lint and unit-test the
# sidebar's TypeScript (prettier, eslint, vitest: node only, no browser), then run every test
# with the virtual environment's python. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python="$(bash scripts/setup.sh test | tail -n 1)"
jlpm="$(dirname "$python")/jlpm"
"$jlpm" install >/dev/null
"$jlpm" run lint:check
"$jlpm" run test
"$python" -m pytest "$@"
