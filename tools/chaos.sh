#!/usr/bin/env bash
# A chaos run (npm run chaos -- <scenario> --faults <schedule> | --short [load options]): the
# load run of tools/load.sh with faults injected while the traffic runs; with --matrix first
# (npm run chaos:matrix), one such run per scenario and fault. It restarts services
# and the shared native infrastructure, so it runs under the stack lock
# (/tmp/suite-stack.lock) that the integration tiers take; SUITE_STACK_LOCKED=1 says the
# caller holds it already. With --target compose the faults act on the compose stack's
# containers (bash docker/compose.sh up first) and the native infrastructure is left alone.
# --help and bad arguments are answered before anything starts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
main=load-tests/src/chaos/main.ts
mode=()
if [ "${1:-}" = --matrix ]; then
  main=load-tests/src/chaos/matrix.ts
  mode=(--matrix)
  shift
fi
check() { SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register "$main" "$@"; }
target=native
prev=""
for arg in "$@"; do
  case "$arg" in
    --help | -h) bash tools/ensure-deps.sh >/dev/null; check "$@"; exit 0 ;;
    --target=compose) target=compose ;;
  esac
  [ "$prev" = "--target" ] && target="$arg"
  prev="$arg"
done
bash tools/ensure-deps.sh
# The command line is checked before the infrastructure is touched: exit 2 on a bad one.
check --check "$@" || exit $?
if [ "${SUITE_STACK_LOCKED:-}" != 1 ]; then
  echo "waiting for the stack lock (/tmp/suite-stack.lock)"
  exec env SUITE_STACK_LOCKED=1 flock /tmp/suite-stack.lock bash "$0" "${mode[@]}" "$@"
fi
[ "$target" = compose ] || bash infra/local/up.sh
SWC_NODE_PROJECT=tsconfig.base.json exec node -r @swc-node/register "$main" "$@"
