#!/usr/bin/env bash
# Sets up mastery-nb from a source checkout on a fresh Debian machine. Safe to run again.
#
#   bash scripts/setup.sh          # everything the tests need: .[test,bench], Chromium, PostgreSQL
#   bash scripts/setup.sh demo     # only what `mastery-nb demo` needs: .[sample]
#   bash scripts/setup.sh hub      # what `mastery-nb demo --hub` needs: .[sample,hub] and the proxy
#
# Installs the Debian packages that are missing (Node.js to build the sidebar, python3-venv,
# and for the tests Chromium and PostgreSQL), makes a virtual environment (.venv in the
# checkout, or $MASTERY_NB_VENV; an already active venv is used as it is) and installs the
# package into it, building the JupyterLab sidebar. For the tests and the hub demo it also
# installs JupyterHub's proxy, configurable-http-proxy, from npm into the venv (its bin/,
# beside jupyterhub). Prints the venv's python last.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-test}"

sudo_cmd=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then sudo_cmd="sudo"; fi

debian_packages=()
command -v node >/dev/null || debian_packages+=(nodejs npm)
python3 -c "import ensurepip, venv" 2>/dev/null || debian_packages+=(python3-venv)
if [ "$what" = test ]; then
  command -v chromium >/dev/null || debian_packages+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || debian_packages+=(postgresql)
fi
if [ ${#debian_packages[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${debian_packages[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${debian_packages[@]}"
fi

python="$(bash scripts/venv-python.sh)"
if [ ! -x "$python" ]; then
  venv="$(dirname "$(dirname "$python")")"
  echo "setup: making a virtual environment in $venv" >&2
  python3 -m venv "$venv"
fi
extras="test,bench"
[ "$what" = demo ] && extras="sample"
[ "$what" = hub ] && extras="sample,hub"
echo "setup: installing mastery-nb[$extras] into $("$python" -c 'import sys; print(sys.prefix)') (builds the sidebar with Node.js)" >&2
"$python" -m pip install --quiet --upgrade pip
"$python" -m pip install --quiet -e ".[$extras]"

# JupyterHub's proxy (a Node.js program): into the venv, where `mastery-nb demo --hub` and
# the hub tests look for it. 4.6 runs on Debian's Node.js 18 and on newer ones.
proxy_version="4.6.3"
if [ "$what" != demo ]; then
  venv_prefix="$("$python" -c 'import sys; print(sys.prefix)')"
  if [ "$("$venv_prefix/bin/configurable-http-proxy" --version 2>/dev/null)" != "$proxy_version" ]; then
    command -v npm >/dev/null || { echo "setup: npm is missing (it comes with Node.js): install Debian's npm package" >&2; exit 1; }
    echo "setup: installing configurable-http-proxy@$proxy_version (npm) into $venv_prefix/bin" >&2
    npm install --global --prefix "$venv_prefix" --no-fund --no-audit --loglevel=error \
      "configurable-http-proxy@$proxy_version" >&2
  fi
fi
echo "$python"
