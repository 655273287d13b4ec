import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DescriptorPolicy } from '@suite/contracts';

// A policy file on disk, as an operator would write one, for RATE_LIMIT_POLICY_FILE.
export class TestPolicyFile {
  private readonly directory = mkdtempSync(join(tmpdir(), 'gateway-policies-'));
  readonly path = join(this.directory, 'policies.json');

  constructor(domain: string, policies: DescriptorPolicy[]) {
    writeFileSync(this.path, JSON.stringify({ version: 'test', domains: [{ domain, policies }] }));
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}

export const slidingLog = (
  name: string,
  match: Record<string, string>,
  limit: number,
  failure: 'open' | 'closed' = 'open',
): DescriptorPolicy => ({
  name,
  match,
  algorithm: 'sliding-log',
  limit,
  windowMs: 60_000,
  failure,
});
