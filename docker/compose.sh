#!/usr/bin/env bash
# The compose stack on the project's own Docker engine (infra/docker/engine.sh).
# Usage: docker/compose.sh env|build|up|down|ps|logs [compose args...]
#   env    writes .env once: an ES256 key pair for tokens and the Postgres password. The
#          gateway keeps development tokens off (it listens beyond loopback in a container);
#          the demo signs its buyers' tokens with the private key from .env instead
#   build  builds every image (the engine, compose plugin and base image are installed first)
#   up     builds, starts everything and waits until every service is healthy
#   down   stops and removes the containers and their volumes
#   restart <service...>  stops each gracefully (SIGTERM, as `docker stop`), starts it again
#          and waits until it is healthy
# Behind a proxy that re-signs TLS, put its CA certificate in docker/build-ca/ (or set
# SUITE_BUILD_CA=<file>); CAs the host added to /usr/local/share/ca-certificates are taken
# by default. Builds trust them in their dependency stages only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

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
    docker compose up --build --detach --wait --wait-timeout 300 "$@"
    ;;
  down)
    shift
    eval "$(bash infra/docker/engine.sh env)"
    docker compose down --volumes --remove-orphans "$@"
    ;;
  restart)
    shift
    eval "$(bash infra/docker/engine.sh env)"
    docker compose restart "$@"
    docker compose up --no-build --no-deps --detach --wait --wait-timeout 120 "$@"
    ;;
  ps | logs | config)
    cmd="$1"
    shift
    eval "$(bash infra/docker/engine.sh env)"
    docker compose "$cmd" "$@"
    ;;
  *)
    echo "usage: $0 env|build|up|down|restart|ps|logs|config [compose args...]" >&2
    exit 2
    ;;
esac
