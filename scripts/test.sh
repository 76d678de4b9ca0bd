#!/usr/bin/env bash
# The README's test command: set up a fresh machine (scripts/setup.sh), check the Python
# (ruff, ruff format, mypy), lint and unit-test the sidebar's TypeScript (prettier, eslint,
# vitest: node only, no browser), then run every test with the virtual environment's
# python. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python="$(bash scripts/setup.sh test | tail -n 1)"
bin="$(dirname "$python")"
"$bin/ruff" check .
"$bin/ruff" format --check .
"$bin/mypy"
"$bin/jlpm" install >/dev/null
"$bin/jlpm" run lint:check
"$bin/jlpm" run test
"$python" -m pytest "$@"
