# One image for every service (coordination-suite/service:local): the build stage installs every
# dependency from the lockfile and bundles each app; the final stage has Node, the production
# dependencies and every app's bundle under /app/<app>, and runs as a non-root user. A container
# runs the app of its working directory: `docker run -w /app/scheduler ...`, or compose's
# `working_dir`. One image, not one per service: compose builds and exports it once, so a new
# service adds a bundle to it, not an image to the build (`bash docker/compose.sh build`).
ARG BASE_IMAGE=debian:trixie-slim

FROM ${BASE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Behind a proxy that re-signs TLS, its CA certificates go in docker/build-ca/ (see
# docker/compose.sh: SUITE_BUILD_CA). They are trusted in this stage only, never in the final image.
COPY docker/build-ca/ /usr/local/share/ca-certificates/build-ca/
RUN update-ca-certificates >/dev/null
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json .swcrc ./
COPY tools/build tools/build
COPY libs libs
COPY apps apps
RUN for app in gateway ticketing payments psp-simulator auction rate-limiter scheduler \
      web-simulator crawler; do \
      node tools/build/build-app.cjs "$app" || exit 1; \
    done
# Production dependencies only, for the final stage: the development ones pruned offline.
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin suite
WORKDIR /app
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist/apps .
# The examples of the two services that read a policy file; POLICY_FILE names one of them.
COPY apps/gateway/rate-limits.example.json apps/rate-limiter/policies.example.json config/
# Preloaded into the crawler (NODE_OPTIONS): its loopback port of the web simulator forwarded
# to the web simulator's container, and nowhere else.
COPY docker/infra/loopback-web.cjs /app/lib/loopback-web.cjs
USER suite
ENV NODE_ENV=production HOST=0.0.0.0
# Ready means every dependency answers. One HTTP/1.0 request from bash, not a second Node
# process: under load, starting Node took longer than the check's timeout and healthy
# replicas were marked unhealthy.
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=6 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-3000} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# node is PID 1 and receives SIGTERM from `docker stop`: the service reports not ready, serves
# for SHUTDOWN_DRAIN_MS, closes its listener once the requests in flight have answered, and
# its shutdown hooks drain the outbox relay and disconnect before the process exits.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "main.js"]
