#!/usr/bin/env bash
# Brings the whole local stack up: Postgres, Redis, Kafka and toxiproxy. Idempotent: what is
# already running is left alone, what died is started again. Ends by writing the endpoints
# file (.local/endpoints.env) that scripts and tests read, and printing the status.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$SUITE_ROOT/infra/local"

# Two callers at once (say, two terminals) must not both initialise a component. Every
# long-lived process is started with fd 9 closed so that it does not keep holding the lock.
exec 9>"$SUITE_STATE_DIR/infra.lock"
flock -w 300 9 || fail infra "" "another 'infra up' held the lock for 5 minutes"

# Every install mostly waits on the network, so on a cold machine they all run side by side:
# the npm and Python dependencies, the Go build of toxiproxy, Maven's fetch of the Kafka jars
# and one apt run. Nothing starts before all of them are done (the broker's readiness probe
# needs node_modules).
bash "$SUITE_ROOT/tools/ensure-deps.sh" &
deps_pid=$!
bash "$HERE/toxiproxy.sh" build &
build_pid=$!
bash "$HERE/kafka.sh" fetch &
fetch_pid=$!

# One apt run for the Debian packages that are missing: Postgres, Redis, Chromium (the load
# run's HTML report is checked in it), faketime (the chaos runs' clock skew) and iptables (a
# real network partition in service-kit's stalled-connection spec, which runs as root).
pkgs=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || pkgs+=(postgresql)
command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
[ -x /usr/bin/chromium ] || pkgs+=(chromium)
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || pkgs+=(faketime)
command -v iptables >/dev/null 2>&1 || pkgs+=(iptables)
[ "${#pkgs[@]}" -eq 0 ] || apt_install "${pkgs[@]}"

installs_ok=1
wait "$deps_pid" || installs_ok=0
wait "$build_pid" || installs_ok=0
wait "$fetch_pid" || installs_ok=0
[ "$installs_ok" -eq 1 ] || exit 1

bash "$HERE/kafka.sh" start &
kafka_pid=$!
bash "$HERE/postgres.sh" start
bash "$HERE/redis.sh" start
bash "$HERE/toxiproxy.sh" start
wait "$kafka_pid" || exit 1

tmp="$SUITE_ENDPOINTS_FILE.tmp"
{
  echo "# Written by infra/local/up.sh. Endpoints of the local stack; read by scripts and tests."
  echo "DATABASE_URL=$(bash "$HERE/postgres.sh" url)/postgres"
  for db in $SUITE_DATABASES; do
    echo "$(echo "$db" | tr '[:lower:]' '[:upper:]')_DATABASE_URL=$(bash "$HERE/postgres.sh" url)/$db"
  done
  echo "REDIS_URL=$(bash "$HERE/redis.sh" url)"
  echo "KAFKA_BROKERS=$(bash "$HERE/kafka.sh" url)"
  echo "TOXIPROXY_URL=$(bash "$HERE/toxiproxy.sh" url)"
} >"$tmp"
mv "$tmp" "$SUITE_ENDPOINTS_FILE"

bash "$HERE/status.sh"
