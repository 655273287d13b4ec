import { compareWithUpstreams, type OpenApiDocument, type Upstream } from './openapi-agreement';
import { gatewayUrl } from './support';

async function documentAt(url: string): Promise<OpenApiDocument> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as OpenApiDocument;
}

function serviceUrl(name: string): string {
  const value = process.env[`${name.toUpperCase().replace(/-/g, '_')}_URL`];
  if (!value) throw new Error(`${name}'s URL is not set: run the e2e tier, which starts it`);
  return value;
}

const gatewayOwnPaths = (path: string) => path.startsWith('/health') || path.startsWith('/dev/');

// The gateway declares the services' routes with classes of its own, so its document can
// drift from what the services answer. Read both from the running stack and compare them.
describe("the gateway's OpenAPI document agrees with each service's", () => {
  let gateway: OpenApiDocument;
  let upstreams: Upstream[];

  beforeAll(async () => {
    gateway = await documentAt(`${gatewayUrl()}/docs/openapi.json`);
    upstreams = await Promise.all(
      (['ticketing', 'payments', 'auction', 'rate-limiter', 'scheduler', 'crawler'] as const).map(
        async (name) => ({
          name,
          document: await documentAt(`${serviceUrl(name)}/docs/json`),
          ...(name === 'rate-limiter' ? { gatewayPrefix: '/rate-limits' } : {}),
        }),
      ),
    );
  });

  it('on every proxied route: request body, parameters and every answer a service gives', () => {
    const { compared, disagreements } = compareWithUpstreams(gateway, upstreams, gatewayOwnPaths);
    expect(compared).toHaveLength(23);
    expect(disagreements).toEqual([]);
  });

  it('reports a drifted field, a missing answer and a route no service serves', () => {
    const drifted = structuredClone(gateway);
    const schemas = drifted.components?.schemas as Record<
      string,
      { properties: Record<string, unknown> }
    >;
    const payment = Object.entries(schemas).find(([, s]) => 'refundedMinor' in s.properties);
    expect(payment).toBeDefined();
    if (payment) payment[1].properties['refundedMinor'] = { type: 'string' };
    const bids = drifted.paths['/auctions/{auctionId}/bids'];
    if (bids?.['post']) delete bids['post'].responses['409'];
    const cancel = drifted.paths['/jobs/{jobId}/cancel'];
    if (cancel?.['post']) delete cancel['post'].responses['409'];
    drifted.paths['/nowhere'] = { get: { responses: {} } };
    const found = compareWithUpstreams(drifted, upstreams, gatewayOwnPaths);
    const where = found.disagreements.map((d) => `${d.operation} | ${d.where}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'GET /payments/{paymentId} | response 200',
        'POST /auctions/{auctionId}/bids | response 409',
        'POST /jobs/{jobId}/cancel | response 409',
        'GET /nowhere | owner',
      ]),
    );
  });
});
