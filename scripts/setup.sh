#!/usr/bin/env bash
# Installs everything mastery-nb needs on a fresh Debian machine: the Python package with
# its test extras (which builds the JupyterLab extension with node), Debian's Chromium for
# the browser tests and PostgreSQL for the store tests. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then sudo_cmd="sudo"; fi

debian_packages=()
command -v chromium >/dev/null || debian_packages+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || debian_packages+=(postgresql)
command -v node >/dev/null || debian_packages+=(nodejs npm)
if [ ${#debian_packages[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${debian_packages[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${debian_packages[@]}"
fi

python3 -m pip install --quiet --upgrade pip
python3 -m pip install --quiet -e ".[test,bench]"
