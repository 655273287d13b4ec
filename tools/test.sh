#!/usr/bin/env bash
# The one test command (npm test): installs npm dependencies if missing, brings the local
# infrastructure up if it is not running, runs every project's type check, lint, unit,
# integration and end-to-end tests, fuzzes every service's API, and ends with one line:
# "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$SECONDS

compose_stage=${SUITE_COMPOSE_STAGE:-on}
mkdir -p .local/logs
# Each stage's wall time, printed at the end.
stage_times=()
stage_started=$SECONDS
stage_done() {
  stage_times+=("$1: $((SECONDS - stage_started)) s")
  echo "[test] $1: $((SECONDS - stage_started)) s"
  stage_started=$SECONDS
}

# The compose plugin's Go build takes minutes of CPU; the installs below mostly wait on the
# network, so it starts first, beside them (the engine's start waits for it under a lock).
if [ "$compose_stage" = on ]; then
  bash infra/docker/engine.sh compose-plugin >>.local/logs/compose-stage.log 2>&1 &
fi

# infra/local/up.sh installs the dependencies itself, beside its own downloads and builds.
if bash infra/local/status.sh >/dev/null 2>&1; then
  bash tools/ensure-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
else
  bash infra/local/up.sh || { echo "infrastructure did not come up (see the message above)"; echo "0 passed, 1 failed"; exit 1; }
fi
stage_done "installs and native infrastructure"

rm -rf .local/test-results
mkdir -p .local/test-results
# Six stages, so that tests which measure timing or restart shared infrastructure never run
# beside other work on this 2-core machine:
# 1. type checks, lint and unit tests, two projects at a time (Nx caches their reports);
# 2. integration tests, one project at a time: several start processes of their own (brokers,
#    service instances) and measure latencies or limiter errors that a busy neighbour skews;
# 3. the end-to-end tier alone: its fault runs restart the shared Redis and Kafka;
# 3b. chaos (tools/chaos/stage.sh): the flash sale's short chaos run, one short window of each
#    native fault (a service killed, one paused, Redis and Postgres links slowed, cut and
#    reset, Redis, Postgres and Kafka restarted), every verifier after it. Only the image build
#    runs beside it: its verifiers do not depend on timing, and its error-rate bound (25%) is
#    far above what a busy machine gives (8.8% measured beside a build). SUITE_CHAOS_STAGE=off
#    skips it.
# 4. API fuzzing (tools/fuzz/stage.sh): the services started afresh, Schemathesis with all its
#    checks against each OpenAPI document, one JUnit report per document, the services stopped.
# 5. the compose stack (tools/compose/stage.sh): images built from this checkout, the stack up,
#    a short flash sale with a graceful restart through its gateway, every verifier, the stack
#    down. Its slow parts overlap stages that measure nothing: the engine and compose plugin
#    install beside stage 1, the images build beside stages 3b and 4. SUITE_COMPOSE_STAGE=off skips it
#    (for a machine that cannot run a Docker engine).
if [ "$compose_stage" = on ]; then
  bash infra/docker/engine.sh start >>.local/logs/compose-stage.log 2>&1 &
  engine_pid=$!
fi
nx_status=0
npx nx run-many -t typecheck lint test --outputStyle=stream "$@" || nx_status=1
stage_done "1 typecheck, lint, unit"
if [ "$compose_stage" = on ]; then
  wait "$engine_pid" || echo "[compose] the Docker engine did not start; read .local/logs/compose-stage.log" >&2
  stage_done "1b waiting for the Docker engine"
fi
npx nx run-many -t integration --parallel=1 --outputStyle=stream "$@" || nx_status=1
stage_done "2 integration"
npx nx run-many -t e2e --outputStyle=stream "$@" || nx_status=1
stage_done "3 end-to-end"
if [ "$compose_stage" = on ]; then
  bash tools/compose/stage.sh prepare &
  prepare_pid=$!
fi
if [ "${SUITE_CHAOS_STAGE:-on}" = on ]; then
  bash tools/chaos/stage.sh
  stage_done "3b chaos"
fi
# The fuzz stage's failures are counted from its reports, operation by operation.
bash tools/fuzz/stage.sh
stage_done "4 API fuzzing"
if [ "$compose_stage" = on ]; then
  # From here a missing compose report counts as a failed test.
  touch .local/test-results/compose.expected
  wait "$prepare_pid" || echo "[compose] building the images failed; read .local/logs/compose-stage.log" >&2
  stage_done "4b waiting for the images"
  bash tools/compose/stage.sh run
  stage_done "5 compose"
fi

echo "[test] stage times:"
printf '  %s\n' "${stage_times[@]}"
node tools/test-summary.cjs "$nx_status" "$((SECONDS - started))"
