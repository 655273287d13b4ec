# HAProxy from Debian's package: the load balancer of the cluster profile
# (docker-compose.cluster.yml), configured by docker/infra/haproxy.cfg.
ARG BASE_IMAGE=debian:trixie-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends haproxy \
 && rm -rf /var/lib/apt/lists/*
COPY docker/infra/haproxy.cfg /etc/haproxy/haproxy.cfg
USER haproxy
HEALTHCHECK --interval=2s --timeout=3s --retries=30 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8404"]
CMD ["haproxy", "-W", "-db", "-f", "/etc/haproxy/haproxy.cfg"]
