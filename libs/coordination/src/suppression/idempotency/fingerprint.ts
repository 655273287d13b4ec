import { createHash } from 'node:crypto';

// JSON with object keys sorted at every depth, so two bodies that differ only in key
// order (or in whitespace) serialise to the same text. Follows JSON.stringify for
// everything else: toJSON is honoured, undefined properties are dropped, undefined in
// an array becomes null. Values JSON cannot carry are refused rather than guessed at.
export function canonicalJson(value: unknown): string {
  const text = encode(value, '$');
  if (text === undefined) throw new TypeError('canonicalJson: $ is not representable in JSON');
  return text;
}

function encode(value: unknown, path: string): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // NaN and Infinity would silently become null: two different bodies, one fingerprint.
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${path} is not a finite number`);
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError(`canonicalJson: ${path} is a bigint`);
    case 'object':
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => encode(item, `${path}[${i}]`) ?? 'null').join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  // Code-unit order, independent of locale, so every process sorts the same way.
  for (const key of Object.keys(record).sort()) {
    const encoded = encode(record[key], `${path}.${key}`);
    if (encoded !== undefined) members.push(`${JSON.stringify(key)}:${encoded}`);
  }
  return `{${members.join(',')}}`;
}

export interface RequestShape {
  method: string;
  // The route the key was used on, without query string or host, e.g. /payments.
  path: string;
  body: unknown;
}

// What "the same request" means for a reused key: same method, same path, same body up
// to key order. The method and path are inside the hash, so one key sent to two
// endpoints is a mismatch, as with card-payment APIs.
export function requestFingerprint(request: RequestShape): string {
  return createHash('sha256')
    .update(request.method.toUpperCase())
    .update(' ')
    .update(request.path)
    .update('\n')
    .update(canonicalJson(request.body ?? null))
    .digest('hex');
}
