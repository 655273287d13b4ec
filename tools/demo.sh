#!/usr/bin/env bash
# The demo (npm run demo): installs what is missing, brings the infrastructure up, starts every
# service on empty databases, runs a flash sale through the gateway and prints its report.
# Arguments: [buyers (default 2000)] [seats (default 500)]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/ensure-deps.sh
bash infra/local/up.sh
SWC_NODE_PROJECT=tsconfig.base.json exec node -r @swc-node/register load-tests/src/demo/main.ts "$@"
