import { ValidateBy, type ValidationOptions } from 'class-validator';

// A job's payload: a flat JSON object, sent as given with every fire. Flat on purpose: every
// rule the service enforces on it can be written in its OpenAPI schema, so a client (and the
// fuzz stage) knows exactly what is accepted.
export const PAYLOAD_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const MAX_PAYLOAD_ENTRIES = 32;
export const MAX_PAYLOAD_STRING = 256;
// eslint-disable-next-line no-control-regex -- the characters the chassis refuses
const CONTROL = /[\u0000-\u001F\u007F]/;

export type Payload = Record<string, string | number | boolean | null>;

export function isPayload(value: unknown): value is Payload {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_PAYLOAD_ENTRIES) return false;
  return entries.every(
    ([key, v]) =>
      PAYLOAD_KEY_PATTERN.test(key) &&
      (v === null ||
        typeof v === 'boolean' ||
        (typeof v === 'number' && Number.isFinite(v)) ||
        (typeof v === 'string' && v.length <= MAX_PAYLOAD_STRING && !CONTROL.test(v))),
  );
}

export function IsPayload(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPayload',
      validator: {
        validate: (value: unknown) => isPayload(value),
        defaultMessage: () =>
          `$property must be an object of at most ${MAX_PAYLOAD_ENTRIES} entries, keys of 1-64 A-Z a-z 0-9 _ . - starting with a letter, values strings (at most ${MAX_PAYLOAD_STRING} characters), numbers, booleans or null`,
      },
    },
    options,
  );
}

// The same rules as JSON Schema (OpenAPI 3.1), for the request documents.
export const PAYLOAD_JSON_SCHEMA = {
  type: 'object',
  maxProperties: MAX_PAYLOAD_ENTRIES,
  propertyNames: { pattern: PAYLOAD_KEY_PATTERN.source },
  additionalProperties: {
    anyOf: [
      { type: 'string', maxLength: MAX_PAYLOAD_STRING, pattern: '^[^\\u0000-\\u001F\\u007F]*$' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'null' },
    ],
  },
} as const;
