import { generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { pspSimulatorConfigSchema } from './psp-simulator.config';

const load = (env: Record<string, string>) =>
  loadConfig(pspSimulatorConfigSchema, env, 'psp-simulator');
const { publicKeyPem } = generateEs256KeyPair();
const valid = {
  DATABASE_URL: 'postgres://psp@127.0.0.1:5432/psp_simulator',
  JWT_PUBLIC_KEY: publicKeyPem,
};

describe('psp-simulator config', () => {
  it('starts with only its database and the token key, with faults switched off', () => {
    expect(load(valid)).toEqual({
      ...valid,
      JWT_PUBLIC_KEY: publicKeyPem.trim(),
      JWT_ISSUER: 'suite',
      JWT_AUDIENCE: 'suite',
      PSP_CALLBACK_ORIGINS: ['http://127.0.0.1:3002'],
      PORT: 3003,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_MS: 0,
      PSP_LATENCY_MS: 0,
      PSP_ERROR_RATE: 0,
      PSP_DECLINE_RATE: 0,
      PSP_TIMEOUT_AFTER_CHARGE_RATE: 0,
      PSP_HANG_MS: 10_000,
      PSP_DUPLICATE_CALLBACKS: false,
      PSP_SEED: 1,
    });
  });

  it('refuses to start without its database', () => {
    expect(() => load({ JWT_PUBLIC_KEY: publicKeyPem })).toThrow(
      'psp-simulator config is invalid:\n  DATABASE_URL: Required',
    );
  });

  it('accepts rates anywhere from 0 to 1', () => {
    expect(load({ ...valid, PSP_ERROR_RATE: '1' }).PSP_ERROR_RATE).toBe(1);
    expect(
      load({ ...valid, PSP_DECLINE_RATE: '0.25', PSP_TIMEOUT_AFTER_CHARGE_RATE: '0.5' }),
    ).toMatchObject({ PSP_DECLINE_RATE: 0.25, PSP_TIMEOUT_AFTER_CHARGE_RATE: 0.5 });
  });

  it('rejects a rate outside 0..1', () => {
    expect(() => load({ ...valid, PSP_ERROR_RATE: '2' })).toThrow(
      'PSP_ERROR_RATE: Number must be less than or equal to 1',
    );
    expect(() => load({ ...valid, PSP_DECLINE_RATE: '-0.1' })).toThrow(
      'PSP_DECLINE_RATE: Number must be greater than or equal to 0',
    );
  });

  it('rejects a latency that is negative or not a number', () => {
    expect(() => load({ ...valid, PSP_LATENCY_MS: '-5' })).toThrow(
      'PSP_LATENCY_MS: Number must be greater than or equal to 0',
    );
    expect(() => load({ ...valid, PSP_LATENCY_MS: 'slow' })).toThrow(
      'PSP_LATENCY_MS: Expected number, received nan',
    );
  });

  it('reads duplicate callbacks as a boolean', () => {
    expect(load({ ...valid, PSP_DUPLICATE_CALLBACKS: 'true' }).PSP_DUPLICATE_CALLBACKS).toBe(true);
    expect(() => load({ ...valid, PSP_DUPLICATE_CALLBACKS: 'yes' })).toThrow(
      'PSP_DUPLICATE_CALLBACKS',
    );
  });

  it('reads callback origins as bare origins, normalised; "none" allows none', () => {
    expect(
      load({ ...valid, PSP_CALLBACK_ORIGINS: 'HTTP://Payments.Local:80, https://127.0.0.1:8443' })
        .PSP_CALLBACK_ORIGINS,
    ).toEqual(['http://payments.local', 'https://127.0.0.1:8443']);
    expect(load({ ...valid, PSP_CALLBACK_ORIGINS: 'none' }).PSP_CALLBACK_ORIGINS).toEqual([]);
  });

  it('refuses a callback origin with a path, another scheme or no scheme', () => {
    for (const entry of ['http://127.0.0.1:3002/hooks', 'ftp://127.0.0.1', '127.0.0.1:3002']) {
      expect(() => load({ ...valid, PSP_CALLBACK_ORIGINS: entry })).toThrow(
        `PSP_CALLBACK_ORIGINS: "${entry}" is not an http(s) origin (scheme://host[:port], no path)`,
      );
    }
  });
});
