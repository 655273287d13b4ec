import { generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { consumerFailoverBoundMs, consumerGroupTiming, stepBudgetMs } from '@suite/coordination';
import { checkoutStepPolicies } from '../checkout/domain/checkout.saga';
import { FAILOVER_MARGIN, ticketingConfigSchema } from './ticketing.config';

const load = (env: Record<string, string>) => loadConfig(ticketingConfigSchema, env, 'ticketing');
const valid = {
  DATABASE_URL: 'postgresql://ticketing@127.0.0.1:5432/ticketing',
  REDIS_URL: 'redis://127.0.0.1:6379/1',
  KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9093',
  JWT_PUBLIC_KEY: generateEs256KeyPair().publicKeyPem,
};

describe('ticketing config', () => {
  it('parses its database, Redis and broker list', () => {
    expect(load(valid)).toMatchObject({
      PORT: 3001,
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
    });
  });

  it('refuses to start without its database, Redis, brokers and token key, naming each', () => {
    expect(() => load({})).toThrow(
      'ticketing config is invalid:\n  DATABASE_URL: Required\n  REDIS_URL: Required\n  KAFKA_BROKERS: Required\n  JWT_PUBLIC_KEY: Required',
    );
  });

  it('rejects a DATABASE_URL that is not Postgres', () => {
    expect(() => load({ ...valid, DATABASE_URL: 'mysql://ticketing@127.0.0.1/ticketing' })).toThrow(
      'DATABASE_URL: must be a postgres or postgresql URL',
    );
  });

  it('rejects a broker without a port', () => {
    expect(() => load({ ...valid, KAFKA_BROKERS: '127.0.0.1:9092,kafka-2' })).toThrow(
      'KAFKA_BROKERS: "kafka-2" is not host:port',
    );
  });

  it('verifies tokens of the suite issuer and audience with a key given on one line', () => {
    const oneLine = valid.JWT_PUBLIC_KEY.trim().replace(/\n/g, '\\n');
    const config = load({ ...valid, JWT_PUBLIC_KEY: oneLine });
    expect(config.JWT_PUBLIC_KEY).toBe(valid.JWT_PUBLIC_KEY.trim());
    expect(config).toMatchObject({ JWT_ISSUER: 'suite', JWT_AUDIENCE: 'suite' });
  });

  it('refuses a private key where the public key belongs', () => {
    expect(() => load({ ...valid, JWT_PUBLIC_KEY: generateEs256KeyPair().privateKeyPem })).toThrow(
      'JWT_PUBLIC_KEY: must be a PEM starting with -----BEGIN PUBLIC KEY-----',
    );
  });

  it('wakes the outbox relay on commit by default, polling every 100 ms as the safety net', () => {
    expect(load(valid)).toMatchObject({ OUTBOX_WAKEUPS: 'on', OUTBOX_IDLE_DELAY_MS: 100 });
    expect(load({ ...valid, OUTBOX_WAKEUPS: 'off' }).OUTBOX_WAKEUPS).toBe('off');
    expect(() => load({ ...valid, OUTBOX_WAKEUPS: 'yes' })).toThrow('OUTBOX_WAKEUPS');
  });

  it('holds-are-fenced-unless-the-naive-benchmark-variant-is-asked-for', () => {
    expect(load(valid).HOLD_MECHANISM).toBe('fenced');
    expect(load({ ...valid, NODE_ENV: 'production' }).HOLD_MECHANISM).toBe('fenced');
    expect(load({ ...valid, HOLD_MECHANISM: 'naive' }).HOLD_MECHANISM).toBe('naive');
    expect(() => load({ ...valid, HOLD_MECHANISM: 'redlock' })).toThrow('HOLD_MECHANISM');
  });

  it('refuses-the-naive-hold-mechanism-in-a-production-image', () => {
    expect(() => load({ ...valid, HOLD_MECHANISM: 'naive', NODE_ENV: 'production' })).toThrow(
      'HOLD_MECHANISM: naive is for the holds benchmark only and is refused with NODE_ENV=production',
    );
  });

  it('no-checkout-step-gives-up-before-its-participant-can-fail-over-by-default', () => {
    const config = load(valid);
    const policies = checkoutStepPolicies({
      stepTimeoutMs: config.STEP_TIMEOUT_MS,
      stepMaxAttempts: config.STEP_MAX_ATTEMPTS,
      paymentTimeoutMs: config.PAYMENT_TIMEOUT_MS,
      paymentMaxAttempts: config.PAYMENT_MAX_ATTEMPTS,
    });
    const needed = (session: number) =>
      consumerFailoverBoundMs(consumerGroupTiming(session)) * FAILOVER_MARGIN;
    expect(stepBudgetMs(policies.ticketing)).toBe(47_100);
    expect(stepBudgetMs(policies.ticketing)).toBeGreaterThan(
      needed(config.KAFKA_SESSION_TIMEOUT_MS),
    );
    expect(stepBudgetMs(policies.payment)).toBe(76_500);
    expect(stepBudgetMs(policies.payment)).toBeGreaterThan(
      needed(config.PAYMENTS_SESSION_TIMEOUT_MS),
    );
  });

  it('refuses-step-budgets-shorter-than-the-participants-failover-naming-the-variables', () => {
    // 5 attempts of 5 s (about 26 s) against kafkajs' default 30 s session.
    expect(() =>
      load({ ...valid, STEP_MAX_ATTEMPTS: '5', KAFKA_SESSION_TIMEOUT_MS: '30000' }),
    ).toThrow(
      "STEP_TIMEOUT_MS, STEP_MAX_ATTEMPTS: a ticketing step gives up after 26500 ms of silence, less than 1.5 x the 60000 ms its participant's consumer group may take to fail over with KAFKA_SESSION_TIMEOUT_MS=30000; raise STEP_TIMEOUT_MS or STEP_MAX_ATTEMPTS, or lower KAFKA_SESSION_TIMEOUT_MS",
    );
    expect(() => load({ ...valid, PAYMENTS_SESSION_TIMEOUT_MS: '30000' })).toThrow(
      /PAYMENT_TIMEOUT_MS, PAYMENT_MAX_ATTEMPTS: the payment capture gives up after 76500 ms.*PAYMENTS_SESSION_TIMEOUT_MS=30000/,
    );
    // A longer session is fine once the budget outlasts it.
    expect(
      load({
        ...valid,
        KAFKA_SESSION_TIMEOUT_MS: '30000',
        STEP_TIMEOUT_MS: '10000',
        STEP_MAX_ATTEMPTS: '9',
      }).STEP_MAX_ATTEMPTS,
    ).toBe(9);
  });
});
