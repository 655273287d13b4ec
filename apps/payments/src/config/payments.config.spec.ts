import { generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { paymentsConfigSchema } from './payments.config';

const load = (env: Record<string, string>) => loadConfig(paymentsConfigSchema, env, 'payments');
const valid = {
  DATABASE_URL: 'postgres://payments@127.0.0.1:5432/payments',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_PUBLIC_KEY: generateEs256KeyPair().publicKeyPem,
};

describe('payments config', () => {
  it('calls the local PSP simulator with a 3 s timeout by default', () => {
    expect(load(valid)).toMatchObject({
      PORT: 3002,
      PSP_URL: 'http://127.0.0.1:3003',
      PSP_TIMEOUT_MS: 3000,
    });
  });

  it('refuses to start without its database', () => {
    const { KAFKA_BROKERS, JWT_PUBLIC_KEY } = valid;
    expect(() => load({ KAFKA_BROKERS, JWT_PUBLIC_KEY })).toThrow(
      'payments config is invalid:\n  DATABASE_URL: Required',
    );
  });

  it('rejects a PSP_URL that is not http(s)', () => {
    expect(() => load({ ...valid, PSP_URL: 'psp-simulator:3003' })).toThrow(
      'PSP_URL: must be a http or https URL',
    );
  });

  it('rejects a PSP timeout that is not a positive whole number of ms', () => {
    expect(() => load({ ...valid, PSP_TIMEOUT_MS: '-1' })).toThrow(
      'PSP_TIMEOUT_MS: Number must be greater than or equal to 1',
    );
    expect(() => load({ ...valid, PSP_TIMEOUT_MS: '2.5' })).toThrow(
      'PSP_TIMEOUT_MS: Expected integer, received float',
    );
  });
});

describe('payments config, consumer failover', () => {
  it('runs its saga consumers with a 10 s session by default and refuses one under 1 s', () => {
    expect(load(valid).KAFKA_SESSION_TIMEOUT_MS).toBe(10_000);
    expect(() => load({ ...valid, KAFKA_SESSION_TIMEOUT_MS: '500' })).toThrow(
      'KAFKA_SESSION_TIMEOUT_MS: Number must be greater than or equal to 1000',
    );
  });
});

describe('payments config, caller tokens', () => {
  it("refuses to start without the token issuer's public key", () => {
    const { DATABASE_URL, KAFKA_BROKERS } = valid;
    expect(() => load({ DATABASE_URL, KAFKA_BROKERS })).toThrow(
      'payments config is invalid:\n  JWT_PUBLIC_KEY: Required',
    );
  });

  it('takes the key on one line with \\n escapes, and the suite issuer and audience', () => {
    const oneLine = valid.JWT_PUBLIC_KEY.trim().replace(/\n/g, '\\n');
    expect(load({ ...valid, JWT_PUBLIC_KEY: oneLine })).toMatchObject({
      JWT_PUBLIC_KEY: valid.JWT_PUBLIC_KEY.trim(),
      JWT_ISSUER: 'suite',
      JWT_AUDIENCE: 'suite',
    });
  });

  it('refuses a private key where the public key belongs', () => {
    expect(() => load({ ...valid, JWT_PUBLIC_KEY: generateEs256KeyPair().privateKeyPem })).toThrow(
      'JWT_PUBLIC_KEY: must be a PEM starting with -----BEGIN PUBLIC KEY-----',
    );
  });
});

describe('payments config, resilience and workers', () => {
  it('retries the PSP 3 times under one key and runs every worker by default', () => {
    expect(load(valid)).toMatchObject({
      PSP_MAX_ATTEMPTS: 3,
      PSP_CLIENT: 'keyed',
      IDEMPOTENCY_LOCK_TIMEOUT_MS: 30_000,
      RECONCILE_INTERVAL_MS: 30_000,
      OUTBOX_RELAY: 'on',
      SAGA_PARTICIPANT: 'on',
      PAYMENTS_COMMANDS_TOPIC: 'payments.commands',
      PAYMENTS_EVENTS_TOPIC: 'payments.events',
    });
  });

  it('accepts only the two PSP client variants', () => {
    expect(load({ ...valid, PSP_CLIENT: 'naive' }).PSP_CLIENT).toBe('naive');
    expect(() => load({ ...valid, PSP_CLIENT: 'fast' })).toThrow('PSP_CLIENT');
  });
});

describe('payments config, outbox relay', () => {
  it('wakes the relay on commit by default and polls every 100 ms as the safety net', () => {
    expect(load(valid)).toMatchObject({ OUTBOX_WAKEUPS: 'on', OUTBOX_IDLE_DELAY_MS: 100 });
  });

  it('can turn wake-ups off and refuses an idle delay of 0', () => {
    expect(load({ ...valid, OUTBOX_WAKEUPS: 'off' }).OUTBOX_WAKEUPS).toBe('off');
    expect(() => load({ ...valid, OUTBOX_WAKEUPS: 'yes' })).toThrow('OUTBOX_WAKEUPS');
    expect(() => load({ ...valid, OUTBOX_IDLE_DELAY_MS: '0' })).toThrow('OUTBOX_IDLE_DELAY_MS');
  });
});

describe('payments config, late-charge sweep', () => {
  it('asks again about a failed payment for 15 min, first after 30 s, gaps up to 5 min', () => {
    expect(load(valid)).toMatchObject({
      LATE_CHARGE_CHECK_MS: 30_000,
      LATE_CHARGE_CHECK_MAX_MS: 300_000,
      LATE_CHARGE_HORIZON_MS: 900_000,
    });
  });

  it('refuses checks that do not fit inside the horizon, naming the variables', () => {
    expect(() =>
      load({ ...valid, LATE_CHARGE_CHECK_MS: '60000', LATE_CHARGE_CHECK_MAX_MS: '30000' }),
    ).toThrow('LATE_CHARGE_CHECK_MAX_MS: 30000 ms is shorter than LATE_CHARGE_CHECK_MS (60000 ms)');
    expect(() => load({ ...valid, LATE_CHARGE_HORIZON_MS: '200000' })).toThrow(
      'LATE_CHARGE_HORIZON_MS: 200000 ms is shorter than LATE_CHARGE_CHECK_MAX_MS (300000 ms)',
    );
  });

  it('refuses a horizon shorter than one PSP charge call', () => {
    // 4 x 3 s timeouts plus 300 ms of backoff at the defaults.
    expect(() =>
      load({
        ...valid,
        LATE_CHARGE_CHECK_MS: '1000',
        LATE_CHARGE_CHECK_MAX_MS: '1000',
        LATE_CHARGE_HORIZON_MS: '10000',
      }),
    ).toThrow('LATE_CHARGE_HORIZON_MS: 10000 ms is shorter than one PSP charge call (12300 ms');
  });
});
