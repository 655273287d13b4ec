# Postgres from Debian's package, as natively: one server, one database per stateful service
# (POSTGRES_DATABASES), created on the first start of an empty data folder.
ARG BASE_IMAGE=debian:trixie-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/lib/postgresql/*/bin /usr/local/pgbin \
 && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data
ENV PATH=/usr/local/pgbin:$PATH PGDATA=/var/lib/postgresql/data \
    POSTGRES_DATABASES="ticketing payments auction psp_simulator scheduler crawler"
COPY docker/infra/postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint
USER postgres
EXPOSE 5432
HEALTHCHECK --interval=2s --timeout=3s --retries=30 CMD ["pg_isready", "-h", "127.0.0.1", "-q"]
STOPSIGNAL SIGINT
CMD ["postgres-entrypoint"]
