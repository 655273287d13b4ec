#!/usr/bin/env bash
# The compose stack on the project's own Docker engine (infra/docker/engine.sh).
# Usage: docker/compose.sh [--profile single|cluster] env|build|up|down|restart|ps|logs|config [args...]
#   --profile cluster  layers docker-compose.cluster.yml on docker-compose.yml: 3 Kafka brokers,
#          a 3-primary Redis Cluster, service replicas behind HAProxy. The profile of the last
#          `up` is remembered (.local/compose-profile), so ps, logs, restart and down follow it.
#   env    writes .env once: an ES256 key pair for tokens and the Postgres password. The
#          gateway keeps development tokens off (it listens beyond loopback in a container);
#          the demo signs its buyers' tokens with the private key from .env instead
#   build  builds every image (the engine, compose plugin and base image are installed first)
#   up     builds, starts everything and waits until every service is healthy
#   down   stops and removes the containers and their volumes
#   restart <service...>  stops replica 1 of each gracefully (SIGTERM, as `docker stop`), starts
#          it again and waits until it is healthy (at most 120 s); on the single stack replica 1
#          is the whole service
# Behind a proxy that re-signs TLS, put its CA certificate in docker/build-ca/ (or set
# SUITE_BUILD_CA=<file>); CAs the host added to /usr/local/share/ca-certificates are taken
# by default. Builds trust them in their dependency stages only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROFILE_FILE=.local/compose-profile

profile=""
if [ "${1:-}" = --profile ]; then
  profile="${2:-}"
  shift 2
fi
case "$profile" in
  single | cluster) ;;
  "") profile=$(cat "$PROFILE_FILE" 2>/dev/null || echo single) ;;
  *)
    echo "--profile must be single or cluster, not \"$profile\"" >&2
    exit 2
    ;;
esac
export COMPOSE_FILE=docker-compose.yml
[ "$profile" = cluster ] && COMPOSE_FILE=docker-compose.yml:docker-compose.cluster.yml

remember_profile() {
  mkdir -p "$(dirname "$PROFILE_FILE")"
  echo "$profile" >"$PROFILE_FILE"
}

# Stops replica 1 of a service with SIGTERM (its stop_grace_period applies), starts it again
# and waits until its health check passes.
restart_replica() {
  local service="$1" name state deadline
  name=$(docker compose ps --format '{{.Name}}' "$service" | sort | head -n 1)
  [ -n "$name" ] || { echo "[compose] $service is not running" >&2; return 1; }
  docker stop --time 20 "$name" >/dev/null
  docker start "$name" >/dev/null
  deadline=$((SECONDS + 120))
  while :; do
    state=$(docker inspect --format '{{.State.Health.Status}}' "$name")
    [ "$state" = healthy ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "[compose] $name is $state 120 s after its start" >&2
      return 1
    fi
    sleep 1
  done
  echo "[compose] $name restarted and healthy"
}

engine() {
  bash infra/docker/engine.sh start
  eval "$(bash infra/docker/engine.sh env)"
}

write_env() {
  [ -f .env ] && return 0
  node - <<'NODE'
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const { writeFileSync } = require('node:fs');
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
// One line per PEM, "\n" escaped: the services' config reads it back.
const oneLine = (pem) => pem.trim().replace(/\n/g, '\\n');
const lines = [
  '# Written by docker/compose.sh env. Secrets of this machine\'s compose stack; not committed.',
  `JWT_PUBLIC_KEY="${oneLine(publicKey.export({ type: 'spki', format: 'pem' }))}"`,
  `DEV_TOKEN_PRIVATE_KEY="${oneLine(privateKey.export({ type: 'pkcs8', format: 'pem' }))}"`,
  `POSTGRES_PASSWORD=${randomBytes(18).toString('base64url')}`,
];
writeFileSync('.env', `${lines.join('\n')}\n`, { mode: 0o600 });
NODE
  echo "[compose] wrote .env (JWT key pair, Postgres password)"
}

build_ca() {
  if [ -n "${SUITE_BUILD_CA:-}" ]; then
    cp "$SUITE_BUILD_CA" docker/build-ca/extra.crt
  elif [ "${SUITE_BUILD_CA_FROM_HOST:-1}" = 1 ]; then
    # The CAs this host added to its own trust store (Debian keeps them here): a proxy that
    # re-signs TLS for the host does so for the builds too. SUITE_BUILD_CA_FROM_HOST=0 skips.
    local crt
    for crt in /usr/local/share/ca-certificates/*.crt; do
      [ -f "$crt" ] && cp "$crt" "docker/build-ca/host-$(basename "$crt")"
    done
  fi
  return 0
}

case "${1:-}" in
  env) write_env ;;
  build)
    shift
    engine
    write_env
    build_ca
    docker compose build "$@"
    ;;
  up)
    shift
    engine
    write_env
    build_ca
    remember_profile
    docker compose up --build --detach --wait --wait-timeout 300 "$@"
    ;;
  down)
    shift
    eval "$(bash infra/docker/engine.sh env)"
    docker compose down --volumes --remove-orphans "$@"
    rm -f "$PROFILE_FILE"
    ;;
  restart)
    shift
    eval "$(bash infra/docker/engine.sh env)"
    for service in "$@"; do restart_replica "$service"; done
    ;;
  ps | logs | config)
    cmd="$1"
    shift
    eval "$(bash infra/docker/engine.sh env)"
    docker compose "$cmd" "$@"
    ;;
  *)
    echo "usage: $0 [--profile single|cluster] env|build|up|down|restart|ps|logs|config [args...]" >&2
    exit 2
    ;;
esac
