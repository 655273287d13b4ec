import {
  EndpointsUnavailableError,
  parseEndpointsFile,
  resolveEndpoints,
  type InfraEndpoints,
  type ResolveDeps,
} from './endpoints';

const FILE = [
  '# written by infra up',
  'DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres',
  'REDIS_URL=redis://127.0.0.1:56379',
  'KAFKA_BROKERS=127.0.0.1:59092',
  'TOXIPROXY_URL=http://127.0.0.1:58474',
  '',
].join('\n');

const containers: InfraEndpoints = {
  source: 'testcontainers',
  databaseUrl: 'postgres://postgres@localhost:32768/postgres',
  redisUrl: 'redis://localhost:32769',
  kafkaBrokers: ['127.0.0.1:39092'],
};

function deps(overrides: Partial<ResolveDeps>): ResolveDeps & { started: () => number } {
  let starts = 0;
  return {
    env: {},
    workspaceRoot: '/repo',
    readFile: () => undefined,
    dockerAvailable: async () => false,
    startContainers: async () => {
      starts += 1;
      return containers;
    },
    started: () => starts,
    ...overrides,
  };
}

describe('endpoint resolution', () => {
  it('prefers the environment over the endpoints file and docker', async () => {
    const d = deps({
      env: {
        DATABASE_URL: 'postgres://env/db',
        REDIS_URL: 'redis://env',
        KAFKA_BROKERS: 'a:1, b:2',
      },
      readFile: () => FILE,
      dockerAvailable: async () => true,
    });
    await expect(resolveEndpoints(d)).resolves.toEqual({
      source: 'environment',
      databaseUrl: 'postgres://env/db',
      redisUrl: 'redis://env',
      kafkaBrokers: ['a:1', 'b:2'],
    });
    expect(d.started()).toBe(0);
  });

  it('reads the endpoints file when the environment is incomplete', async () => {
    const d = deps({
      env: { REDIS_URL: 'redis://only-this' },
      readFile: () => FILE,
      dockerAvailable: async () => true,
    });
    const endpoints = await resolveEndpoints(d);
    expect(endpoints).toMatchObject({
      source: 'endpoints-file',
      redisUrl: 'redis://127.0.0.1:56379',
      kafkaBrokers: ['127.0.0.1:59092'],
      toxiproxyUrl: 'http://127.0.0.1:58474',
    });
    expect(d.started()).toBe(0);
  });

  it('starts testcontainers only when there is no file and a docker engine answers', async () => {
    const d = deps({ dockerAvailable: async () => true });
    await expect(resolveEndpoints(d)).resolves.toBe(containers);
    expect(d.started()).toBe(1);
  });

  it('goes to testcontainers when SUITE_INFRA says so, even with an endpoints file', async () => {
    const d = deps({
      env: { SUITE_INFRA: 'testcontainers' },
      readFile: () => FILE,
      dockerAvailable: async () => true,
    });
    await expect(resolveEndpoints(d)).resolves.toBe(containers);
    expect(d.started()).toBe(1);
  });

  it('fails when SUITE_INFRA asks for testcontainers and no engine answers', async () => {
    const d = deps({ env: { SUITE_INFRA: 'testcontainers' }, readFile: () => FILE });
    await expect(resolveEndpoints(d)).rejects.toThrow(/no Docker engine answered/);
    expect(d.started()).toBe(0);
  });

  it('fails loudly, naming the start command, when nothing is available', async () => {
    const attempt = resolveEndpoints(deps({}));
    await expect(attempt).rejects.toBeInstanceOf(EndpointsUnavailableError);
    await expect(attempt).rejects.toThrow('npm run infra:up');
  });

  it('rejects an endpoints file that lacks a component', async () => {
    const partial = FILE.replace(/^KAFKA_BROKERS=.*$/m, '');
    await expect(resolveEndpoints(deps({ readFile: () => partial }))).rejects.toThrow(
      /lacks .*KAFKA_BROKERS/,
    );
  });
});

describe('endpoints file parsing', () => {
  it('ignores comments and blank lines and keeps values containing "="', () => {
    expect(parseEndpointsFile('# c\n\nA=b=c\n B = x \n')).toEqual({ A: 'b=c', B: 'x' });
  });

  it('names a malformed line', () => {
    expect(() => parseEndpointsFile('not a pair')).toThrow(
      'malformed line in endpoints file: "not a pair"',
    );
  });
});
