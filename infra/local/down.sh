#!/usr/bin/env bash
# Stops every component of the local stack. Data stays in .local/run; `npm run infra:up`
# brings it back. Pass --purge to delete the data folders too (downloads stay cached).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$SUITE_ROOT/infra/local"

exec 9>"$SUITE_STATE_DIR/infra.lock"
flock -w 300 9 || fail infra "" "another infra command held the lock for 5 minutes"

bash "$HERE/toxiproxy.sh" stop
bash "$HERE/kafka.sh" stop
bash "$HERE/redis.sh" stop
bash "$HERE/postgres.sh" stop
rm -f "$SUITE_ENDPOINTS_FILE"
if [ "${1:-}" = "--purge" ]; then
  log "purging $SUITE_RUN_DIR"
  rm -rf "$SUITE_RUN_DIR"
fi
log "local stack is down"
