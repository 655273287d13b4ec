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
# The gateway's own limits (120 requests a minute per user, 5 crawls) would answer most of
# one token's cases with 429 before any route ran: the gateway target gets the same policies
# with every limit a thousand times higher. Its 429s are tested by its integration specs.
mkdir -p .local/fuzz
node -e '
  const fs = require("fs");
  const file = JSON.parse(fs.readFileSync("apps/gateway/rate-limits.example.json", "utf8"));
  for (const domain of file.domains)
    for (const p of domain.policies) {
      p.limit *= 1000;
      if (p.fallback) p.fallback.limit *= 1000;
    }
  fs.writeFileSync(".local/fuzz/gateway-rate-limits.json", JSON.stringify(file, null, 2));
'
export SUITE_SERVICE_OVERRIDES="{\"gateway\":{\"RATE_LIMIT_POLICY_FILE\":\"$PWD/.local/fuzz/gateway-rate-limits.json\"}}"
if services start-fresh; then
  bash tools/fuzz/run.sh || status=1
else
  echo "[fuzz] the services did not start; read .local/logs/<service>.log" >&2
  status=1
fi
services stop || status=1
echo "[fuzz] stage: $((SECONDS - started)) s"
exit $status
