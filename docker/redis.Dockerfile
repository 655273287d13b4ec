# Redis from Debian's package with no persistence, as natively: a restart loses every key,
# which is the fault the holds and limiters are built to survive.
ARG BASE_IMAGE=debian:trixie-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/*
USER redis
EXPOSE 6379
HEALTHCHECK --interval=2s --timeout=3s --retries=30 CMD ["redis-cli", "ping"]
# REDIS_ARGS adds options, e.g. the cluster profile's "--cluster-enabled yes".
CMD ["sh", "-c", "exec redis-server --bind 0.0.0.0 --protected-mode no --save '' --appendonly no $REDIS_ARGS"]
