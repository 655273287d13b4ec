import { once } from 'node:events';
import { createServer, type Server } from 'node:net';

/**
 * Ports that were free on 127.0.0.1 a moment ago, for a process a test is about to start.
 * All listeners are held open until every port is chosen, so one call never returns the
 * same port twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(
      servers.map(async (server) => {
        if (!server.listening) return;
        server.close();
        await once(server, 'close');
      }),
    );
  }
}

/** One port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}
