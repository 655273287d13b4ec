# Toxiproxy, built from its Go module as natively (infra/local/toxiproxy.sh).
ARG BASE_IMAGE=debian:trixie-slim
FROM ${BASE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends golang-go ca-certificates git \
 && rm -rf /var/lib/apt/lists/*
COPY docker/build-ca/ /usr/local/share/ca-certificates/build-ca/
RUN update-ca-certificates >/dev/null
RUN GOBIN=/out CGO_ENABLED=0 go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0

FROM ${BASE_IMAGE}
COPY --from=build /out/server /usr/local/bin/toxiproxy-server
USER nobody
EXPOSE 8474
CMD ["toxiproxy-server", "-host", "0.0.0.0", "-port", "8474"]
