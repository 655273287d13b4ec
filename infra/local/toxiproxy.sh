#!/usr/bin/env bash
# Toxiproxy, built from the Go module proxy, with its API on loopback. Fault-injection tests
# create proxies in front of Postgres, Redis or Kafka through it.
# Usage: toxiproxy.sh start|stop|status|url|build
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOXIPROXY_VERSION="v2.12.0"
TOXIPROXY_BIN="$SUITE_CACHE_DIR/bin/toxiproxy-server-$TOXIPROXY_VERSION"
TOXIPROXY_DIR="$SUITE_RUN_DIR/toxiproxy"
TOXIPROXY_PID="$TOXIPROXY_DIR/toxiproxy.pid"
TOXIPROXY_LOG="$SUITE_LOG_DIR/toxiproxy.log"

build() {
  [ -x "$TOXIPROXY_BIN" ] && return 0
  require_tool go toxiproxy "install Go (apt-get install golang)"
  log "toxiproxy: building $TOXIPROXY_VERSION with go install (cached in $SUITE_CACHE_DIR/bin)"
  local gobin="$SUITE_CACHE_DIR/go/bin"
  (cd "$SUITE_CACHE_DIR" && GOPATH="$SUITE_CACHE_DIR/go" GOBIN="$gobin" GOCACHE="$SUITE_CACHE_DIR/go-build" \
    GOFLAGS=-modcacherw go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION") \
    >"$SUITE_LOG_DIR/toxiproxy-build.log" 2>&1 || fail toxiproxy "$SUITE_LOG_DIR/toxiproxy-build.log" "go install"
  mkdir -p "$(dirname "$TOXIPROXY_BIN")"
  mv "$gobin/server" "$TOXIPROXY_BIN"
}

port() { remembered_port toxiproxy; }
url() { echo "http://127.0.0.1:$(port)"; }
answers() { curl -fsS -m 2 "$(url)/version" >/dev/null 2>&1; }
is_running() {
  local pid
  pid=$(read_pid "$TOXIPROXY_PID")
  pid_alive "$pid" && grep -q toxiproxy-server "/proc/$pid/cmdline" 2>/dev/null
}

start() {
  build
  if is_running && answers; then
    log "toxiproxy: already running on port $(port)"
    return
  fi
  local p
  p=$(choose_port toxiproxy "$SUITE_TOXIPROXY_PORT")
  mkdir -p "$TOXIPROXY_DIR"
  log "toxiproxy: starting API on 127.0.0.1:$p"
  setsid nohup "$TOXIPROXY_BIN" -host 127.0.0.1 -port "$p" >>"$TOXIPROXY_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$TOXIPROXY_PID"
  wait_until 20 answers || fail toxiproxy "$TOXIPROXY_LOG" "API did not answer on port $p within 20 s"
}

stop() {
  if is_running; then
    local pid
    pid=$(read_pid "$TOXIPROXY_PID")
    log "toxiproxy: stopping"
    kill "$pid" 2>/dev/null || true
    wait_until 20 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$TOXIPROXY_PID"
}

status() {
  if is_running && answers; then
    echo "running $(read_pid "$TOXIPROXY_PID") $(url) $TOXIPROXY_LOG"
    return 0
  fi
  echo "stopped - - $TOXIPROXY_LOG"
  return 1
}

case "${1:-}" in
  start | stop | status | url | build) "$1" ;;
  *) echo "usage: $0 start|stop|status|url|build" >&2; exit 2 ;;
esac
