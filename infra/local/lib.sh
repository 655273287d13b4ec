#!/usr/bin/env bash
# Shared helpers for the native local stack (Postgres, Redis, Kafka, toxiproxy).
# Every component keeps its data, pid file and chosen port under $SUITE_STATE_DIR/run/<name>
# and its log under $SUITE_STATE_DIR/logs. Nothing here touches the system services.
set -euo pipefail

SUITE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SUITE_STATE_DIR="${SUITE_STATE_DIR:-$SUITE_ROOT/.local}"
SUITE_RUN_DIR="$SUITE_STATE_DIR/run"
SUITE_LOG_DIR="$SUITE_STATE_DIR/logs"
SUITE_CACHE_DIR="$SUITE_STATE_DIR/cache"
SUITE_ENDPOINTS_FILE="$SUITE_STATE_DIR/endpoints.env"

# Preferred ports. They avoid the standard ones (5432, 6379, 9092, 8474); if one is taken by
# something that is not ours, the next free port is chosen and remembered.
SUITE_PG_PORT="${SUITE_PG_PORT:-55432}"
SUITE_REDIS_PORT="${SUITE_REDIS_PORT:-56379}"
SUITE_KAFKA_PORT="${SUITE_KAFKA_PORT:-59092}"
SUITE_KAFKA_CONTROLLER_PORT="${SUITE_KAFKA_CONTROLLER_PORT:-59093}"
SUITE_TOXIPROXY_PORT="${SUITE_TOXIPROXY_PORT:-58474}"

# One database per service that keeps state in Postgres.
SUITE_DATABASES="ticketing payments auction psp_simulator scheduler crawler"

mkdir -p "$SUITE_RUN_DIR" "$SUITE_LOG_DIR" "$SUITE_CACHE_DIR"

log() { printf '[infra] %s\n' "$*" >&2; }

# fail <component> <log file> <message>: stop with a message that says where to look.
fail() {
  local component="$1" logfile="$2"
  shift 2
  printf '[infra] %s FAILED: %s\n' "$component" "$*" >&2
  if [ -n "$logfile" ]; then
    printf '[infra]   read the log: %s\n' "$logfile" >&2
    if [ -f "$logfile" ]; then
      printf '[infra]   last lines:\n' >&2
      tail -n 15 "$logfile" | sed 's/^/[infra]     /' >&2
    fi
  fi
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_until <seconds> <command...>: poll every 0.25 s; non-zero when time runs out.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.25
  done
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

read_pid() { [ -f "$1" ] && tr -d '[:space:]' <"$1" || true; }

# choose_port <component> <preferred>: the remembered port if it is still free, else the first
# free one from <preferred> on. Called only when the component itself is not running.
choose_port() {
  local component="$1" port="$2" remembered="$SUITE_RUN_DIR/$1/port"
  if [ -f "$remembered" ]; then
    if ! port_open "$(cat "$remembered")"; then
      cat "$remembered"
      return
    fi
    log "$component: remembered port $(cat "$remembered") is now taken by another process"
    rm -f "$remembered"
  fi
  local limit=$((port + 100))
  # Taken by another process, or promised to another component of ours that has not bound it
  # yet (the broker and its controller are chosen before either starts).
  while port_open "$port" || port_reserved "$component" "$port"; do
    log "$component: port $port is taken, trying $((port + 1))"
    port=$((port + 1))
    [ "$port" -lt "$limit" ] || fail "$component" "" "no free port near $2"
  done
  mkdir -p "$SUITE_RUN_DIR/$component"
  echo "$port" >"$remembered"
  echo "$port"
}

remembered_port() { cat "$SUITE_RUN_DIR/$1/port" 2>/dev/null || true; }

# port_reserved <component> <port>: another component of this stack remembers that port.
port_reserved() {
  local file
  for file in "$SUITE_RUN_DIR"/*/port; do
    [ -f "$file" ] || continue
    [ "$file" = "$SUITE_RUN_DIR/$1/port" ] && continue
    [ "$(cat "$file")" = "$2" ] && return 0
  done
  return 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
# apt_install <package...>: install Debian packages that are missing.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >"$SUITE_LOG_DIR/apt.log" 2>&1 || fail apt "$SUITE_LOG_DIR/apt.log" "apt-get update"
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" \
    >>"$SUITE_LOG_DIR/apt.log" 2>&1 || fail apt "$SUITE_LOG_DIR/apt.log" "apt-get install ${missing[*]}"
}

require_tool() {
  command -v "$1" >/dev/null 2>&1 || fail "$2" "" "'$1' is not installed; $3"
}

# The headless browser the load report's page test drives (Debian's /usr/bin/chromium).
ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

# Run directly, the file installs what is named: `bash infra/local/lib.sh chromium`.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    chromium) ensure_chromium ;;
    *)
      echo "usage: bash infra/local/lib.sh chromium" >&2
      exit 2
      ;;
  esac
fi
