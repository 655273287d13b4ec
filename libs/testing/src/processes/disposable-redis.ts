import type { ChildProcess } from 'node:child_process';
import { freePort } from './free-port';
import { killRedisServer, launchRedisServer } from './redis-server';

/**
 * A private redis-server process for tests that restart or kill Redis on purpose, so that
 * other test files sharing the stack's Redis are not disturbed. Like the stack's Redis it
 * keeps nothing on disk: a restart loses every key.
 */
export class DisposableRedis {
  private process: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<DisposableRedis> {
    const redis = new DisposableRedis(await freePort());
    await redis.boot();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Stops the process (keys are lost) and starts a new one on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    await this.boot();
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    await killRedisServer(child);
  }

  private async boot(): Promise<void> {
    this.process = await launchRedisServer({ port: this.port });
  }
}
