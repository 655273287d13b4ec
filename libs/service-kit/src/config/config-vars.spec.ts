import { z } from 'zod';
import {
  brokerList,
  durationMsVar,
  HTTP_PROTOCOLS,
  portVar,
  REDIS_PROTOCOLS,
  urlVar,
} from './config-vars';

function issues(schema: z.ZodTypeAny, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('portVar', () => {
  it('accepts 1..65535 and applies its default', () => {
    expect(portVar(3000).parse(undefined)).toBe(3000);
    expect(portVar().parse('65535')).toBe(65535);
  });

  it.each(['0', '65536', '80.5', 'http'])('rejects %s', (value) => {
    expect(issues(portVar(), value)).toHaveLength(1);
  });
});

describe('urlVar', () => {
  const redis = urlVar({ protocols: REDIS_PROTOCOLS });

  it('accepts a URL with an allowed scheme', () => {
    expect(redis.parse('rediss://cache.internal:6380/0')).toBe('rediss://cache.internal:6380/0');
  });

  it('rejects a URL with another scheme, naming the allowed ones', () => {
    expect(issues(redis, 'http://127.0.0.1:6379')).toEqual([
      'must be a redis or rediss URL, got scheme "http:"',
    ]);
  });

  it('rejects something that is not a URL', () => {
    expect(issues(redis, '127.0.0.1:6379')).toEqual(['must be a valid redis or rediss URL']);
    expect(issues(redis, 'not a url')).toEqual(['must be a valid redis or rediss URL']);
    // host:port without a scheme parses as scheme "localhost:", which is still refused.
    expect(issues(redis, 'localhost:6379')).toEqual([
      'must be a redis or rediss URL, got scheme "localhost:"',
    ]);
  });

  it('validates its default like any other value', () => {
    expect(
      urlVar({ protocols: HTTP_PROTOCOLS, default: 'http://127.0.0.1:3003' }).parse(undefined),
    ).toBe('http://127.0.0.1:3003');
    expect(
      issues(urlVar({ protocols: HTTP_PROTOCOLS, default: 'ftp://x' }), undefined),
    ).toHaveLength(1);
  });
});

describe('brokerList', () => {
  it('splits, trims and keeps every host:port', () => {
    expect(brokerList().parse(' 127.0.0.1:9092, kafka-1.internal:9093 ,[::1]:9094,')).toEqual([
      '127.0.0.1:9092',
      'kafka-1.internal:9093',
      '[::1]:9094',
    ]);
  });

  it('reports each entry that is not host:port', () => {
    expect(issues(brokerList(), '127.0.0.1:9092,kafka,host:99999,:9092')).toEqual([
      '"kafka" is not host:port',
      '"host:99999" is not host:port',
      '":9092" is not host:port',
    ]);
  });

  it('rejects a list with no brokers', () => {
    expect(issues(brokerList(), ' , ')).toEqual(['must list at least one host:port']);
  });
});

describe('durationMsVar', () => {
  it('parses whole milliseconds within bounds and applies its default', () => {
    expect(durationMsVar({ default: 5000 }).parse(undefined)).toBe(5000);
    expect(durationMsVar({ min: 1 }).parse('250')).toBe(250);
  });

  it('rejects fractions, values below min and non-numbers', () => {
    expect(issues(durationMsVar(), '1.5')).toHaveLength(1);
    expect(issues(durationMsVar({ min: 1 }), '0')).toEqual([
      'Number must be greater than or equal to 1',
    ]);
    expect(issues(durationMsVar(), 'soon')).toEqual(['Expected number, received nan']);
  });
});
