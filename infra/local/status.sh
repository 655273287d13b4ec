#!/usr/bin/env bash
# Prints one line per component. Exits 0 when all are running, 3 otherwise.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$SUITE_ROOT/infra/local"

all_up=0
printf '%-10s %-8s %-8s %-40s %s\n' COMPONENT STATE PID ENDPOINT LOG
for component in postgres redis kafka toxiproxy; do
  # shellcheck disable=SC2046
  set -- $(bash "$HERE/$component.sh" status) || true
  [ "$1" = running ] || all_up=3
  printf '%-10s %-8s %-8s %-40s %s\n' "$component" "$1" "$2" "$3" "$4"
done
[ -f "$SUITE_ENDPOINTS_FILE" ] && echo "endpoints: $SUITE_ENDPOINTS_FILE"
exit "$all_up"
