import { loadConfig } from '@suite/coordination-nest';
import { pspSimulatorConfigSchema } from './psp-simulator.config';

const load = (env: Record<string, string>) =>
  loadConfig(pspSimulatorConfigSchema, env, 'psp-simulator');

describe('psp-simulator config', () => {
  it('starts with no environment, with faults switched off', () => {
    expect(load({})).toEqual({
      PORT: 3003,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      PSP_LATENCY_MS: 0,
      PSP_ERROR_RATE: 0,
    });
  });

  it('accepts an error rate anywhere from 0 to 1', () => {
    expect(load({ PSP_ERROR_RATE: '1' }).PSP_ERROR_RATE).toBe(1);
    expect(load({ PSP_ERROR_RATE: '0.25', PSP_LATENCY_MS: '150' })).toMatchObject({
      PSP_ERROR_RATE: 0.25,
      PSP_LATENCY_MS: 150,
    });
  });

  it('rejects an error rate outside 0..1', () => {
    expect(() => load({ PSP_ERROR_RATE: '2' })).toThrow(
      'psp-simulator config is invalid:\n  PSP_ERROR_RATE: Number must be less than or equal to 1',
    );
    expect(() => load({ PSP_ERROR_RATE: '-0.1' })).toThrow(
      'PSP_ERROR_RATE: Number must be greater than or equal to 0',
    );
  });

  it('rejects a latency that is negative or not a number', () => {
    expect(() => load({ PSP_LATENCY_MS: '-5' })).toThrow(
      'PSP_LATENCY_MS: Number must be greater than or equal to 0',
    );
    expect(() => load({ PSP_LATENCY_MS: 'slow' })).toThrow(
      'PSP_LATENCY_MS: Expected number, received nan',
    );
  });
});
