#!/usr/bin/env bash
# Installs the npm dependencies from package-lock.json when they are missing or stale.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "[deps] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
