#!/usr/bin/env bash
# The project's own Docker engine, for the compose stack and the testcontainers path. Installs
# what is missing (Debian's docker.io, the compose v2 CLI plugin built from its Go module, the
# debian:trixie-slim base image made with debootstrap when no registry can serve it), then runs
# dockerd as a process of this checkout, with its data, socket and pid file under .local/docker.
# Nothing here touches a system-wide Docker service. Idempotent, like infra/local.
#
# Usage: engine.sh install|compose-plugin|start|stop|status|env
#   compose-plugin builds only the compose CLI plugin (needs Go, not the engine)
#   env prints the DOCKER_HOST and DOCKER_CONFIG lines that point a docker client at it:
#   eval "$(bash infra/docker/engine.sh env)"
source "$(dirname "${BASH_SOURCE[0]}")/../local/lib.sh"

COMPOSE_VERSION="v2.40.3"
COMPOSE_MODULE="github.com/docker/compose/v2"
BASE_IMAGE="debian:trixie-slim"

DOCKER_STATE="$SUITE_STATE_DIR/docker"
DOCKER_SOCKET="$DOCKER_STATE/run/docker.sock"
DOCKER_PIDFILE="$DOCKER_STATE/run/dockerd.pid"
DOCKERD_LOG="$SUITE_LOG_DIR/dockerd.log"
# The client's config folder holds the compose plugin, so `docker compose` finds it.
export DOCKER_CONFIG="$DOCKER_STATE/config"
export DOCKER_HOST="unix://$DOCKER_SOCKET"
COMPOSE_BIN="$SUITE_CACHE_DIR/bin/docker-compose-$COMPOSE_VERSION"
ROOTFS_TAR="$SUITE_CACHE_DIR/debian-trixie-minbase.tar"

install_engine() {
  # docker.io brings dockerd, containerd, runc and a client; iptables for the bridge network.
  command -v dockerd >/dev/null 2>&1 || apt_install docker.io iptables
  command -v docker >/dev/null 2>&1 || apt_install docker.io
}

# Compose v2 is not packaged for Debian 12. `go install` of the module is refused (its go.mod
# has exclude directives), so the module is downloaded and ./cmd built inside its own folder.
# Under a lock: the test command starts this build early, in the background, and a later
# `start` waits for it rather than building a second time.
install_compose() {
  mkdir -p "$DOCKER_CONFIG/cli-plugins" "$SUITE_CACHE_DIR"
  exec 8>"$SUITE_CACHE_DIR/compose-build.lock"
  flock 8
  if [ ! -x "$COMPOSE_BIN" ]; then
    require_tool go compose "install Go (apt-get install golang)"
    log "compose: building $COMPOSE_VERSION from its Go module (about 3 min, cached in $SUITE_CACHE_DIR/bin)"
    local gopath="$SUITE_CACHE_DIR/go" buildlog="$SUITE_LOG_DIR/compose-build.log" dir
    dir=$(cd "$SUITE_CACHE_DIR" && GOPATH="$gopath" GOFLAGS=-modcacherw GO111MODULE=on \
      go mod download -json "$COMPOSE_MODULE@$COMPOSE_VERSION" 2>"$buildlog" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -n "$dir" ] || fail compose "$buildlog" "go mod download $COMPOSE_MODULE@$COMPOSE_VERSION"
    mkdir -p "$(dirname "$COMPOSE_BIN")"
    (cd "$dir" && GOPATH="$gopath" GOCACHE="$SUITE_CACHE_DIR/go-build" GOFLAGS=-modcacherw CGO_ENABLED=0 \
      go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" \
      -o "$COMPOSE_BIN.tmp" ./cmd) >>"$buildlog" 2>&1 || fail compose "$buildlog" "go build ./cmd"
    mv "$COMPOSE_BIN.tmp" "$COMPOSE_BIN"
  fi
  ln -sf "$COMPOSE_BIN" "$DOCKER_CONFIG/cli-plugins/docker-compose"
  flock -u 8
  exec 8>&-
}

# With a registry, `docker pull debian:trixie-slim` gives the same tag; without one, a minimal
# trixie made by debootstrap from Debian's archive is imported under that name.
install_base_image() {
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
  if docker pull "$BASE_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  if [ ! -s "$ROOTFS_TAR" ]; then
    command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
    log "base image: no registry answers; making $BASE_IMAGE with debootstrap (about 30 s)"
    local rootfs="$SUITE_CACHE_DIR/debian-trixie-rootfs"
    as_root rm -rf "$rootfs"
    as_root debootstrap --variant=minbase trixie "$rootfs" >"$SUITE_LOG_DIR/debootstrap.log" 2>&1 ||
      fail base-image "$SUITE_LOG_DIR/debootstrap.log" "debootstrap trixie"
    # The slim image carries no apt lists, like the published one.
    as_root rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
    as_root tar -C "$rootfs" -cf "$ROOTFS_TAR.tmp" .
    mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    as_root rm -rf "$rootfs"
  fi
  docker import "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null || fail base-image "" "docker import of $ROOTFS_TAR"
}

answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

is_running() {
  local pid
  pid=$(read_pid "$DOCKER_PIDFILE")
  pid_alive "$pid" && grep -q dockerd "/proc/$pid/cmdline" 2>/dev/null
}

start() {
  install_engine
  install_compose
  if ! (is_running && answers); then
    mkdir -p "$DOCKER_STATE/run" "$DOCKER_STATE/data" "$DOCKER_STATE/exec"
    rm -f "$DOCKER_SOCKET"
    log "docker: starting dockerd (socket $DOCKER_SOCKET)"
    # Its own data root, exec root, socket and pid file: it shares nothing with a system
    # dockerd except the default bridge, so only one engine runs per machine.
    setsid nohup "$(command -v dockerd)" \
      --data-root "$DOCKER_STATE/data" \
      --exec-root "$DOCKER_STATE/exec" \
      --pidfile "$DOCKER_PIDFILE" \
      --host "$DOCKER_HOST" \
      --storage-driver overlay2 \
      >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
    wait_until 60 answers || fail docker "$DOCKERD_LOG" "dockerd did not answer within 60 s"
  fi
  install_base_image
  log "docker: engine $(docker version --format '{{.Server.Version}}'), compose $(docker compose version --short)"
}

stop() {
  if is_running; then
    local pid
    pid=$(read_pid "$DOCKER_PIDFILE")
    log "docker: stopping dockerd"
    kill "$pid" 2>/dev/null || true
    wait_until 60 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$DOCKER_PIDFILE"
}

status() {
  if is_running && answers; then
    echo "docker: running (engine $(docker version --format '{{.Server.Version}}'), socket $DOCKER_SOCKET)"
  else
    echo "docker: stopped"
    return 1
  fi
}

case "${1:-}" in
  install)
    install_engine
    install_compose
    ;;
  compose-plugin) install_compose ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env)
    echo "export DOCKER_HOST='$DOCKER_HOST'"
    echo "export DOCKER_CONFIG='$DOCKER_CONFIG'"
    ;;
  *)
    echo "usage: $0 install|compose-plugin|start|stop|status|env" >&2
    exit 2
    ;;
esac
