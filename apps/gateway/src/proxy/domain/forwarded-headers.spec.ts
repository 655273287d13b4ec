import { clientResponseHeaders, upstreamRequestHeaders } from './forwarded-headers';

const context = {
  identity: { userId: 'buyer-1', scopes: ['tickets:buy', 'orders:read'] },
  propagation: {
    'x-request-id': 'req-1',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  },
  clientIp: '10.0.0.7',
  host: 'api.example.test',
  protocol: 'https',
};

describe('forwarded headers', () => {
  it('passes Authorization and Idempotency-Key through unchanged and adds the verified identity', () => {
    const headers = upstreamRequestHeaders(
      {
        authorization: 'Bearer abc.def.ghi',
        'idempotency-key': 'key-12345678',
        accept: 'application/json',
        'content-type': 'application/json',
      },
      context,
    );
    expect(headers).toMatchObject({
      authorization: 'Bearer abc.def.ghi',
      'idempotency-key': 'key-12345678',
      accept: 'application/json',
      'x-user-id': 'buyer-1',
      'x-user-scopes': 'tickets:buy orders:read',
      'x-request-id': 'req-1',
      traceparent: context.propagation.traceparent,
      'x-forwarded-for': '10.0.0.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'api.example.test',
    });
  });

  it('drops identity headers a client made up', () => {
    const headers = upstreamRequestHeaders(
      { 'x-user-id': 'admin', 'x-user-scopes': 'everything', 'x-request-id': 'mine' },
      context,
    );
    expect(headers['x-user-id']).toBe('buyer-1');
    expect(headers['x-user-scopes']).toBe('tickets:buy orders:read');
    expect(headers['x-request-id']).toBe('req-1');
  });

  it('sends no identity for an anonymous caller, and still drops one a client made up', () => {
    const headers = upstreamRequestHeaders(
      { 'x-user-id': 'admin', 'x-user-scopes': 'everything' },
      { ...context, identity: undefined },
    );
    expect(headers).not.toHaveProperty('x-user-id');
    expect(headers).not.toHaveProperty('x-user-scopes');
    expect(headers['x-request-id']).toBe('req-1');
  });

  it('strips hop-by-hop headers, those named in Connection, the host and the API key', () => {
    const headers = upstreamRequestHeaders(
      {
        connection: 'keep-alive, x-secret-hop',
        'keep-alive': 'timeout=5',
        'x-secret-hop': '1',
        te: 'trailers',
        upgrade: 'websocket',
        'proxy-authorization': 'Basic x',
        'transfer-encoding': 'chunked',
        host: 'api.example.test',
        'content-length': '12',
        'x-api-key': 'partner-secret',
        expect: '100-continue',
      },
      context,
    );
    for (const name of [
      'connection',
      'keep-alive',
      'x-secret-hop',
      'te',
      'upgrade',
      'proxy-authorization',
      'transfer-encoding',
      'host',
      'content-length',
      'x-api-key',
      'expect',
    ]) {
      expect(headers).not.toHaveProperty(name);
    }
  });

  it('appends the client to an existing X-Forwarded-For chain', () => {
    const headers = upstreamRequestHeaders({ 'x-forwarded-for': '203.0.113.9' }, context);
    expect(headers['x-forwarded-for']).toBe('203.0.113.9, 10.0.0.7');
  });

  it("keeps the upstream's end-to-end response headers and drops hop-by-hop and server ones", () => {
    expect(
      clientResponseHeaders({
        'content-type': 'application/json',
        location: '/orders/1',
        'retry-after': '1',
        'idempotent-replayed': 'true',
        connection: 'keep-alive',
        'keep-alive': 'timeout=72',
        'transfer-encoding': 'chunked',
        'content-length': '10',
        'x-powered-by': 'Express',
        server: 'internal/1.2',
        'x-request-id': 'req-1',
      }),
    ).toEqual({
      'content-type': 'application/json',
      location: '/orders/1',
      'retry-after': '1',
      'idempotent-replayed': 'true',
    });
  });
});
