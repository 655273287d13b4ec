import { BadRequestException } from '@nestjs/common';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

// Input hardening every service gets from createServiceApp, before any guard, pipe or
// handler sees a request, so a field added later is covered without anyone remembering:
// - JSON bodies nested deeper than a bound are a 400: code that walks a body recursively
//   (re-serialising, validating, hashing) must never overflow the stack on client input;
// - no string anywhere in the path parameters, query, headers or JSON body (keys
//   included) may contain a control character. Postgres refuses NUL in text, and none
//   of the suite's fields has a use for the others.

// Deep enough for any body the suite accepts (the deepest is 3 levels).
export const DEFAULT_MAX_JSON_DEPTH = 32;

export interface InputGuardOptions {
  maxJsonDepth: number;
}

// U+0000-U+001F and U+007F.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/; // eslint-disable-line no-control-regex
// Header values may carry HTAB (RFC 9110); Node's parser already refuses every other one
// on a real socket, this covers injected requests too.
const HEADER_CONTROL_CHARACTER = /[\u0000-\u0008\u000a-\u001f\u007f]/; // eslint-disable-line no-control-regex

export function installInputGuards(adapter: FastifyAdapter, options: InputGuardOptions): void {
  // Nest registers its JSON and form parsers at init unless they already are; registering
  // them now lets the JSON one be replaced and keeps the rest as Nest has them.
  adapter.registerParserMiddleware();
  const fastify = adapter.getInstance();
  const { bodyLimit, onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(
    onProtoPoisoning ?? 'error',
    onConstructorPoisoning ?? 'error',
  );
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (request: FastifyRequest, body: string | Buffer, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (jsonDepthExceeds(text, options.maxJsonDepth)) {
        done(
          new BadRequestException(`JSON nesting deeper than ${options.maxJsonDepth}`),
          undefined,
        );
        return;
      }
      parseJson(request, text, done);
    },
  );
  // A callback hook, not an async one: no promise per request on the hot path.
  fastify.addHook('preValidation', (request: FastifyRequest, _reply, done) => {
    const where = firstControlCharacter(request);
    done(
      where === undefined
        ? undefined
        : new BadRequestException(`${where} must not contain control characters`),
    );
  });
}

// Counts brackets outside strings without parsing, so the check itself cannot recurse.
// Malformed JSON is left to the parser to report.
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c /* \ */) i++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

// Names where the first control character is ("path parameter id", "query parameter
// section", "header idempotency-key", "title", "seats.0.row"), never the value itself.
export function firstControlCharacter(request: FastifyRequest): string | undefined {
  return (
    inFlatRecord(request.params, 'path parameter', CONTROL_CHARACTER) ??
    inFlatRecord(request.query, 'query parameter', CONTROL_CHARACTER) ??
    inFlatRecord(request.headers, 'header', HEADER_CONTROL_CHARACTER) ??
    inValue(request.body)
  );
}

// Runs on every request: no arrays or closures are made for it.
function inFlatRecord(record: unknown, kind: string, pattern: RegExp): string | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  const entries = record as Record<string, unknown>;
  for (const name in entries) {
    if (!Object.hasOwn(entries, name)) continue;
    if (pattern.test(name)) return `a ${kind} name`;
    const value = entries[name];
    if (typeof value === 'string') {
      if (pattern.test(value)) return `${kind} ${name}`;
    } else if (Array.isArray(value)) {
      // Repeated query parameters and headers arrive as arrays of strings.
      for (const item of value) {
        if (typeof item === 'string' && pattern.test(item)) return `${kind} ${name}`;
      }
    }
  }
  return undefined;
}

// Walks a parsed body with an explicit stack: its depth is bounded by the parser, but a
// body can also come from another content-type parser.
export function inValue(root: unknown): string | undefined {
  const pending: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (CONTROL_CHARACTER.test(value)) return path === '' ? 'the body' : path;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const itemPath = path === '' ? key : `${path}.${key}`;
        if (CONTROL_CHARACTER.test(key)) {
          return path === '' ? 'a property name' : `a property name in ${path}`;
        }
        pending.push({ value: item, path: itemPath });
      }
    }
  }
  return undefined;
}
