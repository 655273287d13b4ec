#!/usr/bin/env bash
# The project's own Apache Kafka broker (KRaft, single node), from jars that Maven fetches.
# Usage: kafka.sh start|stop|status|url|fetch
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$SUITE_ROOT/infra/kafka/pom.xml")
KAFKA_LIBS="$SUITE_CACHE_DIR/kafka-$KAFKA_VERSION/libs"
KAFKA_DIR="$SUITE_RUN_DIR/kafka"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_PID="$KAFKA_DIR/kafka.pid"
KAFKA_LOG="$SUITE_LOG_DIR/kafka.log"
KAFKA_OUT="$SUITE_LOG_DIR/kafka.out"
KAFKA_CONF="$KAFKA_DIR/server.properties"

fetch() {
  [ -f "$KAFKA_LIBS/.complete" ] && return 0
  require_tool java kafka "install a Java 17 runtime (apt-get install openjdk-17-jre-headless)"
  require_tool mvn kafka "install Maven (apt-get install maven)"
  log "kafka: fetching Apache Kafka $KAFKA_VERSION jars with Maven (cached in $KAFKA_LIBS)"
  rm -rf "$KAFKA_LIBS"
  (cd "$SUITE_ROOT/infra/kafka" && mvn -B -q dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS" -Dmaven.repo.local="$SUITE_CACHE_DIR/m2") \
    >"$SUITE_LOG_DIR/kafka-fetch.log" 2>&1 || fail kafka "$SUITE_LOG_DIR/kafka-fetch.log" "mvn dependency:copy-dependencies"
  touch "$KAFKA_LIBS/.complete"
}

port() { remembered_port kafka; }
url() { echo "127.0.0.1:$(port)"; }

# Ours if the pid is alive and really is this broker (pids are reused).
is_running() {
  local pid
  pid=$(read_pid "$KAFKA_PID")
  pid_alive "$pid" && grep -q "kafka.Kafka" "/proc/$pid/cmdline" 2>/dev/null
}

# Kafka's command-line tools (the storage format) run for a second or two: the JVM's first-tier
# compiler alone starts them faster (1.8 s instead of 2.4 to 2.9 s for the format).
java_() { java -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$SUITE_ROOT/infra/kafka/log4j2.properties" -Dkafka.log.file="$KAFKA_LOG" -cp "$KAFKA_LIBS/*" "$@"; }

render_config() {
  local p="$1" cp="$2"
  sed -e "s|@PORT@|$p|g" -e "s|@CONTROLLER_PORT@|$cp|g" -e "s|@DATA_DIR@|$KAFKA_DATA|g" \
    "$SUITE_ROOT/infra/kafka/server.properties" >"$KAFKA_CONF"
}

# Readiness is a real round trip: create a topic, produce a record, consume it back.
probe() {
  node "$SUITE_ROOT/infra/local/kafka-probe.cjs" "$(url)" >>"$KAFKA_OUT" 2>&1
}

start() {
  fetch
  if is_running; then
    log "kafka: already running on port $(port)"
  else
    local p cp
    p=$(choose_port kafka "$SUITE_KAFKA_PORT")
    cp=$(choose_port kafka-controller "$SUITE_KAFKA_CONTROLLER_PORT")
    mkdir -p "$KAFKA_DIR"
    render_config "$p" "$cp"
    if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
      log "kafka: formatting storage in $KAFKA_DATA"
      local cluster_id
      cluster_id=$(java_ kafka.tools.StorageTool random-uuid 2>>"$KAFKA_OUT") || fail kafka "$KAFKA_OUT" "random-uuid"
      java_ kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_CONF" >>"$KAFKA_OUT" 2>&1 ||
        fail kafka "$KAFKA_OUT" "storage format"
    fi
    log "kafka: starting broker $KAFKA_VERSION on 127.0.0.1:$p (controller $cp)"
    # setsid: the broker outlives the shell, the test run or the terminal that started it.
    setsid nohup java -Xms256m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -Dlog4j2.configurationFile="$SUITE_ROOT/infra/kafka/log4j2.properties" -Dkafka.log.file="$KAFKA_LOG" \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF" >>"$KAFKA_OUT" 2>&1 </dev/null 9>&- &
    echo $! >"$KAFKA_PID"
  fi
  wait_until 90 port_open "$(port)" || fail kafka "$KAFKA_LOG" "broker port $(port) not open within 90 s"
  local deadline=$((SECONDS + 90))
  until probe; do
    is_running || fail kafka "$KAFKA_LOG" "broker process exited during start-up (also see $KAFKA_OUT)"
    [ "$SECONDS" -lt "$deadline" ] || fail kafka "$KAFKA_OUT" "produce/consume round trip did not succeed within 90 s"
    sleep 1
  done
}

stop() {
  if is_running; then
    local pid
    pid=$(read_pid "$KAFKA_PID")
    log "kafka: stopping"
    kill "$pid" 2>/dev/null || true
    wait_until 60 bash -c "! kill -0 $pid 2>/dev/null" || { log "kafka: still alive after 60 s, killing"; kill -9 "$pid" 2>/dev/null || true; }
  fi
  rm -f "$KAFKA_PID"
}

status() {
  if is_running && port_open "$(port)"; then
    echo "running $(read_pid "$KAFKA_PID") $(url) $KAFKA_LOG"
    return 0
  fi
  echo "stopped - - $KAFKA_LOG"
  return 1
}

case "${1:-}" in
  start | stop | status | url | fetch) "$1" ;;
  *) echo "usage: $0 start|stop|status|url|fetch" >&2; exit 2 ;;
esac
