#!/usr/bin/env bash
# The one test command (npm test): installs npm dependencies if missing, brings the local
# infrastructure up if it is not running, runs every project's type check, lint, unit,
# integration and end-to-end tests, fuzzes every service's API, and ends with one line:
# "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$SECONDS

bash tools/ensure-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
if ! bash infra/local/status.sh >/dev/null 2>&1; then
  bash infra/local/up.sh || { echo "infrastructure did not come up (see the message above)"; echo "0 passed, 1 failed"; exit 1; }
fi

rm -rf .local/test-results
mkdir -p .local/test-results
# Four stages, so that tests which measure timing or restart shared infrastructure never run
# beside other work on this 2-core machine:
# 1. type checks, lint and unit tests, two projects at a time (Nx caches their reports);
# 2. integration tests, one project at a time: several start processes of their own (brokers,
#    service instances) and measure latencies or limiter errors that a busy neighbour skews;
# 3. the end-to-end tier alone: its fault runs restart the shared Redis and Kafka;
# 4. API fuzzing (tools/fuzz/stage.sh): the services started afresh, Schemathesis with all its
#    checks against each OpenAPI document, one JUnit report per document, the services stopped.
nx_status=0
npx nx run-many -t typecheck lint test --outputStyle=stream "$@" || nx_status=1
npx nx run-many -t integration --parallel=1 --outputStyle=stream "$@" || nx_status=1
npx nx run-many -t e2e --outputStyle=stream "$@" || nx_status=1
# The fuzz stage's failures are counted from its reports, operation by operation.
bash tools/fuzz/stage.sh

node tools/test-summary.cjs "$nx_status" "$((SECONDS - started))"
