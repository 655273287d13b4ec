import { join } from 'node:path';
import Redis from 'ioredis';
import { DisposableRedis, forkTs, killAndWait, nextMessage } from '../index';

describe('process helpers', () => {
  it('runs a TypeScript worker with workspace aliases and talks to it over IPC', async () => {
    const child = forkTs(join(__dirname, 'fixtures/echo-worker.ts'));
    try {
      expect(await nextMessage<{ ready: string }>(child)).toEqual({ ready: 'aliases' });
      child.send({ echo: 42 });
      expect(await nextMessage<{ echo: number }>(child, (m) => 'echo' in m)).toEqual({ echo: 42 });
    } finally {
      await killAndWait(child);
    }
  });

  it('restarts a private Redis, which loses every key', async () => {
    const server = await DisposableRedis.start();
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    try {
      await client.set('k', 'v');
      await server.restart();
      expect(await client.get('k')).toBeNull();
    } finally {
      client.disconnect();
      await server.stop();
    }
  });
});
