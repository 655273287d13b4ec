#!/usr/bin/env bash
# The test command's fuzz stage: the services started afresh (empty databases, a new Redis
# prefix), every target fuzzed (tools/fuzz/run.sh), the services stopped. Its reports count
# in the summary line even when the services do not come up: each target then has none, and
# a target without a report counts as failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
services() {
  SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register libs/testing/src/stack/services.ts "$@"
}
mkdir -p .local/test-results
bash tools/fuzz/run.sh --list >.local/test-results/fuzz.targets
started=$SECONDS
status=0
if services start-fresh; then
  bash tools/fuzz/run.sh || status=1
else
  echo "[fuzz] the services did not start; read .local/logs/<service>.log" >&2
  status=1
fi
services stop || status=1
echo "[fuzz] stage: $((SECONDS - started)) s"
exit $status
