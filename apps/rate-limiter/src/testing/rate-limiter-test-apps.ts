import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RateLimitPolicyFile } from '@suite/contracts';
import { initServiceApp, loadConfig } from '@suite/service-kit';
import { TestTokens } from '@suite/testing';
import { AppModule } from '../app.module';
import { rateLimiterConfigSchema, type RateLimiterConfig } from '../config/rate-limiter.config';

/**
 * Rate-limiter apps booted in-process as main.ts builds them, reading one policy file in a
 * folder of their own. The caller names the Redis (REDIS_URL, REDIS_KEY_PREFIX and, for a
 * cluster, REDIS_CLUSTER_NODES) and any other variable; the file is not watched unless
 * POLICY_RELOAD_INTERVAL_MS says so. close() closes every app and deletes the folder.
 */
export class RateLimiterTestApps {
  readonly tokens = new TestTokens();
  readonly policyFile: string;
  private readonly dir = mkdtempSync(join(tmpdir(), 'rate-limiter-test-'));
  private readonly apps: NestFastifyApplication[] = [];

  constructor(private readonly env: Record<string, string>) {
    this.policyFile = join(this.dir, 'policies.json');
  }

  /** Writes the policy file: a policy file object, or raw text (to test a broken one). */
  writePolicies(file: RateLimitPolicyFile | string): void {
    writeFileSync(this.policyFile, typeof file === 'string' ? file : JSON.stringify(file));
  }

  /** The config a boot with these extra variables would run with. */
  config(env: Record<string, string> = {}): RateLimiterConfig {
    return loadConfig(
      rateLimiterConfigSchema,
      {
        LOG_LEVEL: 'fatal',
        POLICY_FILE: this.policyFile,
        POLICY_RELOAD_INTERVAL_MS: '0',
        JWT_PUBLIC_KEY: this.tokens.publicKeyPem,
        ...this.env,
        ...env,
      },
      'rate-limiter',
    );
  }

  async boot(env: Record<string, string> = {}): Promise<NestFastifyApplication> {
    const app = await initServiceApp(AppModule.register(this.config(env)), { logLevel: 'fatal' });
    this.apps.push(app);
    return app;
  }

  async close(): Promise<void> {
    for (const app of this.apps.splice(0)) await app.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
