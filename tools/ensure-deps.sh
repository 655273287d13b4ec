#!/usr/bin/env bash
# Installs the npm dependencies from package-lock.json when they are missing or stale, and
# Schemathesis (the API fuzzer of the test command's last stage) into .cache/venv, a Python
# virtual environment of the project's own, at the pinned version. The two installs mostly
# wait on the network, so on a cold machine they run side by side.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

npm_deps() {
  local stamp=node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    echo "[deps] npm ci" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

# Schemathesis (MIT). Python 3.9 or newer.
SCHEMATHESIS_VERSION=4.32.5
venv=.cache/venv
schemathesis_deps() {
  if [ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
    local python
    python=$(command -v python3.11 || command -v python3 || true)
    if [ -z "$python" ]; then
      echo "[deps] python3 (3.9 or newer) is needed for Schemathesis" >&2
      return 1
    fi
    echo "[deps] schemathesis $SCHEMATHESIS_VERSION into $venv" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
  fi
}

schemathesis_deps &
pip_pid=$!
status=0
npm_deps || status=1
wait "$pip_pid" || status=1
exit "$status"
