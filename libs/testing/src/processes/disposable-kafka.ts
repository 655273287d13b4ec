import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot } from '../endpoints/endpoints';
import { freePorts } from './free-port';

const root = findWorkspaceRoot(__dirname);

// A test broker lives for seconds and carries a few hundred records: the JVM's first-tier
// compiler alone brings it to its port in 3.6 to 5.2 s instead of 11.2 to 11.5 s (measured
// on this 2-core machine, load average 7), and the storage tool runs 0.6 to 1.1 s faster.
const QUICK_START_JVM = ['-XX:TieredStopAtLevel=1'];

// A cluster id as Kafka's StorageTool random-uuid prints it (16 random bytes, URL-safe
// base64 without padding; never one that starts with a dash or is all zeros), without the
// second of JVM start-up that asking the tool costs.
function randomClusterId(): string {
  for (;;) {
    const bytes = randomBytes(16);
    const id = bytes.toString('base64url');
    // Kafka reserves the ids 0 and 1 (the metadata topic's).
    const reserved = bytes.subarray(0, 15).every((b) => b === 0) && (bytes[15] ?? 0) <= 1;
    if (!id.startsWith('-') && !reserved) return id;
  }
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(false)));
    socket.connect(port, '127.0.0.1');
  });
}

function kafkaLibs(): string {
  const pom = readFileSync(join(root, 'infra/kafka/pom.xml'), 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
  const libs = join(root, `.local/cache/kafka-${version}/libs`);
  if (!existsSync(join(libs, '.complete'))) {
    throw new Error(
      `Kafka jars are missing in ${libs}; run \`npm run infra:up\` once to fetch them`,
    );
  }
  return libs;
}

/**
 * A private single-node Kafka broker (the same jars as the stack's), for tests that kill or
 * restart the broker on purpose without disturbing other test files. Its data folder lives
 * across restarts, like a real broker's disk, and is deleted by stop().
 */
export class DisposableKafka {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly libs: string,
  ) {}

  static async start(): Promise<DisposableKafka> {
    const libs = kafkaLibs();
    const dir = mkdtempSync(join(tmpdir(), 'suite-kafka-'));
    const [port, controllerPort] = (await freePorts(2)) as [number, number];
    const template = readFileSync(join(root, 'infra/kafka/server.properties'), 'utf8');
    const config = join(dir, 'server.properties');
    writeFileSync(
      config,
      template
        .replaceAll('@PORT@', String(port))
        .replaceAll('@CONTROLLER_PORT@', String(controllerPort))
        .replaceAll('@DATA_DIR@', join(dir, 'data')),
    );
    const broker = new DisposableKafka(port, dir, libs);
    broker.java(['kafka.tools.StorageTool', 'format', '-t', randomClusterId(), '-c', config]);
    await broker.boot();
    return broker;
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Kills the broker with `signal` (SIGKILL: a crash) and starts it again on the same data. */
  async restart(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.kill(signal);
    await this.boot();
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const closed = once(child, 'close');
    child.kill(signal);
    await closed;
  }

  async boot(): Promise<void> {
    const log = join(this.dir, 'kafka.log');
    const child = spawn(
      'java',
      [
        '-Xms128m',
        '-Xmx512m',
        ...QUICK_START_JVM,
        `-Dlog4j2.configurationFile=${join(root, 'infra/kafka/log4j2.properties')}`,
        `-Dkafka.log.file=${log}`,
        '-cp',
        `${this.libs}/*`,
        'kafka.Kafka',
        join(this.dir, 'server.properties'),
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    const deadline = Date.now() + 60_000;
    while (!(await portOpen(this.port))) {
      if (child.exitCode !== null) throw new Error(`disposable Kafka exited at start; read ${log}`);
      if (Date.now() > deadline)
        throw new Error(`disposable Kafka not listening within 60 s; read ${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    await this.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private java(args: string[]): string {
    return execFileSync('java', [...QUICK_START_JVM, '-cp', `${this.libs}/*`, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
}
