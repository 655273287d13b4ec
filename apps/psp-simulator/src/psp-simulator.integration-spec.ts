import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp, loadConfig } from '@suite/service-kit';
import { createTestDatabase, TestTokens, type TestDatabase } from '@suite/testing';
import { AppModule } from './app.module';
import { pspSimulatorConfigSchema } from './config/psp-simulator.config';
import { countingListener } from './testing/counting-listener';

// The simulator against its real Postgres: one charge per key whatever the faults do.
describe('psp-simulator', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const tokens = new TestTokens();
  let operator: { authorization: string };
  // The one origin the simulator may call back: PSP_CALLBACK_ORIGINS.
  let hooks: Awaited<ReturnType<typeof countingListener>>;
  let n = 0;
  // The Idempotency-Key rule asks for 8 to 255 characters.
  const key = () => `psp-key-${++n}`;
  const body = (over: Record<string, unknown> = {}) => ({
    amountMinor: 1250,
    currency: 'EUR',
    sourceToken: 'tok_visa',
    merchantReference: `pay-${n}`,
    ...over,
  });
  const charge = (idempotencyKey: string | undefined, payload: object) =>
    app.inject({
      method: 'POST',
      url: '/charges',
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
      payload,
    });
  const faults = (payload: object) =>
    app.inject({ method: 'PUT', url: '/admin/faults', headers: operator, payload });
  const until = async (done: () => boolean) => {
    const deadline = Date.now() + 5_000;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };
  const chargesUnder = async (k: string) =>
    (await app.inject({ method: 'GET', url: `/charges?idempotencyKey=${k}` })).json().data;

  beforeAll(async () => {
    db = await createTestDatabase('psp_sim', 2);
    hooks = await countingListener();
    operator = await tokens.operator();
    const config = loadConfig(
      pspSimulatorConfigSchema,
      {
        DATABASE_URL: db.url,
        PSP_HANG_MS: '300',
        JWT_PUBLIC_KEY: tokens.publicKeyPem,
        PSP_CALLBACK_ORIGINS: hooks.origin,
      },
      'psp-simulator',
    );
    app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  });

  afterEach(async () => {
    await app.inject({ method: 'DELETE', url: '/admin/faults', headers: operator });
    hooks.received.length = 0;
  });

  afterAll(async () => {
    await app?.close();
    await hooks?.close();
    await db?.drop();
  });

  it('is live and ready once its migrations ran', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({
      status: 'ok',
      service: 'psp-simulator',
    });
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).json()).toEqual({
      status: 'ready',
      checks: { postgres: 'ok' },
    });
  });

  it('replays the original charge for a repeated key and never charges twice', async () => {
    const k = key();
    const first = await charge(k, body());
    const again = await charge(k, body());
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect(await chargesUnder(k)).toHaveLength(1);
  });

  it('makes one charge for concurrent duplicates of a key', async () => {
    const k = key();
    // Connections opened beforehand, so no duplicate waits for one while another inserts:
    // every duplicate looks the key up before any has inserted it.
    await Promise.all(Array.from({ length: 10 }, () => chargesUnder(k)));
    const answers = await Promise.all(Array.from({ length: 8 }, () => charge(k, body())));
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(await chargesUnder(k)).toHaveLength(1);
  });

  it('refuses a key reused for a different charge with 422', async () => {
    const k = key();
    await charge(k, body());
    const other = await charge(k, body({ amountMinor: 999 }));
    expect(other.statusCode).toBe(422);
    expect(other.json().error).toBe('idempotency_key_reused');
  });

  it('asks for an Idempotency-Key and validates the body with clear 400s', async () => {
    const missing = await charge(undefined, body());
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toBe('the Idempotency-Key header is required');
    const bad = await charge(key(), { amountMinor: -1, currency: 'euro', sourceToken: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toEqual(
      expect.arrayContaining([
        'amountMinor must not be less than 1',
        'currency must be one of EUR, USD, GBP, CHF, SEK, NOK, DKK, PLN, CZK (ISO 4217)',
      ]),
    );
    // Three capital letters are not a currency: only the codes the PSP settles in are.
    const unknown = await charge(key(), { ...body(), currency: 'ZZZ' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toEqual([
      'currency must be one of EUR, USD, GBP, CHF, SEK, NOK, DKK, PLN, CZK (ISO 4217)',
    ]);
  });

  it('answers an injected error with 503 and charges nothing, so a retry charges once', async () => {
    await faults({ nextErrors: 1 });
    const k = key();
    expect((await charge(k, body())).statusCode).toBe(503);
    expect(await chargesUnder(k)).toHaveLength(0);
    expect((await charge(k, body())).statusCode).toBe(201);
    expect(await chargesUnder(k)).toHaveLength(1);
  });

  it('stores a decline, so a retry of the key is declined again without a new charge', async () => {
    await faults({ nextDeclines: 1 });
    const k = key();
    const first = await charge(k, body());
    expect(first.statusCode).toBe(402);
    expect(first.json().charge.status).toBe('declined');
    const again = await charge(k, body());
    expect(again.statusCode).toBe(402);
    expect(again.json().charge.id).toBe(first.json().charge.id);
    expect(await chargesUnder(k)).toHaveLength(1);
  });

  it('charges before a timed-out answer, and the key lookup shows that charge', async () => {
    await faults({ nextTimeoutsAfterCharge: 1 });
    const k = key();
    const started = Date.now();
    const late = charge(k, body());
    // The charge is visible to reconciliation while the answer is still held back.
    await new Promise((r) => setTimeout(r, 150));
    const seen = await chargesUnder(k);
    expect(seen).toHaveLength(1);
    expect((await late).statusCode).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect((await charge(k, body())).json().id).toBe(seen[0].id);
  });

  it('reports and resets its faults through the admin API', async () => {
    const set = await faults({ latencyMs: 5, declineRate: 0.5, seed: 3 });
    expect(set.json()).toMatchObject({ latencyMs: 5, declineRate: 0.5, seed: 3 });
    expect(
      (await app.inject({ method: 'GET', url: '/admin/faults', headers: operator })).json(),
    ).toMatchObject({ declineRate: 0.5 });
    const reset = await app.inject({ method: 'DELETE', url: '/admin/faults', headers: operator });
    expect(reset.json()).toMatchObject({ latencyMs: 0, declineRate: 0, hangMs: 300 });
    expect((await faults({ errorRate: 3 })).statusCode).toBe(400);
  });

  it('refunds once per key and never more than was charged', async () => {
    const charged = (await charge(key(), body({ amountMinor: 1000 }))).json();
    const refund = (k: string, amountMinor: number) =>
      app.inject({
        method: 'POST',
        url: '/refunds',
        headers: { 'idempotency-key': k },
        payload: { chargeId: charged.id, amountMinor },
      });
    const rk = key();
    const first = await refund(rk, 600);
    expect(first.statusCode).toBe(201);
    expect((await refund(rk, 600)).json().id).toBe(first.json().id);
    expect((await refund(key(), 600)).statusCode).toBe(422);
    expect((await refund(key(), 400)).statusCode).toBe(201);
    const [byRef] = (
      await app.inject({
        method: 'GET',
        url: `/charges?merchantReference=${charged.merchantReference}`,
      })
    ).json().data;
    expect(byRef.refundedMinor).toBe(1000);
  });

  it('concurrent-refunds-of-one-charge-never-exceed-it', async () => {
    const charged = (await charge(key(), body({ amountMinor: 1000 }))).json();
    // Eight refunds of 300 against 1000 at once: the charge's row lock lets three in.
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        app.inject({
          method: 'POST',
          url: '/refunds',
          headers: { 'idempotency-key': key() },
          payload: { chargeId: charged.id, amountMinor: 300 },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([201, 201, 201, 422, 422, 422, 422, 422]);
    const [after] = (
      await app.inject({
        method: 'GET',
        url: `/charges?merchantReference=${charged.merchantReference}`,
      })
    ).json().data;
    expect(after.refundedMinor).toBe(900);
  });

  it('answers each refund refusal with its status and error code', async () => {
    const refund = (k: string, chargeId: string, amountMinor = 100) =>
      app.inject({
        method: 'POST',
        url: '/refunds',
        headers: { 'idempotency-key': k },
        payload: { chargeId, amountMinor },
      });
    const made = (await charge(key(), body())).json();
    await faults({ nextDeclines: 1 });
    const declined = (await charge(key(), body())).json().charge;
    const rk = key();
    await refund(rk, made.id);
    const answers = [
      await refund(key(), 'ch_missing'),
      await refund(key(), declined.id),
      await refund(rk, made.id, 200),
    ].map((a) => a.json());
    expect(answers).toEqual([
      { statusCode: 404, error: 'charge_not_found', message: 'no charge ch_missing' },
      {
        statusCode: 409,
        error: 'charge_not_refundable',
        message: 'only a succeeded charge can be refunded',
      },
      {
        statusCode: 422,
        error: 'idempotency_key_reused',
        message: 'this Idempotency-Key was used for a different refund',
      },
    ]);
    await faults({ errorRate: 1 });
    const broken = await refund(key(), made.id);
    expect({ status: broken.statusCode, error: broken.json().error }).toEqual({
      status: 503,
      error: 'processing_error',
    });
  });

  it('sends the webhook twice when duplicate callbacks are on', async () => {
    await faults({ duplicateCallbacks: true });
    const made = await charge(key(), body({ callbackUrl: `${hooks.origin}/hook` }));
    await until(() => hooks.received.length >= 2);
    expect(hooks.received).toEqual([
      { type: 'charge.succeeded', charge: made.json() },
      { type: 'charge.succeeded', charge: made.json() },
    ]);
  });

  describe('callbackUrl', () => {
    it('callback-to-an-origin-not-allowed-is-refused-with-422-and-never-called', async () => {
      const elsewhere = await countingListener();
      try {
        const k = key();
        const refused = await charge(k, body({ callbackUrl: `${elsewhere.origin}/steal` }));
        expect(refused.statusCode).toBe(422);
        expect(refused.json()).toEqual({
          statusCode: 422,
          error: 'callback_origin_not_allowed',
          message: `callbackUrl must be on a configured callback origin (PSP_CALLBACK_ORIGINS); ${elsewhere.origin} is not one`,
        });
        expect(await chargesUnder(k)).toHaveLength(0);
        // An allowed charge's webhook arrives meanwhile: had the refused one been sent, it
        // would have been sent first.
        expect(
          (await charge(key(), body({ callbackUrl: `${hooks.origin}/hook` }))).statusCode,
        ).toBe(201);
        await until(() => hooks.received.length >= 1);
        await new Promise((r) => setTimeout(r, 200));
        expect(elsewhere.received).toHaveLength(0);
      } finally {
        await elsewhere.close();
      }
    });

    it('refuses another scheme, host or port of an allowed origin', async () => {
      const { port } = new URL(hooks.origin);
      for (const url of [
        `https://127.0.0.1:${port}/hook`,
        `http://localhost:${port}/hook`,
        `http://127.0.0.1:${Number(port) + 1}/hook`,
        'http://169.254.169.254/latest/meta-data',
      ]) {
        const response = await charge(key(), body({ callbackUrl: url }));
        expect({ url, status: response.statusCode }).toEqual({ url, status: 422 });
      }
    });

    it('null-callback-url-asks-for-no-callback', async () => {
      const response = await charge(key(), body({ callbackUrl: null }));
      expect(response.statusCode).toBe(201);
    });

    it('does not follow a redirect from an allowed origin to another one', async () => {
      const elsewhere = await countingListener();
      const redirecting = await countingListener((res) => {
        res.writeHead(307, { location: `${elsewhere.origin}/steal` });
        res.end();
      });
      const app2 = await initServiceApp(
        AppModule.register(
          loadConfig(
            pspSimulatorConfigSchema,
            {
              DATABASE_URL: db.url,
              JWT_PUBLIC_KEY: tokens.publicKeyPem,
              PSP_CALLBACK_ORIGINS: redirecting.origin,
            },
            'psp-simulator',
          ),
        ),
        { logLevel: 'fatal' },
      );
      try {
        const made = await app2.inject({
          method: 'POST',
          url: '/charges',
          headers: { 'idempotency-key': key() },
          payload: body({ callbackUrl: `${redirecting.origin}/hook` }),
        });
        expect(made.statusCode).toBe(201);
        await until(() => redirecting.received.length >= 1);
        await new Promise((r) => setTimeout(r, 200));
        expect(elsewhere.received).toHaveLength(0);
      } finally {
        await app2.close();
        await Promise.all([elsewhere.close(), redirecting.close()]);
      }
    });
  });

  describe('admin API', () => {
    it('answers 401 without a token and 403 naming the scope to a shopper, on every route', async () => {
      const shopper = await tokens.bearer('shopper-1', ['tickets:buy']);
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const payload = method === 'PUT' ? { declineRate: 1 } : undefined;
        const anonymous = await app.inject({ method, url: '/admin/faults', payload });
        expect(anonymous.statusCode).toBe(401);
        const refused = await app.inject({
          method,
          url: '/admin/faults',
          headers: shopper,
          payload,
        });
        expect(refused.statusCode).toBe(403);
        expect(refused.json().message).toBe(
          'this route requires the "ops:admin" scope, which the token does not carry',
        );
      }
      // Nothing the refused calls asked for took effect.
      const plan = await app.inject({ method: 'GET', url: '/admin/faults', headers: operator });
      expect(plan.json()).toMatchObject({ declineRate: 0 });
    });

    it('keeps the merchant API open: a charge needs no token', async () => {
      expect((await charge(key(), body())).statusCode).toBe(201);
    });
  });
});
