import { SCOPES } from '@suite/contracts';
import {
  call,
  newKey,
  operatorHeaders,
  pspUrl,
  rateLimiterUrl,
  tokenFor,
  type Reply,
} from './support';

// Who may do what, through the gateway and directly at the services it fronts: a shopper's
// token moves no money through the back-office API, spends and reads no one else's limits,
// and switches no service's admin routes.
describe('authorization across the stack', () => {
  const payment = () => ({
    amountMinor: 1500,
    currency: 'EUR',
    sourceToken: 'tok_visa',
    merchantReference: `e2e-backoffice-${Date.now()}`,
  });
  const direct = async (url: string, init: RequestInit = {}): Promise<Reply> => {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
      headers: response.headers,
    };
  };

  it('shopper-token-through-the-gateway-gets-403-on-the-back-office-payments-api', async () => {
    const [shopper, backOffice] = await Promise.all([
      tokenFor('e2e-shopper-pay', ['tickets:buy']),
      tokenFor('e2e-back-office', [SCOPES.paymentsWrite]),
    ]);
    const refused = await call('POST', '/payments', {
      token: shopper,
      body: payment(),
      idempotencyKey: newKey(),
    });
    expect(refused.status).toBe(403);
    expect(refused.body['message']).toBe(
      'this route requires the "payments:write" scope, which the token does not carry',
    );
    const anonymous = await call('POST', '/payments', {
      body: payment(),
      idempotencyKey: newKey(),
    });
    expect(anonymous.status).toBe(401);

    const captured = await call<{ id: string }>('POST', '/payments', {
      token: backOffice,
      body: payment(),
      idempotencyKey: newKey(),
    });
    expect(captured.status).toBe(201);
    const refundRefused = await call('POST', `/payments/${captured.body.id}/refunds`, {
      token: shopper,
      body: { amountMinor: 100 },
      idempotencyKey: newKey(),
    });
    expect(refundRefused.status).toBe(403);
    const refunded = await call('POST', `/payments/${captured.body.id}/refunds`, {
      token: backOffice,
      body: { amountMinor: 100 },
      idempotencyKey: newKey(),
    });
    expect(refunded.status).toBe(201);
  });

  it('shopper-cannot-spend-or-read-another-users-rate-limit-budget-through-the-gateway-or-directly', async () => {
    const mallory = await tokenFor('e2e-mallory-limits', ['tickets:buy']);
    const victim = { domain: 'api', descriptors: [{ user: 'e2e-victim', route: 'POST /holds' }] };
    const viaGateway = await call('POST', '/rate-limits/check', { token: mallory, body: victim });
    expect(viaGateway.status).toBe(403);
    expect(viaGateway.body['message']).toMatch(/^descriptors\.0 names another user: /);
    const readViaGateway = await call(
      'GET',
      '/rate-limits/usage?domain=api&descriptor=user:e2e-victim',
      { token: mallory },
    );
    expect(readViaGateway.status).toBe(403);

    const directly = await direct(`${rateLimiterUrl()}/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mallory}` },
      body: JSON.stringify(victim),
    });
    expect(directly.status).toBe(403);
    const anonymous = await direct(`${rateLimiterUrl()}/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(victim),
    });
    expect(anonymous.status).toBe(401);
  });

  it('admin-routes-of-the-psp-and-the-rate-limiter-refuse-a-shopper-and-serve-an-operator', async () => {
    const shopper = `Bearer ${await tokenFor('e2e-shopper-admin', ['tickets:buy'])}`;
    const operator = await operatorHeaders();
    for (const url of [`${pspUrl()}/admin/faults`, `${rateLimiterUrl()}/admin/policies`]) {
      expect({ url, status: (await direct(url)).status }).toEqual({ url, status: 401 });
      const refused = await direct(url, { headers: { authorization: shopper } });
      expect({ url, status: refused.status, message: refused.body['message'] }).toEqual({
        url,
        status: 403,
        message: 'this route requires the "ops:admin" scope, which the token does not carry',
      });
      expect({ url, status: (await direct(url, { headers: operator })).status }).toEqual({
        url,
        status: 200,
      });
    }
  });
});
