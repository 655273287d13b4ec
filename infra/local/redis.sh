#!/usr/bin/env bash
# The project's own Redis: loopback only, no persistence (a restart loses every key, which the
# fencing-token design must survive). Usage: redis.sh start|stop|restart|status|url
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_DIR="$SUITE_RUN_DIR/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$SUITE_LOG_DIR/redis.log"

ensure_installed() {
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || apt_install redis-server
  command -v redis-server >/dev/null 2>&1 || fail redis "$SUITE_LOG_DIR/apt.log" "redis-server missing after install"
}

port() { remembered_port redis; }
url() { echo "redis://127.0.0.1:$(port)"; }
ping() { [ "$(redis-cli -h 127.0.0.1 -p "$(port)" ping 2>/dev/null)" = PONG ]; }
is_running() { pid_alive "$(read_pid "$REDIS_PID")" && [ -n "$(port)" ] && ping; }

start() {
  ensure_installed
  if is_running; then
    log "redis: already running on port $(port)"
    return
  fi
  local p
  p=$(choose_port redis "$SUITE_REDIS_PORT")
  mkdir -p "$REDIS_DIR"
  log "redis: starting on 127.0.0.1:$p"
  redis-server --bind 127.0.0.1 --port "$p" --protected-mode no --save '' --appendonly no \
    --dir "$REDIS_DIR" --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" --daemonize yes \
    --maxclients 4000 >/dev/null 2>&1 9>&- || fail redis "$REDIS_LOG" "redis-server did not start"
  wait_until 20 ping || fail redis "$REDIS_LOG" "no PONG on port $p within 20 s"
}

stop() {
  local pid
  pid=$(read_pid "$REDIS_PID")
  if pid_alive "$pid"; then
    log "redis: stopping"
    redis-cli -h 127.0.0.1 -p "$(port)" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    wait_until 20 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$REDIS_PID"
}

status() {
  if is_running; then
    echo "running $(read_pid "$REDIS_PID") $(url) $REDIS_LOG"
    return 0
  fi
  echo "stopped - - $REDIS_LOG"
  return 1
}

case "${1:-}" in
  start | stop | status | url) "$1" ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop|restart|status|url" >&2; exit 2 ;;
esac
