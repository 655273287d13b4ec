#!/usr/bin/env bash
# The project's own PostgreSQL: a private cluster in .local/run/postgres, on loopback only.
# Usage: postgres.sh start|stop|status|url
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_DIR="$SUITE_RUN_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_LOG="$SUITE_LOG_DIR/postgres.log"

pg_bindir() {
  local initdb
  initdb=$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$initdb" ] && dirname "$initdb"
}

ensure_installed() {
  [ -n "$(pg_bindir)" ] || apt_install postgresql
  [ -n "$(pg_bindir)" ] || fail postgres "$SUITE_LOG_DIR/apt.log" "no initdb found after installing postgresql"
}

# Postgres refuses to run as root; when we are root it runs as the 'postgres' user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_ctl_() { as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DATA" "$@"; }

is_running() { pg_ctl_ status >/dev/null 2>&1; }

port() { remembered_port postgres; }

url() { echo "postgres://postgres@127.0.0.1:$(port)"; }

psql_() { "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(port)" -U postgres "$@"; }

start() {
  ensure_installed
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR"; touch "$PG_LOG"; chown postgres: "$PG_LOG"; fi
  if is_running; then
    log "postgres: already running on port $(port)"
  else
    local p
    p=$(choose_port postgres "$SUITE_PG_PORT")
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
      log "postgres: initialising a cluster in $PG_DATA"
      as_pg "$(pg_bindir)/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --no-locale \
        >>"$PG_LOG" 2>&1 || fail postgres "$PG_LOG" "initdb"
    fi
    log "postgres: starting on 127.0.0.1:$p"
    # A disposable development cluster: durability settings are traded for speed. Process
    # crashes are still safe (WAL is written); only an OS crash could lose commits.
    pg_ctl_ -l "$PG_LOG" -w -t 60 -o "-p $p -k $PG_DIR -c listen_addresses=127.0.0.1 \
      -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
      -c max_prepared_transactions=50" start >/dev/null 2>&1 9>&- ||
      fail postgres "$PG_LOG" "pg_ctl start did not become ready within 60 s"
  fi
  wait_until 30 psql_ -d postgres -c 'select 1' >/dev/null 2>&1 ||
    fail postgres "$PG_LOG" "not accepting connections on port $(port)"
  for db in $SUITE_DATABASES; do
    if [ -z "$(psql_ -d postgres -tAc "select 1 from pg_database where datname = '$db'")" ]; then
      psql_ -d postgres -c "create database $db" >/dev/null || fail postgres "$PG_LOG" "create database $db"
    fi
  done
}

stop() {
  if [ -f "$PG_DATA/PG_VERSION" ] && [ -n "$(pg_bindir)" ] && is_running; then
    log "postgres: stopping"
    pg_ctl_ -m fast -w -t 60 stop >/dev/null 2>&1 || fail postgres "$PG_LOG" "pg_ctl stop"
  fi
}

status() {
  if [ -f "$PG_DATA/PG_VERSION" ] && [ -n "$(pg_bindir)" ] && is_running; then
    echo "running $(head -n 1 "$PG_DATA/postmaster.pid") $(url) $PG_LOG"
    return 0
  fi
  echo "stopped - - $PG_LOG"
  return 1
}

case "${1:-}" in
  start | stop | status | url) "$1" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
