// Every deployable service in the suite. Health responses, config errors and topic
// names all spell a service the same way, so this tuple is the one source of truth.
export const SERVICE_NAMES = [
  'gateway',
  'ticketing',
  'payments',
  'psp-simulator',
  'auction',
  'rate-limiter',
  'scheduler',
  'web-simulator',
  'crawler',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

// Local development ports. Each app's config schema defaults PORT from here, and the
// gateway defaults its upstream URLs from here, so both sides agree without extra env.
export const DEFAULT_PORTS = {
  gateway: 3000,
  ticketing: 3001,
  payments: 3002,
  'psp-simulator': 3003,
  auction: 3004,
  'rate-limiter': 3005,
  scheduler: 3006,
  'web-simulator': 3007,
  crawler: 3008,
} as const satisfies Record<ServiceName, number>;

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
