#!/usr/bin/env bash
# A load run (npm run load -- <scenario> [--rate N] [--duration S] [--vus N] [--target native|compose]):
# installs what is missing, brings the infrastructure up (the native one, unless --target
# compose, which runs against the compose stack as it is), then load-tests/src/load/main.ts
# starts the services on empty databases, runs the scenario and prints its report.
# --help and bad arguments are answered before anything is started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
run() { SWC_NODE_PROJECT=tsconfig.base.json exec node -r @swc-node/register load-tests/src/load/main.ts "$@"; }
target=native
prev=""
for arg in "$@"; do
  case "$arg" in
    --help | -h) bash tools/ensure-deps.sh >/dev/null; run "$@" ;;
    --target=compose) target=compose ;;
  esac
  [ "$prev" = "--target" ] && target="$arg"
  prev="$arg"
done
bash tools/ensure-deps.sh
# The command line is checked before the infrastructure is touched: exit 2 on a bad one.
SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register load-tests/src/load/main.ts --check "$@" || exit $?
[ "$target" = compose ] || bash infra/local/up.sh
run "$@"
