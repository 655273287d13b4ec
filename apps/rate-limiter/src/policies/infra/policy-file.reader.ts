import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseRateLimitPolicyFile, type RateLimitPolicyFile } from '@suite/contracts';

export type PolicyFileRead =
  | { ok: true; file: RateLimitPolicyFile; hash: string }
  | { ok: false; hash: string | undefined; issues: string[] };

// Reads and validates the file; never throws, so a bad edit during a reload is reported,
// not fatal. `hash` (sha256 of the bytes, first 16 hex digits) identifies the content.
export async function readPolicyFile(path: string): Promise<PolicyFileRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, hash: undefined, issues: [`cannot read ${path}: ${reason}`] };
  }
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, hash, issues: [`not valid JSON: ${reason}`] };
  }
  const parsed = parseRateLimitPolicyFile(json);
  return parsed.ok
    ? { ok: true, file: parsed.file, hash }
    : { ok: false, hash, issues: parsed.issues };
}
