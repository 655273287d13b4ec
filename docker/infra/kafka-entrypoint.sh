#!/bin/sh
# Writes this node's properties from the environment and formats its storage on first start.
#   KAFKA_NODE_ID       this node's id (1, 2, 3)
#   KAFKA_VOTERS        the controller quorum, e.g. "1@kafka-1:9093,2@kafka-2:9093" (default: itself)
#   KAFKA_HOST          the name clients and peers reach it by (default: the container's hostname)
#   KAFKA_CLUSTER_ID    shared by every node of one cluster
#   KAFKA_EXTERNAL      host:port that clients outside the compose network use (optional), served
#                       by a third listener on container port 9094
#   KAFKA_REPLICATION   replicas of internal and new topics; KAFKA_MIN_ISR their min in-sync replicas
set -eu
host=${KAFKA_HOST:-$(hostname)}
voters=${KAFKA_VOTERS:-"$KAFKA_NODE_ID@$host:9093"}
cluster=${KAFKA_CLUSTER_ID:-KWEHB7EyTruBb8fAc86aHA}
conf=/kafka/data/server.properties
listeners="PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093"
advertised="PLAINTEXT://$host:9092"
protocols="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
if [ -n "${KAFKA_EXTERNAL:-}" ]; then
  listeners="$listeners,EXTERNAL://0.0.0.0:9094"
  advertised="$advertised,EXTERNAL://$KAFKA_EXTERNAL"
  protocols="$protocols,EXTERNAL:PLAINTEXT"
fi
cat >"$conf" <<PROPS
process.roles=broker,controller
node.id=$KAFKA_NODE_ID
controller.quorum.voters=$voters
controller.listener.names=CONTROLLER
listeners=$listeners
advertised.listeners=$advertised
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=$protocols
log.dirs=/kafka/data/log
offsets.topic.replication.factor=$KAFKA_REPLICATION
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$KAFKA_REPLICATION
transaction.state.log.min.isr=$KAFKA_MIN_ISR
transaction.state.log.num.partitions=10
default.replication.factor=$KAFKA_REPLICATION
min.insync.replicas=$KAFKA_MIN_ISR
share.coordinator.state.topic.replication.factor=$KAFKA_REPLICATION
share.coordinator.state.topic.min.isr=$KAFKA_MIN_ISR
auto.create.topics.enable=false
num.partitions=3
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
transaction.max.timeout.ms=900000
log.retention.hours=24
log.segment.bytes=67108864
num.network.threads=2
num.io.threads=4
PROPS
# A KRaft cluster id is 16 bytes in URL-safe base64; every node of one cluster shares it.
JAVA_OPTS="-Xms256m -Xmx${KAFKA_HEAP:-512m} -Dlog4j2.configurationFile=/kafka/log4j2.properties -Dkafka.log.file=/kafka/data/kafka.log"
if [ ! -f /kafka/data/log/meta.properties ]; then
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp '/kafka/libs/*' kafka.tools.StorageTool format -t "$cluster" -c "$conf"
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS -cp '/kafka/libs/*' kafka.Kafka "$conf"
