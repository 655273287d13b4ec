#!/usr/bin/env bash
# The test command's compose stage: the images built from this checkout, the compose stack
# brought up on empty volumes, a short flash sale with the auction race and the burst through
# its gateway (payments restarted by SIGTERM mid-sale, as `docker stop` would), every verifier
# run against its databases, Kafka and the PSP; then the assignment services through the same
# gateway (a job fires once at the scheduler's sink, a small crawl finishes with a clean
# verdict: tools/compose/check-assignment.ts); then the stack taken down.
#
# Usage: tools/compose/stage.sh prepare   install the engine and build the images (no tests)
#        tools/compose/stage.sh run       the stage itself; writes .local/test-results/compose.stage.json
# `prepare` may run in the background while other stages run: it touches no test's services.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RESULTS=.local/test-results
LOG=.local/logs/compose-stage.log
mkdir -p "$RESULTS" .local/logs

# One result per check, in Jest's report shape, so tools/test-summary.cjs counts it like any
# other project's: the stack came up healthy; the flash sale ended with every verifier at 0;
# the scheduler fired and the crawler crawled clean.
report() {
  local up="$1" sale="$2" assignment="$3"
  node -e '
    const [up, sale, assignment] = process.argv.slice(1);
    const checks = [
      ["compose stack comes up healthy", up],
      ["flash sale on compose: every verifier 0", sale],
      ["scheduler and crawler on compose: a job fires once at the sink, a crawl ends clean", assignment],
    ];
    const passed = checks.filter(([, s]) => s === "passed").length;
    const failed = checks.filter(([, s]) => s === "failed").length;
    const skipped = checks.length - passed - failed;
    console.log(JSON.stringify({
      numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTodoTests: 0,
      numRuntimeErrorTestSuites: 0,
      testResults: [{ name: "compose", assertionResults: checks.map(([title, status]) => ({ title, status })) }],
    }));
  ' "$up" "$sale" "$assignment" >"$RESULTS/compose.stage.json"
}

case "${1:-run}" in
  prepare)
    bash docker/compose.sh --profile single build >>"$LOG" 2>&1
    ;;
  run)
    started=$SECONDS
    # Written first, so that a stage that dies still counts as failed.
    report failed pending pending
    # Whatever stack the last `up` left (either profile) goes first.
    bash docker/compose.sh down >>"$LOG" 2>&1 || true
    up_started=$SECONDS
    if ! bash docker/compose.sh --profile single up >>"$LOG" 2>&1; then
      echo "[compose] the stack did not come up healthy; read $LOG" >&2
      bash docker/compose.sh ps >>"$LOG" 2>&1 || true
      bash docker/compose.sh logs --tail 50 >>"$LOG" 2>&1 || true
      bash docker/compose.sh down >>"$LOG" 2>&1 || true
      report failed pending pending
      exit 1
    fi
    echo "[compose] up and healthy: $((SECONDS - up_started)) s"
    SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register load-tests/src/demo/main.ts \
      --target compose --restart payments 200 80 2>&1 | tee -a "$LOG" | tail -n 40
    demo_status=${PIPESTATUS[0]}
    sale=passed
    [ "$demo_status" -eq 0 ] || sale=failed
    checked=$SECONDS
    assignment=passed
    SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/compose/check-assignment.ts \
      2>&1 | tee -a "$LOG"
    [ "${PIPESTATUS[0]}" -eq 0 ] || assignment=failed
    echo "[compose] assignment check: $((SECONDS - checked)) s"
    bash docker/compose.sh down >>"$LOG" 2>&1 || true
    report passed "$sale" "$assignment"
    echo "[compose] stage: $((SECONDS - started)) s"
    [ "$sale" = passed ] && [ "$assignment" = passed ]
    ;;
  *)
    echo "usage: $0 prepare|run" >&2
    exit 2
    ;;
esac
