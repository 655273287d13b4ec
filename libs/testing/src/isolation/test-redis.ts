import Redis, { type RedisOptions } from 'ioredis';
import { integrationEndpoints } from '../endpoints/endpoints';
import { uniqueName } from './names';

export interface TestRedis {
  /** Every key this test file writes starts with it. */
  prefix: string;
  /** A client whose commands (scripts' KEYS included) are prefixed. */
  client: Redis;
  /** Another client with the same prefix, e.g. for a second contender. */
  connect(options?: RedisOptions): Redis;
  /** Deletes this file's keys and closes every client it handed out. */
  cleanup(): Promise<void>;
}

export function createTestRedis(label: string): TestRedis {
  const prefix = `${uniqueName(label)}:`;
  const { redisUrl } = integrationEndpoints();
  const clients: Redis[] = [];
  const connect = (options: RedisOptions = {}) => {
    const client = new Redis(redisUrl, { keyPrefix: prefix, ...options });
    clients.push(client);
    return client;
  };
  const client = connect();
  return {
    prefix,
    client,
    connect,
    async cleanup() {
      const raw = new Redis(redisUrl);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          if (keys.length) await raw.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        raw.disconnect();
        clients.forEach((c) => c.disconnect());
      }
    },
  };
}
