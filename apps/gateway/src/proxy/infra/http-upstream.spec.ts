import { answerJson, StubUpstream } from '../../testing/stub-upstream';
import { HttpUpstream } from './http-upstream';
import {
  UpstreamResponseTooLargeError,
  UpstreamTimeoutError,
  UpstreamUnreachableError,
} from './upstream.errors';

// The upstream client against a real HTTP server on loopback: each typed outcome the proxy
// turns into a 502, 503 or 504 comes from here.
describe('HttpUpstream', () => {
  const stub = new StubUpstream();
  let baseUrl: string;
  let client: HttpUpstream;

  beforeAll(async () => {
    baseUrl = await stub.start();
  });

  beforeEach(() => {
    stub.reset();
    client = new HttpUpstream({ name: 'things', baseUrl, timeoutMs: 300, maxResponseBytes: 1024 });
  });

  afterEach(() => client.close());

  afterAll(async () => {
    await stub.stop();
  });

  it('sends the method, path, headers and body, and reads the whole answer', async () => {
    stub.handler = answerJson(201, { made: true });
    const response = await client.send({
      method: 'POST',
      path: '/things?x=1',
      headers: { 'content-type': 'application/json', 'x-user-id': 'u1' },
      body: Buffer.from('{"a":1}'),
    });
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body.toString('utf8'))).toEqual({ made: true });
    expect(response.headers['content-type']).toBe('application/json');
    expect(stub.requests[0]).toMatchObject({
      method: 'POST',
      url: '/things?x=1',
      body: '{"a":1}',
      headers: { 'x-user-id': 'u1', 'content-length': '7' },
    });
  });

  it('gives-up-with-a-timeout-error-when-the-answer-is-late', async () => {
    stub.handler = (request, response) =>
      setTimeout(() => answerJson(200, {})(request, response), 1_000);
    const started = Date.now();
    await expect(client.send({ method: 'GET', path: '/slow', headers: {} })).rejects.toThrow(
      UpstreamTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('refuses-an-answer-larger-than-the-bound', async () => {
    stub.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('x'.repeat(4096));
    };
    await expect(client.send({ method: 'GET', path: '/big', headers: {} })).rejects.toThrow(
      UpstreamResponseTooLargeError,
    );
  });

  it('resends-a-get-whose-connection-was-cut-once-and-never-a-post', async () => {
    stub.handler = (_request, response) => response.socket?.destroy();
    await expect(client.send({ method: 'GET', path: '/cut', headers: {} })).rejects.toThrow(
      UpstreamUnreachableError,
    );
    expect(stub.requests).toHaveLength(2);
    stub.reset();
    stub.handler = (_request, response) => response.socket?.destroy();
    await expect(
      client.send({ method: 'POST', path: '/cut', headers: {}, body: Buffer.from('{}') }),
    ).rejects.toThrow(UpstreamUnreachableError);
    expect(stub.requests).toHaveLength(1);
  });

  it('says-unreachable-with-the-socket-code-when-nothing-listens', async () => {
    const nowhere = new HttpUpstream({
      name: 'gone',
      baseUrl: 'http://127.0.0.1:1',
      timeoutMs: 300,
    });
    try {
      const error = await nowhere.send({ method: 'GET', path: '/', headers: {} }).catch((e) => e);
      expect(error).toBeInstanceOf(UpstreamUnreachableError);
      expect(error).toMatchObject({ socketCode: 'ECONNREFUSED', beforeResponse: true });
    } finally {
      nowhere.close();
    }
  });
});
