export { DEFAULT_PORTS, SERVICE_NAMES, isServiceName } from './services';
export type { ServiceName } from './services';
export { TOPICS, TOPIC_KINDS } from './topics';
export type { TopicKind, TopicName } from './topics';
