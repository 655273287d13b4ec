# Apache Kafka in KRaft mode from the same Maven jars as the native stack (infra/kafka/pom.xml).
# One image for one node or a cluster: docker/infra/kafka-entrypoint.sh writes the node's
# properties from KAFKA_* variables and formats its storage on the first start.
ARG BASE_IMAGE=debian:trixie-slim
FROM ${BASE_IMAGE} AS jars
RUN apt-get update \
 && apt-get install -y --no-install-recommends maven openjdk-21-jdk-headless ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY docker/build-ca/ /usr/local/share/ca-certificates/build-ca/
RUN update-ca-certificates >/dev/null
COPY infra/kafka/pom.xml /kafka/pom.xml
RUN cd /kafka && mvn -B -q dependency:copy-dependencies -DoutputDirectory=/kafka/libs \
      -Dmaven.repo.local=/tmp/m2 && rm -rf /tmp/m2

FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-21-jre-headless \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10002 --home-dir /kafka --shell /usr/sbin/nologin kafka \
 && mkdir -p /kafka/data && chown kafka /kafka/data
COPY --from=jars /kafka/libs /kafka/libs
COPY infra/kafka/log4j2.properties /kafka/log4j2.properties
COPY docker/infra/kafka-entrypoint.sh /usr/local/bin/kafka-entrypoint
USER kafka
ENV KAFKA_NODE_ID=1 KAFKA_REPLICATION=1 KAFKA_MIN_ISR=1
EXPOSE 9092
HEALTHCHECK --interval=3s --timeout=5s --start-period=20s --retries=40 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9092"]
CMD ["kafka-entrypoint"]
