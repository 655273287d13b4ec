// Jest global setup for the integration tier: resolve the infrastructure once per run, check
// that every component answers, and export the endpoints to the test workers' environment.
import { findWorkspaceRoot, resolveEndpoints } from '../endpoints/endpoints';
import { preflight } from '../endpoints/preflight';
import { dockerAvailable, startContainers } from '../endpoints/testcontainers';

export default async function globalSetup(): Promise<void> {
  const endpoints = await resolveEndpoints({
    env: process.env,
    workspaceRoot: findWorkspaceRoot(__dirname),
    dockerAvailable,
    startContainers,
  });
  await preflight(endpoints);
  process.env['DATABASE_URL'] = endpoints.databaseUrl;
  process.env['REDIS_URL'] = endpoints.redisUrl;
  process.env['KAFKA_BROKERS'] = endpoints.kafkaBrokers.join(',');
  if (endpoints.toxiproxyUrl) process.env['TOXIPROXY_URL'] = endpoints.toxiproxyUrl;
  process.env['SUITE_ENDPOINT_SOURCE'] = endpoints.source;
}
