export {
  ENDPOINTS_FILE,
  EndpointsUnavailableError,
  START_STACK_COMMAND,
  findWorkspaceRoot,
  integrationEndpoints,
  parseEndpointsFile,
  requireToxiproxy,
  resolveEndpoints,
  type EndpointSource,
  type InfraEndpoints,
  type ResolveDeps,
} from './endpoints/endpoints';
export { FaultProxy } from './faults/fault-proxy';
export { uniqueName } from './isolation/names';
export { createTestDatabase, type TestDatabase } from './isolation/test-database';
export { createTestRedis, type TestRedis } from './isolation/test-redis';
export {
  consumeUntil,
  createTestTopic,
  testKafka,
  type ConsumeOptions,
} from './isolation/test-kafka';
export { DisposableKafka } from './processes/disposable-kafka';
export { DisposableRedis } from './processes/disposable-redis';
export {
  CLUSTER_SLOTS,
  DisposableRedisCluster,
  type DisposableRedisClusterOptions,
} from './processes/disposable-redis-cluster';
export { freePort, freePorts } from './processes/free-port';
export { forkTs, killAndWait, nextMessage } from './processes/fork-ts';
export {
  HistoryRecorder,
  checkLinearizable,
  ensureLincheck,
  type HistoryOperation,
  type LincheckVerdict,
} from './history/history';
export { ensureJwtKeys, type JwtKeys } from './stack/jwt-keys';
export { TestTokens, stackTokens } from './auth/test-tokens';
export {
  FAST_PROFILE,
  killService,
  restartService,
  running,
  isServiceReady,
  START_ORDER,
  startServices,
  statusLines,
  stopServices,
  type KillSignal,
  type Running,
  type ServicePorts,
} from './stack/services';
export {
  ensureInfraRunning,
  restartInfra,
  type InfraComponent,
  type InfraRestart,
} from './stack/infra';
