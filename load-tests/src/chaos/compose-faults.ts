// The compose stack's faults, on one replica, through the project's Docker engine
// (infra/docker/engine.sh):
// - pause: `docker pause` freezes every process of the container (the cgroup freezer), so it
//   holds its holds and leases past their expiry and wakes up believing it still owns them;
// - isolate: `docker network disconnect` from every compose network, then `connect` again
//   with the same DNS aliases, so the gateway and its peers find it by name once more;
// - partition: the replica's packets to and from every node of one dependency are dropped
//   inside the container's own network namespace (iptables, entered with nsenter), for the
//   length of the window. On one compose network `docker network disconnect` would cut the
//   replica from everything at once; a drop rule cuts it from Redis, Kafka or Postgres alone
//   and keeps it in rotation, as a real one-sided partition would. Healing deletes the rules.
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findWorkspaceRoot } from '@suite/testing';
import {
  replicaName,
  type Fault,
  type InfraComponent,
  type Replica,
  type ScheduledFault,
} from './schedule';

const ROOT = findWorkspaceRoot(__dirname);
const PROJECT = 'coordination-suite';
const run = promisify(execFile);
const RULE_COMMENT = 'suite-chaos-partition';

// The compose services that make up each dependency, on either profile (the cluster profile
// adds nodes 2 and 3 of Redis and Kafka).
const NODES: Record<InfraComponent, readonly string[]> = {
  redis: ['redis', 'redis-2', 'redis-3'],
  kafka: ['kafka', 'kafka-2', 'kafka-3'],
  postgres: ['postgres'],
};

type ComposeFault = Extract<Fault, { replica: Replica }>;

