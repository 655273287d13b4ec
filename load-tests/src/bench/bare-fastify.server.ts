// The framework floor for the HTTP benchmarks: plain Fastify with its defaults (no logger,
// no hooks), answering GET /health and POST /check with a constant JSON body. POST bodies
// are parsed by Fastify's own JSON parser, as a real handler's would be. Runs in its own
// process, like the services it is compared with; argv: <json body>. Reports its port over
// IPC.
import Fastify from 'fastify';

async function main(): Promise<void> {
  const [text] = process.argv.slice(2);
  if (!text) throw new Error('usage: bare-fastify.server.ts <json body>');
  const body = JSON.parse(text) as unknown;
  const app = Fastify();
  app.get('/health', async () => body);
  app.post('/check', async () => body);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  process.send?.({ port: address.port });
  process.on('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
