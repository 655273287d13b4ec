#!/usr/bin/env bash
# The one test command (npm test): installs npm dependencies if missing, brings the local
# infrastructure up if it is not running, runs every project's type check, lint, unit,
# integration and end-to-end tests, and ends with one line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$SECONDS

bash tools/ensure-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
if ! bash infra/local/status.sh >/dev/null 2>&1; then
  bash infra/local/up.sh || { echo "infrastructure did not come up (see the message above)"; echo "0 passed, 1 failed"; exit 1; }
fi

rm -rf .local/test-results
mkdir -p .local/test-results
# Unit tests are cacheable (Nx restores their reports); integration tests always run.
npx nx run-many -t typecheck lint test integration --outputStyle=stream "$@"
nx_status=$?
# The end-to-end tier runs alone, after everything else: its fault runs restart the shared
# Redis and Kafka and load both cores, which would break or skew the timing of integration
# tests running beside it.
npx nx run-many -t e2e --outputStyle=stream "$@" || nx_status=1

node tools/test-summary.cjs "$nx_status" "$((SECONDS - started))"
