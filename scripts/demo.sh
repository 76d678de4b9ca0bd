#!/usr/bin/env bash
# The README's first command: set up what the demo needs (scripts/setup.sh demo), then run
# `mastery-nb demo`: the sample course in JupyterLab with the Mastery sidebar, on SQLite.
# Arguments go to `mastery-nb demo` (e.g. --no-browser, --port 8888; --hub: a real
# JupyterHub with two students and an instructor, set up with `scripts/setup.sh hub`).
set -euo pipefail
cd "$(dirname "$0")/.."
what=demo
for arg in "$@"; do [ "$arg" = --hub ] && what=hub; done
python="$(bash scripts/setup.sh "$what" | tail -n 1)"
exec "$python" -m mastery_nb demo "$@"
