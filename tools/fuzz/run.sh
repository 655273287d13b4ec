#!/usr/bin/env bash
# The API fuzz stage: Schemathesis, with every check it has, against the OpenAPI document
# each running service serves (GET /docs/json; the gateway's /docs/openapi.json), with a
# bearer token the services accept. One JUnit report per document in .local/test-results
# (fuzz.<target>.xml, one test per operation), which tools/test-summary.cjs counts.
# Needs the services running (npm run services:start) and Schemathesis installed
# (tools/ensure-deps.sh). Exits non-zero when any operation failed.
# Usage: tools/fuzz/run.sh [target...]   (default: every target, in the order below)
#        tools/fuzz/run.sh --list        (the targets)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Bounded: a fixed seed and at most this many generated cases per operation and phase
# (the coverage phase adds its boundary cases), so the stage takes a few minutes at most.
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-20}"
SEED="${FUZZ_SEED:-20261130}"
WORKERS="${FUZZ_WORKERS:-1}"
RESULTS=.local/test-results
ST=.cache/venv/bin/schemathesis

# Each target: the service whose port serves it, its document path, and which operations.
# The PSP's fault plan is fuzzed last and alone (psp-admin): a random plan (10 minutes of
# latency, every charge failing) would stall or fail every later call to the PSP; the plan
# is reset once it is done.
ALL_TARGETS=(ticketing auction rate-limiter payments psp-simulator scheduler web-simulator crawler gateway psp-admin)
if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${ALL_TARGETS[@]}"
  exit 0
fi
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${ALL_TARGETS[@]}")

if [ ! -x "$ST" ]; then
  echo "[fuzz] Schemathesis is missing: run bash tools/ensure-deps.sh" >&2
  exit 1
fi
mkdir -p "$RESULTS"
# The summary counts a target listed here but without a report as failed.
printf '%s\n' "${targets[@]}" >"$RESULTS/fuzz.targets"

port_of() {
  local file=".local/run/services/$1.json"
  [ -f "$file" ] || return 1
  node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).port))' "$file"
}

token=$(SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/fuzz/mint-token.ts) || {
  echo "[fuzz] could not mint a token" >&2
  exit 1
}

# fuzz_target <target>: one Schemathesis run; non-zero when any operation failed.
fuzz_target() {
  local target=$1 service=$1 doc=docs/json filter=() port started code
  case "$target" in
    gateway) doc=docs/openapi.json ;;
    psp-simulator) filter=(--exclude-path-regex '^/admin/') ;;
    psp-admin) service=psp-simulator; filter=(--include-path-regex '^/admin/') ;;
  esac
  port=$(port_of "$service") || {
    echo "[fuzz] $service is not running: start the services first" >&2
    return 1
  }
  echo "[fuzz] $target: http://127.0.0.1:$port/$doc"
  started=$SECONDS
  "$ST" --config-file tools/fuzz/schemathesis.toml --no-color run "http://127.0.0.1:$port/$doc" \
    --checks all \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers "$WORKERS" \
    --generation-database none \
    --header "Authorization: Bearer $token" \
    "${filter[@]}" \
    --report junit --report-junit-path "$RESULTS/fuzz.$target.xml" \
    >"$RESULTS/fuzz.$target.log" 2>&1
  code=$?
  echo "[fuzz] $target: exit $code in $((SECONDS - started)) s ($(grep -E '^Test cases:' -A1 "$RESULTS/fuzz.$target.log" | tail -1 | sed 's/^ *//'))"
  if [ $code -ne 0 ]; then
    sed -n '/^=* FAILURES =*$/,/^=* SUMMARY =*$/p' "$RESULTS/fuzz.$target.log" | head -200
    return 1
  fi
}

# The gateway's document is the largest and every one of its cases also runs in a service
# behind it, so it is fuzzed beside the services' own documents, one after another, instead
# of after them (no check times anything). The PSP's fault plan comes last, alone.
status=0
gateway_pid=
if [[ " ${targets[*]} " == *" gateway "* ]]; then
  fuzz_target gateway &
  gateway_pid=$!
fi
for target in "${targets[@]}"; do
  case "$target" in
    gateway | psp-admin) continue ;;
  esac
  fuzz_target "$target" || status=1
done
if [ -n "$gateway_pid" ]; then
  wait "$gateway_pid" || status=1
fi
if [[ " ${targets[*]} " == *" psp-admin "* ]]; then
  fuzz_target psp-admin || status=1
fi

if [[ " ${targets[*]} " == *" psp-admin "* ]]; then
  # Back to the fault plan the PSP was booted with.
  curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$(port_of psp-simulator)/admin/faults" || true
fi
exit $status
