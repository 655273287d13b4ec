#!/usr/bin/env bash
# The demo (npm run demo): installs what is missing, brings the infrastructure up, starts every
# service on empty databases, runs a flash sale through the gateway and prints its report.
# Arguments: [--target native|compose|cluster] [--restart svc[,svc]] [buyers (default 2000)]
#   [seats (default 500)]
#   --target compose runs it against the compose stack instead (docker-compose.yml on the
#   project's own Docker engine), recreated on empty volumes first; --target cluster against
#   its cluster profile (docker-compose.cluster.yml: replicas, 3 brokers, a Redis Cluster).
#   --restart stops the named services gracefully (SIGTERM) mid-sale and starts them again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target=native
for arg in "$@"; do
  case "$arg" in
    --target=compose) target=compose ;;
    --target=cluster) target=cluster ;;
  esac
done
prev=""
for arg in "$@"; do
  [ "$prev" = "--target" ] && target="$arg"
  prev="$arg"
done
bash tools/ensure-deps.sh
if [ "$target" = compose ] || [ "$target" = cluster ]; then
  profile=single
  [ "$target" = cluster ] && profile=cluster
  bash docker/compose.sh down >/dev/null 2>&1 || true
  bash docker/compose.sh --profile "$profile" up
else
  bash infra/local/up.sh
fi
SWC_NODE_PROJECT=tsconfig.base.json exec node -r @swc-node/register load-tests/src/demo/main.ts "$@"
