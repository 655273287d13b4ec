import { ConfigError, loadConfig } from '@suite/service-kit';
import { crawlerConfigSchema } from './crawler.config';

describe('crawler config', () => {
  const base = {
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/crawler',
    REDIS_URL: 'redis://127.0.0.1:6379',
    JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----',
  };

  it('defaults-to-the-fenced-crawler-on-its-port-beside-the-web-simulator', () => {
    const config = loadConfig(crawlerConfigSchema, base, 'crawler');
    expect(config).toMatchObject({
      PORT: 3008,
      WEB_SIMULATOR_PORT: 3007,
      CRAWLER_MODE: 'fenced',
      CRAWLER_PARTITIONS: 32,
      CRAWLER_LEASE_MS: 3_000,
      CRAWLER_HEARTBEAT_MS: 1_000,
    });
  });

  it('refuses-a-heartbeat-that-could-not-renew-a-claim-in-time', () => {
    expect(() =>
      loadConfig(
        crawlerConfigSchema,
        { ...base, CRAWLER_LEASE_MS: '1000', CRAWLER_HEARTBEAT_MS: '900' },
        'crawler',
      ),
    ).toThrow(ConfigError);
    expect(() =>
      loadConfig(crawlerConfigSchema, { ...base, CRAWLER_MODE: 'fast' }, 'crawler'),
    ).toThrow(/CRAWLER_MODE/);
  });
});