// DOCKER_HOST and DOCKER_CONFIG of the project's engine, from `engine.sh env`.
export function engineEnv(): NodeJS.ProcessEnv {
  const text = execFileSync('bash', [join(ROOT, 'infra/docker/engine.sh'), 'env'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const match of text.matchAll(/^export (\w+)='([^']*)'$/gm)) env[match[1] ?? ''] = match[2];
  return env;
}

interface Attachment {
  network: string;
  aliases: string[];
}

export class ComposeFaults {
  private readonly env = engineEnv();
  // What each isolated container was attached to, to connect it back the same way.
  private readonly detached = new Map<string, Attachment[]>();

  private async docker(...args: string[]): Promise<string> {
    const { stdout } = await run('docker', args, { env: this.env, timeout: 60_000 });
    return stdout.trim();
  }

  // The running containers of one compose service, by replica number.
  private async containers(service: string): Promise<Map<number, string>> {
    const out = await this.docker(
      'ps',
      '--filter',
      `label=com.docker.compose.project=${PROJECT}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
      '--format',
      '{{.ID}} {{.Label "com.docker.compose.container-number"}}',
    );
    const found = new Map<number, string>();
    for (const line of out.split('\n').filter(Boolean)) {
      const [id = '', index = ''] = line.split(' ');
      found.set(Number(index), id);
    }
    return found;
  }

  async container(replica: Replica): Promise<string> {
    const running = await this.containers(replica.service);
    const id = running.get(replica.index);
    if (!id) {
      const have = [...running.keys()].sort().map((n) => `${replica.service}-${n}`);
      throw new Error(
        `no running container ${replicaName(replica)} on the compose stack (${have.length > 0 ? `running: ${have.join(', ')}` : `no ${replica.service} at all: is the stack up? bash docker/compose.sh up`})`,
      );
    }
    return id;
  }

  // Before the traffic: every replica the schedule names is running, and the tools a
  // partition needs are here. Answers the problems found, one line each.
  async check(schedule: readonly ScheduledFault[]): Promise<string[]> {
    const problems: string[] = [];
    for (const { name, fault } of schedule) {
      if (!('replica' in fault)) continue;
      try {
        await this.container(fault.replica);
        if (fault.kind === 'partition') await this.nodeAddresses(fault.from);
      } catch (error) {
        problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (schedule.some((f) => f.fault.kind === 'partition')) {
      for (const tool of ['nsenter', 'iptables']) {
        try {
          await run('sh', ['-c', `command -v ${tool}`]);
        } catch {
          problems.push(`a partition needs ${tool} on this machine (util-linux, iptables)`);
        }
      }
    }
    return problems;
  }

  // Every address of every node of a dependency, on every network it is attached to.
  private async nodeAddresses(component: InfraComponent): Promise<string[]> {
    const addresses: string[] = [];
    for (const service of NODES[component]) {
      for (const id of (await this.containers(service)).values()) {
        const out = await this.docker(
          'inspect',
          '--format',
          '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}',
          id,
        );
        addresses.push(...out.split(/\s+/).filter(Boolean));
      }
    }
    if (addresses.length === 0) throw new Error(`no ${component} container is running`);
    return addresses;
  }

  // iptables inside the container's network namespace (the engine runs as root).
  private async inNamespace(id: string, args: string[]): Promise<void> {
    const pid = await this.docker('inspect', '--format', '{{.State.Pid}}', id);
    await run('nsenter', ['--target', pid, '--net', 'iptables', '-w', '5', ...args], {
      timeout: 30_000,
    });
  }

  private rules(address: string): string[][] {
    const tag = ['-m', 'comment', '--comment', RULE_COMMENT, '-j', 'DROP'];
    return [
      ['OUTPUT', '-d', address, ...tag],
      ['INPUT', '-s', address, ...tag],
    ];
  }

  async inject(fault: ComposeFault): Promise<void> {
    const id = await this.container(fault.replica);
    switch (fault.kind) {
      case 'container-pause':
        await this.docker('pause', id);
        return;
      case 'isolate': {
        const attachments = await this.attachments(id);
        this.detached.set(id, attachments);
        for (const { network } of attachments)
          await this.docker('network', 'disconnect', network, id);
        return;
      }
      case 'partition':
        for (const address of await this.nodeAddresses(fault.from)) {
          for (const [chain, ...rule] of this.rules(address)) {
            await this.inNamespace(id, ['-I', chain ?? 'OUTPUT', ...rule]);
          }
        }
        return;
    }
  }

  async heal(fault: ComposeFault): Promise<void> {
    const id = await this.container(fault.replica);
    switch (fault.kind) {
      case 'container-pause': {
        const paused = await this.docker('inspect', '--format', '{{.State.Paused}}', id);
        if (paused === 'true') await this.docker('unpause', id);
        return;
      }
      case 'isolate': {
        const attached = new Set((await this.attachments(id)).map((a) => a.network));
        for (const { network, aliases } of this.detached.get(id) ?? []) {
          if (attached.has(network)) continue;
          await this.docker(
            'network',
            'connect',
            ...aliases.flatMap((alias) => ['--alias', alias]),
            network,
            id,
          );
        }
        this.detached.delete(id);
        return;
      }
      case 'partition':
        // Every rule this fault added, and no other: delete until none is left.
        for (const address of await this.nodeAddresses(fault.from)) {
          for (const [chain, ...rule] of this.rules(address)) {
            for (let i = 0; i < 10; i++) {
              try {
                await this.inNamespace(id, ['-D', chain ?? 'OUTPUT', ...rule]);
              } catch {
                break;
              }
            }
          }
        }
        return;
    }
  }

  // For a process that is exiting: unpause at once what a window left paused.
  unpauseNow(fault: ComposeFault): void {
    if (fault.kind !== 'container-pause') return;
    try {
      const id = execFileSync(
        'docker',
        [
          'ps',
          '-q',
          '--filter',
          `label=com.docker.compose.project=${PROJECT}`,
          '--filter',
          `label=com.docker.compose.service=${fault.replica.service}`,
          '--filter',
          `label=com.docker.compose.container-number=${fault.replica.index}`,
        ],
        { env: this.env, encoding: 'utf8' },
      ).trim();
      if (id) execFileSync('docker', ['unpause', id], { env: this.env, stdio: 'ignore' });
    } catch {
      // Not paused any more, or gone: nothing to do.
    }
  }

  // The compose networks a container is on, with the DNS names its peers use for it
  // (the service name and the container's own name; Docker adds the short id itself).
  private async attachments(id: string): Promise<Attachment[]> {
    const out = await this.docker('inspect', '--format', '{{json .NetworkSettings.Networks}}', id);
    const networks = JSON.parse(out) as Record<
      string,
      { Aliases?: string[] | null; DNSNames?: string[] | null }
    >;
    // Newer engines list the names under DNSNames as well; the short id comes back by itself.
    return Object.entries(networks).map(([network, { Aliases, DNSNames }]) => ({
      network,
      aliases: [...new Set([...(Aliases ?? []), ...(DNSNames ?? [])])].filter(
        (alias) => !id.startsWith(alias) && !alias.startsWith(id),
      ),
    }));
  }
}
