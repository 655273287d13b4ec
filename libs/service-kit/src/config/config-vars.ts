import { z } from 'zod';

// Reusable pieces of app config schemas. Every app schema extends baseServiceConfig
// and overrides PORT with its own default from DEFAULT_PORTS.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;

export type LogLevelName = (typeof LOG_LEVELS)[number];

const portSchema = z.coerce.number().int().min(1).max(65535);

export function portVar(defaultPort?: number): z.ZodType<number, z.ZodTypeDef, unknown> {
  return defaultPort === undefined ? portSchema : portSchema.default(defaultPort);
}

export const baseServiceConfig = z.object({
  PORT: portVar(),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  // After SIGTERM, how long the service keeps serving while it reports not ready, so a load
  // balancer takes it out of rotation before its listener closes. 0 (alone, nothing routes by
  // readiness) closes at once; behind a balancer, set it above the balancer's check interval.
  SHUTDOWN_DRAIN_MS: durationMsVar({ default: 0, max: 60_000 }),
});

export type BaseServiceConfig = z.infer<typeof baseServiceConfig>;

export interface UrlVarOptions {
  // Allowed schemes without the colon, e.g. ['postgres', 'postgresql'].
  protocols: readonly string[];
  default?: string;
}

export const HTTP_PROTOCOLS = ['http', 'https'] as const;
export const POSTGRES_PROTOCOLS = ['postgres', 'postgresql'] as const;
export const REDIS_PROTOCOLS = ['redis', 'rediss'] as const;

// A URL with one of the given schemes. The error never echoes the value, because
// connection URLs carry passwords.
export function urlVar(options: UrlVarOptions): z.ZodType<string, z.ZodTypeDef, unknown> {
  const allowed = options.protocols.join(' or ');
  const schema = z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a valid ${allowed} URL` });
      return;
    }
    if (!options.protocols.includes(url.protocol.replace(/:$/, ''))) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be a ${allowed} URL, got scheme "${url.protocol}"`,
      });
    }
  });
  return options.default === undefined ? schema : schema.default(options.default);
}

// "host:port" with a bracketed IPv6 literal allowed; hostnames are not resolved here.
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

// Comma-separated broker list, e.g. KAFKA_BROKERS=127.0.0.1:9092,127.0.0.1:9093.
export function brokerList(): z.ZodType<string[], z.ZodTypeDef, unknown> {
  return z.string().transform((raw, ctx) => {
    const brokers = raw
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
    if (brokers.length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must list at least one host:port' });
      return z.NEVER;
    }
    for (const broker of brokers) {
      const port = Number(HOST_PORT.exec(broker)?.[1] ?? Number.NaN);
      if (!(port >= 1 && port <= 65535)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${broker}" is not host:port` });
      }
    }
    return brokers;
  });
}

export interface DurationMsVarOptions {
  default?: number;
  min?: number;
  max?: number;
}

// A whole number of milliseconds, e.g. a timeout or an injected latency.
export function durationMsVar(
  options: DurationMsVarOptions = {},
): z.ZodType<number, z.ZodTypeDef, unknown> {
  const schema = z.coerce
    .number()
    .int()
    .min(options.min ?? 0)
    .max(options.max ?? 600_000);
  return options.default === undefined ? schema : schema.default(options.default);
}

// A PEM key in one environment variable; "\n" escapes stand for line breaks, so it fits on
// one line of an env file.
export function pemVar(kind: 'PUBLIC KEY' | 'PRIVATE KEY') {
  return z
    .string()
    .transform((value) => value.replace(/\\n/g, '\n').trim())
    .refine((value) => value.startsWith(`-----BEGIN ${kind}-----`), {
      message: `must be a PEM starting with -----BEGIN ${kind}-----`,
    });
}
