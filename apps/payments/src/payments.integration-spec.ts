import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PAYMENT_COMMAND_TYPES, SCOPES } from '@suite/contracts';
import {
  IdempotencyStore,
  idempotencyKeyFor,
  MESSAGE_ID_HEADER,
  type SagaCommandEnvelope,
  type SagaPhase,
} from '@suite/coordination';
import {
  DevTokenSigner,
  generateEs256KeyPair,
  initServiceApp,
  loadConfig,
} from '@suite/service-kit';
import {
  consumeUntil,
  createTestDatabase,
  createTestTopic,
  forkTs,
  freePort,
  integrationEndpoints,
  killAndWait,
  testKafka,
  uniqueName,
  type TestDatabase,
} from '@suite/testing';
import { AppModule } from './app.module';
import { paymentsConfigSchema } from './config/payments.config';
import { verifyPaymentInvariants } from '@suite/invariants';
import { CreatePaymentUseCase } from './payments/create-payment/create-payment.use-case';
import type { PspGateway } from './payments/domain/psp.port';
import { HttpPspGateway } from './payments/infra/http-psp.gateway';
import { LateCharges } from './payments/infra/late-charges';
import { PaymentSettlement } from './payments/infra/payment-settlement';
import { PaymentsRepository } from './payments/infra/payments.repository';
import { ReconcilePaymentsUseCase } from './payments/reconcile-payments/reconcile-payments.use-case';
import { AUTOCOMMIT, PSP_GATEWAY, TRANSACTIONS } from './payments.tokens';

// Payments against the real Postgres and Kafka, with the PSP simulator as a separate
// process on its own port and database.
const PSP_TIMEOUT_MS = 300;
const BREAKER_RESET_MS = 300;

// The token issuer (the gateway's part): the app gets the public key only.
const issuerKeys = generateEs256KeyPair();
const signerWith = (privateKeyPem: string) =>
  new DevTokenSigner({ privateKeyPem, issuer: 'suite', audience: 'suite' });
const issuer = signerWith(issuerKeys.privateKeyPem);
const forger = signerWith(generateEs256KeyPair().privateKeyPem);
// The API's callers are back-office clients: their tokens carry payments:write.
const bearer = async (
  userId: string,
  signer = issuer,
  scopes: readonly string[] = [SCOPES.paymentsWrite],
) => ({
  authorization: `Bearer ${await signer.sign({ userId, scopes })}`,
});
// The PSP simulator's fault switch wants an operator.
const pspOperator = async () => bearer('psp-operator', issuer, [SCOPES.opsAdmin]);
const MERCHANT = 'merchant-1';

// The real PSP behind a gate: a charge waits there until the test opens it, so the test
// decides exactly when the charge reaches the PSP. Lookups and refunds pass straight through.
function gatedCharges(psp: PspGateway) {
  let open = () => undefined as void;
  let arrive = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const gateway: PspGateway = {
    charge: async (request) => {
      arrive();
      await opened;
      return psp.charge(request);
    },
    findCharge: (key) => psp.findCharge(key),
    refund: (request) => psp.refund(request),
  };
  return { gateway, arrived, open };
}

describe('payments', () => {
  let pspDb: TestDatabase;
  let db: TestDatabase;
  let naiveDb: TestDatabase;
  let psp: ChildProcess;
  let pspUrl: string;
  let app: NestFastifyApplication;
  let naiveApp: NestFastifyApplication;
  const kafka = testKafka('payments-test');
  let commandsTopic: string;
  let repliesTopic: string;
  let n = 0;
  const key = () => `key-${Date.now()}-${++n}`;
  const order = (over: Record<string, unknown> = {}) => ({
    amountMinor: 2500,
    currency: 'EUR',
    sourceToken: 'tok_visa',
    merchantReference: `order-${n}`,
    ...over,
  });
  const pay = async (
    target: NestFastifyApplication,
    k: string | undefined,
    payload: object,
    userId = MERCHANT,
  ) =>
    target.inject({
      method: 'POST',
      url: '/payments',
      headers: { ...(await bearer(userId)), ...(k ? { 'idempotency-key': k } : {}) },
      payload,
    });
  const faults = async (settings: object) => {
    const response = await fetch(`${pspUrl}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(await pspOperator()) },
      body: JSON.stringify(settings),
    });
    expect(response.status).toBe(200);
  };
  const pspCharges = async (paymentId: string) =>
    (await verifyPaymentInvariants(db.pool, pspDb.pool)).pspChargesPerPayment?.[paymentId] ?? 0;
  const paymentByKey = async (scope: string, k: string) =>
    (
      await db.pool.query<{ id: string; status: string; failure_reason: string | null }>(
        `select id, status, failure_reason from payments
          where idempotency_scope = $1 and idempotency_key = $2`,
        [scope, k],
      )
    ).rows[0];
  const pspRefundsOf = async (paymentId: string) =>
    (
      await pspDb.pool.query<{ amount_minor: string }>(
        `select r.amount_minor from refunds r join charges c on c.id = r.charge_id
          where c.merchant_reference = $1`,
        [paymentId],
      )
    ).rows.map((row) => Number(row.amount_minor));
  // Saga commands as the orchestrator sends them, each with its own message id.
  let sent = 0;
  const sagaCommand = (
    sagaId: string,
    phase: SagaPhase,
    attempt: number,
    type: string,
    payload: Record<string, unknown>,
  ): SagaCommandEnvelope => ({
    sagaId,
    sagaType: 'checkout',
    step: 'capture',
    phase,
    attempt,
    idempotencyKey: idempotencyKeyFor(sagaId, 'capture', phase),
    type,
    replyTopic: repliesTopic,
    payload,
  });
  const sendCommands = async (...commands: SagaCommandEnvelope[]) => {
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: commandsTopic,
        messages: commands.map((command) => ({
          key: command.sagaId,
          value: JSON.stringify(command),
          headers: { [MESSAGE_ID_HEADER]: `${command.sagaId}-${++sent}` },
        })),
      });
    } finally {
      await producer.disconnect();
    }
  };
  const repliesTo = async (sagaId: string, count: number, timeoutMs = 30_000) =>
    (
      await consumeUntil(kafka, repliesTopic, {
        groupId: `replies-${sagaId}-${++sent}`,
        decode: (value) => JSON.parse(value.toString()) as Record<string, unknown>,
        until: (seen) => seen.filter((m) => m['sagaId'] === sagaId).length >= count,
        timeoutMs,
      })
    ).filter((m) => m['sagaId'] === sagaId);
  // The app's own capture use case, but talking to the PSP through `psp`.
  const captureThrough = (psp: PspGateway) => {
    const payments = app.get(PaymentsRepository);
    return new CreatePaymentUseCase(
      app.get(TRANSACTIONS),
      app.get(AUTOCOMMIT),
      app.get(IdempotencyStore),
      payments,
      app.get(PaymentSettlement),
      psp,
      new LateCharges(app.get(TRANSACTIONS), payments, psp),
    );
  };
  const purgeKeys = async (...keys: string[]) => {
    await db.pool.query(
      `update idempotency_keys set expires_at = now() - interval '1 second' where key = any($1)`,
      [keys],
    );
    await app.get(IdempotencyStore).purgeExpired(db.pool);
  };
  const journalEntries = async (target: TestDatabase, paymentId: string) =>
    (
      await target.pool.query('select kind from ledger_journal_entries where payment_id = $1', [
        paymentId,
      ])
    ).rows.map((row) => row.kind);

  const boot = (database: TestDatabase, extra: Record<string, string>) =>
    initServiceApp(
      AppModule.register(
        loadConfig(
          paymentsConfigSchema,
          {
            DATABASE_URL: database.url,
            KAFKA_BROKERS: integrationEndpoints().kafkaBrokers.join(','),
            JWT_PUBLIC_KEY: issuerKeys.publicKeyPem,
            KAFKA_CLIENT_ID: uniqueName('payments'),
            PSP_URL: pspUrl,
            PSP_TIMEOUT_MS: String(PSP_TIMEOUT_MS),
            PSP_RETRY_BACKOFF_MS: '20',
            PSP_BREAKER_RESET_MS: String(BREAKER_RESET_MS),
            IDEMPOTENCY_LOCK_TIMEOUT_MS: '5000',
            RECONCILE_INTERVAL_MS: '0',
            // The late-charge sweep asks again within a fraction of a second, for 30 s.
            LATE_CHARGE_CHECK_MS: '200',
            LATE_CHARGE_CHECK_MAX_MS: '400',
            LATE_CHARGE_HORIZON_MS: '30000',
            ...extra,
          },
          'payments',
        ),
      ),
      { logLevel: 'fatal' },
    );

  beforeAll(async () => {
    [pspDb, db, naiveDb] = await Promise.all([
      createTestDatabase('psp_for_payments', 2),
      createTestDatabase('payments', 4),
      createTestDatabase('payments_naive', 2),
    ]);
    [commandsTopic, repliesTopic] = await Promise.all([
      createTestTopic(kafka, 'payments_commands'),
      createTestTopic(kafka, 'payments_replies'),
    ]);
    const port = await freePort();
    pspUrl = `http://127.0.0.1:${port}`;
    psp = forkTs(join(__dirname, '../../psp-simulator/src/main.ts'), [], {
      DATABASE_URL: pspDb.url,
      PORT: String(port),
      LOG_LEVEL: 'error',
      PSP_HANG_MS: '1000',
      JWT_PUBLIC_KEY: issuerKeys.publicKeyPem,
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const up = await fetch(`${pspUrl}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error('psp-simulator did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    [app, naiveApp] = await Promise.all([
      boot(db, { PAYMENTS_COMMANDS_TOPIC: commandsTopic, PAYMENTS_EVENTS_TOPIC: repliesTopic }),
      boot(naiveDb, { PSP_CLIENT: 'naive', OUTBOX_RELAY: 'off', SAGA_PARTICIPANT: 'off' }),
    ]);
  });

  afterEach(async () => {
    await fetch(`${pspUrl}/admin/faults`, { method: 'DELETE', headers: await pspOperator() });
  });

  afterAll(async () => {
    await Promise.allSettled([app?.close(), naiveApp?.close()]);
    if (psp) await killAndWait(psp, 'SIGTERM');
    await Promise.allSettled([db?.drop(), naiveDb?.drop(), pspDb?.drop()]);
  });

  describe('bad input', () => {
    it('asks for an Idempotency-Key with a 400 that says what to do', async () => {
      const response = await pay(app, undefined, order());
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/^the Idempotency-Key header is required/);
    });

    it('lists every invalid field and refuses unknown ones', async () => {
      const response = await pay(app, key(), { amountMinor: 12.5, currency: 'eur', extra: 1 });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toEqual(
        expect.arrayContaining([
          'property extra should not exist',
          'amountMinor must be an integer number',
          'currency must be one of EUR, USD, GBP, CHF, SEK, NOK, DKK, PLN, CZK (ISO 4217)',
          'sourceToken must be a string',
        ]),
      );
    });

    it('refuses a currency that is three capital letters but not one payments settle in', async () => {
      const response = await pay(app, key(), { ...order(), currency: 'ZZZ' });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toEqual([
        'currency must be one of EUR, USD, GBP, CHF, SEK, NOK, DKK, PLN, CZK (ISO 4217)',
      ]);
    });

    it('answers 404 for an unknown payment id and 400 for a malformed one, with no stack trace', async () => {
      for (const [id, status] of [
        ['1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b', 404],
        ['not-an-id', 400],
      ] as const) {
        const response = await app.inject({
          method: 'GET',
          url: `/payments/${id}`,
          headers: await bearer(MERCHANT),
        });
        expect(response.statusCode).toBe(status);
        expect(response.body).not.toMatch(/at \w+ \(/);
      }
    });

    it('refuses a NUL in a merchant reference with 400', async () => {
      const response = await pay(app, key(), order({ merchantReference: 'order-\u00001' }));
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe('merchantReference must not contain control characters');
    });
  });

  describe('idempotency', () => {
    it('replays the stored first response for the same key and payload', async () => {
      const k = key();
      const first = await pay(app, k, order());
      expect(first.statusCode).toBe(201);
      expect(first.json().status).toBe('captured');
      const again = await pay(app, k, order());
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      expect(await pspCharges(first.json().id)).toBe(1);
    });

    it('refuses the same key with a different payload with 422', async () => {
      const k = key();
      await pay(app, k, order());
      const other = await pay(app, k, order({ amountMinor: 1 }));
      expect(other.statusCode).toBe(422);
      expect(other.json().error).toBe('idempotency_key_reused');
    });

    it('answers 409 while the first request with the key is in flight', async () => {
      await faults({ latencyMs: 200 });
      const k = key();
      const first = pay(app, k, order());
      await new Promise((r) => setTimeout(r, 80));
      const second = await pay(app, k, order());
      expect(second.statusCode).toBe(409);
      expect(second.headers['retry-after']).toBeDefined();
      expect((await first).statusCode).toBe(201);
    });
  });

  describe('callers', () => {
    it('refuses a request without a valid token with 401, before any key is taken', async () => {
      const k = key();
      const forged = await bearer(MERCHANT, forger);
      const requests = [
        { method: 'POST', url: '/payments', payload: order() },
        {
          method: 'POST',
          url: '/payments/1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b/refunds',
          payload: {},
        },
        { method: 'GET', url: '/payments/1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b' },
      ] as const;
      for (const request of requests) {
        for (const [headers, message] of [
          [{}, 'missing bearer token'],
          [forged, 'token signature is invalid'],
        ] as const) {
          const response = await app.inject({
            ...request,
            headers: { ...headers, 'idempotency-key': k },
          });
          expect({
            url: request.url,
            status: response.statusCode,
            message: response.json().message,
          }).toEqual({
            url: request.url,
            status: 401,
            message,
          });
        }
      }
      // The refused requests never reached the key: with a valid token it is a new payment.
      const first = await pay(app, k, order());
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it('shopper-token-without-payments-write-gets-403-on-create-and-refund-and-moves-no-money', async () => {
      const merchants = (await pay(app, key(), order({ amountMinor: 700 }))).json();
      const shopper = await bearer('shopper-1', issuer, ['tickets:buy']);
      const k = key();
      const attempts = [
        { method: 'POST', url: '/payments', payload: order({ amountMinor: 701 }) },
        { method: 'POST', url: `/payments/${merchants.id}/refunds`, payload: { amountMinor: 100 } },
      ] as const;
      for (const attempt of attempts) {
        const response = await app.inject({
          ...attempt,
          headers: { ...shopper, 'idempotency-key': k },
        });
        expect({ url: attempt.url, status: response.statusCode, body: response.json() }).toEqual({
          url: attempt.url,
          status: 403,
          body: {
            statusCode: 403,
            error: 'Forbidden',
            message:
              'this route requires the "payments:write" scope, which the token does not carry',
          },
        });
      }
      expect(await paymentByKey('user:shopper-1', k)).toBeUndefined();
      expect(await journalEntries(db, merchants.id)).toEqual(['capture']);
      // Reads are the caller's own payments only: a shopper has none to see.
      const read = await app.inject({
        method: 'GET',
        url: `/payments/${merchants.id}`,
        headers: shopper,
      });
      expect(read.statusCode).toBe(404);
    });

    it('two-callers-with-the-same-idempotency-key-get-two-separate-payments', async () => {
      const k = key();
      const alices = await pay(app, k, order({ amountMinor: 1100 }), 'alice');
      const bobs = await pay(app, k, order({ amountMinor: 2200 }), 'bob');
      expect([alices.statusCode, bobs.statusCode]).toEqual([201, 201]);
      // Bob's other body under the same key is not a 422 and not Alice's response.
      expect(bobs.headers['idempotent-replayed']).toBeUndefined();
      expect(bobs.json().id).not.toBe(alices.json().id);
      expect(bobs.json().amountMinor).toBe(2200);
      // Each caller's retry replays their own payment.
      const alicesRetry = await pay(app, k, order({ amountMinor: 1100 }), 'alice');
      expect(alicesRetry.headers['idempotent-replayed']).toBe('true');
      expect(alicesRetry.json().id).toBe(alices.json().id);
      const bobsRetry = await pay(app, k, order({ amountMinor: 2200 }), 'bob');
      expect(bobsRetry.json().id).toBe(bobs.json().id);
      expect(await pspCharges(alices.json().id)).toBe(1);
      expect(await pspCharges(bobs.json().id)).toBe(1);
      const scopes = await db.pool.query<{ idempotency_scope: string }>(
        `select idempotency_scope from payments where idempotency_key = $1 order by idempotency_scope`,
        [k],
      );
      expect(scopes.rows.map((row) => row.idempotency_scope)).toEqual(['user:alice', 'user:bob']);
    });
  });

  describe('owners', () => {
    const UNKNOWN = '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b';
    const read = async (id: string, userId: string) =>
      app.inject({ method: 'GET', url: `/payments/${id}`, headers: await bearer(userId) });
    const refund = async (id: string, userId: string, k = key()) =>
      app.inject({
        method: 'POST',
        url: `/payments/${id}/refunds`,
        headers: { ...(await bearer(userId)), 'idempotency-key': k },
        payload: { amountMinor: 100 },
      });
    const refundRows = async (paymentId: string) =>
      (await db.pool.query(`select 1 from payment_refunds where payment_id = $1`, [paymentId])).rows
        .length;

    it('another-caller-can-neither-read-nor-refund-a-payment-and-gets-the-404-of-an-unknown-one', async () => {
      const alices = (await pay(app, key(), order({ amountMinor: 1000 }), 'alice')).json();
      expect(alices.status).toBe('captured');

      const bobReads = await read(alices.id, 'bob');
      const bobReadsUnknown = await read(UNKNOWN, 'bob');
      expect(bobReads.statusCode).toBe(404);
      // Same answer as for an id that does not exist, apart from the id itself.
      expect(bobReads.json()).toEqual({
        ...bobReadsUnknown.json(),
        message: `no payment ${alices.id}`,
      });

      const bk = key();
      const bobRefunds = await refund(alices.id, 'bob', bk);
      const bobRefundsUnknown = await refund(UNKNOWN, 'bob');
      expect(bobRefunds.statusCode).toBe(404);
      expect(bobRefunds.json()).toEqual(bobRefundsUnknown.json());
      // Bob's retry replays his 404; nothing was refunded or booked.
      expect((await refund(alices.id, 'bob', bk)).statusCode).toBe(404);
      expect(await refundRows(alices.id)).toBe(0);
      expect(await journalEntries(db, alices.id)).toEqual(['capture']);

      // Alice still reads and refunds her payment.
      expect((await read(alices.id, 'alice')).json()).toMatchObject({
        id: alices.id,
        status: 'captured',
        refundedMinor: 0,
      });
      const own = await refund(alices.id, 'alice');
      expect(own.statusCode).toBe(201);
      expect(own.json().payment).toMatchObject({ refundedMinor: 100 });
    });
  });

  describe('PSP faults', () => {
    it('charges once when the PSP times out after charging and the retry reuses the key', async () => {
      await faults({ nextTimeoutsAfterCharge: 1 });
      const k = key();
      const response = await pay(app, k, order());
      expect(response.statusCode).toBe(201);
      const payment = response.json();
      expect(payment.status).toBe('captured');
      // The client's own retry is a replay, not a second payment.
      expect((await pay(app, k, order())).json().id).toBe(payment.id);
      expect(await pspCharges(payment.id)).toBe(1);
      expect(await journalEntries(db, payment.id)).toEqual(['capture']);
    });

    it('NAIVE: retrying under a fresh key charges the card twice for one payment', async () => {
      await faults({ nextTimeoutsAfterCharge: 1 });
      const response = await pay(naiveApp, key(), order());
      expect(response.statusCode).toBe(201);
      const report = await verifyPaymentInvariants(naiveDb.pool, pspDb.pool);
      expect(report.pspChargesPerPayment?.[response.json().id]).toBe(2);
      expect(report.paymentsChargedTwice).toBeGreaterThanOrEqual(1);
      // The ledger is balanced all the same: the double charge is invisible to it.
      expect(report.unbalancedEntries).toBe(0);
    });

    it('fails a declined payment with 402 and moves no money in the ledger', async () => {
      const k = key();
      const response = await pay(app, k, order({ sourceToken: 'tok_chargeDeclined' }));
      expect(response.statusCode).toBe(402);
      expect(response.json().payment).toMatchObject({
        status: 'failed',
        failureReason: 'card_declined',
      });
      expect(await journalEntries(db, response.json().payment.id)).toEqual([]);
      // Error responses are replayed too.
      expect((await pay(app, k, order({ sourceToken: 'tok_chargeDeclined' }))).statusCode).toBe(
        402,
      );
    });

    it('fails the payment when the PSP answers every attempt with an error', async () => {
      await faults({ nextErrors: 3 });
      const response = await pay(app, key(), order());
      expect(response.statusCode).toBe(402);
      const payment = response.json().payment;
      expect(payment).toMatchObject({ status: 'failed', failureReason: 'psp_error' });
      expect(await pspCharges(payment.id)).toBe(0);
      expect(await journalEntries(db, payment.id)).toEqual([]);
    });
  });

  describe('reconciliation', () => {
    it('settles a payment the PSP charged but never confirmed, then the retry replays it', async () => {
      // Every answer, even the lookup by key, comes too late: the outcome is unknown.
      await faults({ latencyMs: PSP_TIMEOUT_MS + 150 });
      const k = key();
      const unknown = await pay(app, k, order());
      expect(unknown.statusCode).toBe(503);
      expect(unknown.json().error).toBe('payment_outcome_unknown');
      const stuck = await db.pool.query<{ id: string; status: string }>(
        `select id, status from payments where idempotency_key = $1`,
        [k],
      );
      expect(stuck.rows[0]?.status).toBe('processing');
      await fetch(`${pspUrl}/admin/faults`, { method: 'DELETE', headers: await pspOperator() });
      // Let the late PSP requests land, and the circuit (opened by the timeouts) half-open.
      await new Promise((r) => setTimeout(r, BREAKER_RESET_MS + 200));

      const report = await app.get(ReconcilePaymentsUseCase).execute({ olderThanMs: 0, limit: 10 });
      expect(report).toMatchObject({ captured: 1, unresolved: 0 });
      const retried = await pay(app, k, order());
      expect(retried.statusCode).toBe(201);
      expect(retried.json()).toMatchObject({ id: stuck.rows[0]?.id, status: 'captured' });
      expect(await pspCharges(stuck.rows[0]?.id ?? '')).toBe(1);
      expect(await journalEntries(db, stuck.rows[0]?.id ?? '')).toEqual(['capture']);
    });
  });

  describe('refunds', () => {
    it('refunds in parts, once per key, never beyond the captured amount', async () => {
      const payment = (await pay(app, key(), order({ amountMinor: 1000 }))).json();
      const refund = async (k: string, amountMinor?: number) =>
        app.inject({
          method: 'POST',
          url: `/payments/${payment.id}/refunds`,
          headers: { ...(await bearer(MERCHANT)), 'idempotency-key': k },
          payload: amountMinor === undefined ? {} : { amountMinor },
        });
      const rk = key();
      const part = await refund(rk, 400);
      expect(part.statusCode).toBe(201);
      expect(part.json().payment).toMatchObject({
        status: 'partially_refunded',
        refundedMinor: 400,
      });
      expect((await refund(rk, 400)).json().id).toBe(part.json().id);
      expect((await refund(key(), 700)).statusCode).toBe(422);
      const rest = await refund(key());
      expect(rest.json().payment).toMatchObject({ status: 'refunded', refundedMinor: 1000 });
      expect((await refund(key(), 1)).statusCode).toBe(409);
      expect(await journalEntries(db, payment.id)).toEqual(['capture', 'refund', 'refund']);
    });

    it('answers 404 when refunding an unknown payment', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/payments/1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b/refunds',
        headers: { ...(await bearer(MERCHANT)), 'idempotency-key': key() },
        payload: {},
      });
      expect(response.statusCode).toBe(404);
    });
  });

  describe('saga participant', () => {
    it('captures once for a redelivered and a resent CapturePayment, replying each attempt', async () => {
      const sagaId = `saga-${Date.now()}`;
      const envelope = (attempt: number): SagaCommandEnvelope => ({
        sagaId,
        sagaType: 'checkout',
        step: 'capture',
        phase: 'action',
        attempt,
        idempotencyKey: `${sagaId}:capture`,
        type: PAYMENT_COMMAND_TYPES.capture,
        replyTopic: repliesTopic,
        payload: {
          amountMinor: 4200,
          currency: 'EUR',
          sourceToken: 'tok_visa',
          merchantReference: sagaId,
        },
      });
      const producer = kafka.producer();
      await producer.connect();
      try {
        // Attempt 1 twice (a redelivery), then attempt 2 (the orchestrator resending).
        await producer.send({
          topic: commandsTopic,
          messages: [1, 1, 2].map((attempt, i) => ({
            key: sagaId,
            value: JSON.stringify(envelope(attempt)),
            headers: { [MESSAGE_ID_HEADER]: `${sagaId}-${i}` },
          })),
        });
      } finally {
        await producer.disconnect();
      }
      const replies = await consumeUntil(kafka, repliesTopic, {
        groupId: `replies-${sagaId}`,
        decode: (value) => JSON.parse(value.toString()) as Record<string, unknown>,
        until: (seen) => seen.filter((m) => m['sagaId'] === sagaId).length >= 2,
        timeoutMs: 30_000,
      });
      const mine = replies.filter((m) => m['sagaId'] === sagaId);
      expect(mine.map((m) => m['outcome'])).toEqual(['succeeded', 'succeeded']);
      const paymentIds = new Set(mine.map((m) => (m['data'] as { paymentId: string }).paymentId));
      expect(paymentIds.size).toBe(1);
      const [paymentId] = [...paymentIds];
      expect(await pspCharges(paymentId ?? '')).toBe(1);
      const inbox = await db.pool.query(`select count(*)::int as n from inbox_messages`);
      expect(inbox.rows[0].n).toBe(2);

      // A saga's payment belongs to no HTTP caller: it is a 404 to read or to refund.
      const asHttp = await bearer(MERCHANT);
      const read = await app.inject({
        method: 'GET',
        url: `/payments/${paymentId}`,
        headers: asHttp,
      });
      expect(read.statusCode).toBe(404);
      const refund = await app.inject({
        method: 'POST',
        url: `/payments/${paymentId}/refunds`,
        headers: { ...asHttp, 'idempotency-key': key() },
        payload: {},
      });
      expect(refund.statusCode).toBe(404);
      expect(await journalEntries(db, paymentId ?? '')).toEqual(['capture']);
    });
  });

  describe('compensations of unsettled captures', () => {
    const capturePayload = (sagaId: string) => ({
      amountMinor: 3100,
      currency: 'EUR',
      sourceToken: 'tok_visa',
      merchantReference: sagaId,
    });

    it('refund-before-capture-leaves-a-tombstone-so-the-late-capture-charges-nothing', async () => {
      const sagaId = `saga-tomb-${Date.now()}`;
      // The compensation arrives first: the capture command is still unread in Kafka.
      await sendCommands(sagaCommand(sagaId, 'compensation', 1, PAYMENT_COMMAND_TYPES.refund, {}));
      const [refunded] = await repliesTo(sagaId, 1);
      expect(refunded).toMatchObject({ outcome: 'succeeded', data: { refunded: false } });

      await sendCommands(
        sagaCommand(sagaId, 'action', 1, PAYMENT_COMMAND_TYPES.capture, capturePayload(sagaId)),
      );
      const replies = await repliesTo(sagaId, 2);
      expect(replies[1]).toMatchObject({ phase: 'action', outcome: 'failed', retriable: false });
      const payment = await paymentByKey('saga', idempotencyKeyFor(sagaId, 'capture', 'action'));
      expect(payment?.status).toBe('failed');
      expect(await pspCharges(payment?.id ?? '')).toBe(0);
    });

    it('refund-of-a-processing-capture-retries-while-the-psp-cannot-be-asked-then-refunds-the-charge-it-finds', async () => {
      const sagaId = `saga-unknown-${Date.now()}`;
      // Every answer comes too late: the capture's outcome is unknown, its charge lands later.
      await faults({ latencyMs: PSP_TIMEOUT_MS + 150 });
      await sendCommands(
        sagaCommand(sagaId, 'action', 1, PAYMENT_COMMAND_TYPES.capture, capturePayload(sagaId)),
      );
      expect((await repliesTo(sagaId, 1))[0]).toMatchObject({ outcome: 'failed', retriable: true });
      const payment = await paymentByKey('saga', idempotencyKeyFor(sagaId, 'capture', 'action'));
      expect(payment?.status).toBe('processing');

      // The PSP still cannot be asked: "retry", and nothing stored that replays success.
      const refund = (attempt: number) =>
        sagaCommand(sagaId, 'compensation', attempt, PAYMENT_COMMAND_TYPES.refund, {
          amountMinor: 3100,
        });
      await sendCommands(refund(1));
      expect((await repliesTo(sagaId, 2))[1]).toMatchObject({
        phase: 'compensation',
        outcome: 'failed',
        retriable: true,
      });

      await fetch(`${pspUrl}/admin/faults`, { method: 'DELETE', headers: await pspOperator() });
      // Let the late charge land, and the circuit (opened by the timeouts) half-open.
      await new Promise((r) => setTimeout(r, BREAKER_RESET_MS + 200));
      await sendCommands(refund(2));
      const settled = (await repliesTo(sagaId, 3))[2];
      expect(settled).toMatchObject({ phase: 'compensation', outcome: 'succeeded' });
      expect(settled?.['data']).toHaveProperty('refundId');
      expect(
        (await paymentByKey('saga', idempotencyKeyFor(sagaId, 'capture', 'action')))?.status,
      ).toBe('refunded');
      expect(await pspCharges(payment?.id ?? '')).toBe(1);
      expect(await pspRefundsOf(payment?.id ?? '')).toEqual([3100]);
      expect(await journalEntries(db, payment?.id ?? '')).toEqual(['capture', 'refund']);
    });
  });

  describe('reconciler and resumed capture', () => {
    // A payment left processing with nothing at the PSP: its first call found the PSP
    // unreachable. Then a retry with the key resumes it through the gated PSP.
    const stuckThenResumed = async () => {
      const k = key();
      const input = { scope: `user:${MERCHANT}`, key: k, ...order({ amountMinor: 1800 }) };
      const dead = new HttpPspGateway({
        baseUrl: `http://127.0.0.1:${await freePort()}`,
        timeoutMs: PSP_TIMEOUT_MS,
        maxAttempts: 2,
        backoffMs: 0,
      });
      expect((await captureThrough(dead).execute(input)).kind).toBe('outcome-unknown');
      await new Promise((r) => setTimeout(r, 300));
      const gate = gatedCharges(app.get<PspGateway>(PSP_GATEWAY));
      const resumed = captureThrough(gate.gateway).execute(input);
      await gate.arrived;
      const payment = await paymentByKey(`user:${MERCHANT}`, k);
      return { gate, resumed, paymentId: payment?.id ?? '', k };
    };

    it('reconciler-leaves-a-payment-alone-while-a-resumed-capture-is-charging-it', async () => {
      const { gate, resumed, paymentId, k } = await stuckThenResumed();
      // Older than the reconciler's threshold by its first attempt; the resumed one is live.
      await app.get(ReconcilePaymentsUseCase).execute({ olderThanMs: 200, limit: 100 });
      expect((await paymentByKey(`user:${MERCHANT}`, k))?.status).toBe('processing');
      gate.open();
      const outcome = await resumed;
      expect(outcome).toMatchObject({ kind: 'responded', response: { status: 201 } });
      expect((await paymentByKey(`user:${MERCHANT}`, k))?.status).toBe('captured');
      expect(await pspCharges(paymentId)).toBe(1);
      expect(await journalEntries(db, paymentId)).toEqual(['capture']);
    });

    it('charge-that-lands-on-a-payment-already-failed-is-given-back', async () => {
      const { gate, resumed, paymentId, k } = await stuckThenResumed();
      // A reconciler whose threshold is shorter than a PSP call (misconfigured) decides
      // "not charged" while the charge is on its way.
      await app.get(ReconcilePaymentsUseCase).execute({ olderThanMs: 0, limit: 100 });
      expect((await paymentByKey(`user:${MERCHANT}`, k))?.status).toBe('failed');
      gate.open();
      const outcome = await resumed;
      expect(outcome).toMatchObject({ kind: 'responded', response: { status: 402 } });
      expect(await pspCharges(paymentId)).toBe(1);
      // The money went back; the payment stays failed, with nothing in the ledger.
      expect(await pspRefundsOf(paymentId)).toEqual([1800]);
      const late = await db.pool.query(
        `select status from payment_refunds where payment_id = $1 and idempotency_scope = 'late-charge'`,
        [paymentId],
      );
      expect(late.rows).toEqual([{ status: 'succeeded' }]);
      expect(await journalEntries(db, paymentId)).toEqual([]);
    });
  });

  describe('charges the PSP makes after payments gave up', () => {
    // Every request waits this long at the PSP before it acts on it: past payments' whole
    // charge call (3 attempts of 300 ms, the lookup, backoff: about 1.3 s) and past the
    // reconciler's lookup below, with room for a loaded machine.
    const HELD_MS = 6_000;
    // Three attempts, the lookup by key, and the 20 ms and 40 ms backoffs.
    const CHARGE_CALL_MS = PSP_TIMEOUT_MS * 4 + 60;
    // The money the PSP holds for a payment: what it charged less what it refunded.
    const pspNet = async (paymentId: string) =>
      Number(
        (
          await pspDb.pool.query<{ net: string }>(
            `select coalesce(sum(amount_minor - refunded_minor), 0) as net from charges
              where idempotency_key = $1 and status = 'succeeded'`,
            [paymentId],
          )
        ).rows[0]?.net ?? 0,
      );
    // Polls until `done` or the bound passed; the assertions after it judge.
    const waitUntil = async (done: () => Promise<boolean>, boundMs: number) => {
      const deadline = Date.now() + boundMs;
      while (!(await done()) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    it('charge-the-psp-makes-after-the-payment-failed-with-no-charge-is-found-and-given-back', async () => {
      await faults({ latencyMs: HELD_MS });
      const k = key();
      const unknown = await pay(app, k, order({ amountMinor: 2700 }));
      expect(unknown.statusCode).toBe(503);
      const paymentId = (await paymentByKey(`user:${MERCHANT}`, k))?.id ?? '';
      // New requests are served at once again; the held ones still wait out their delay.
      await fetch(`${pspUrl}/admin/faults`, { method: 'DELETE', headers: await pspOperator() });
      await new Promise((r) => setTimeout(r, BREAKER_RESET_MS + 200));

      // The PSP holds no charge yet and no attempt began within a whole charge call, so
      // the reconciler settles the payment failed, as the saga's refund would.
      const round = () =>
        app.get(ReconcilePaymentsUseCase).execute({ olderThanMs: CHARGE_CALL_MS, limit: 100 });
      await round();
      expect(await paymentByKey(`user:${MERCHANT}`, k)).toMatchObject({
        status: 'failed',
        failure_reason: 'psp_error',
      });
      expect(await pspNet(paymentId)).toBe(0);

      // Then the PSP acts on the request it held: the card is charged for a failed payment.
      await waitUntil(async () => (await pspCharges(paymentId)) === 1, HELD_MS);
      expect(await pspCharges(paymentId)).toBe(1);
      // The job's rounds, as its loop runs them, until the money is back or 5 s passed.
      await waitUntil(async () => {
        await round();
        return (await pspNet(paymentId)) === 0;
      }, 5_000);
      expect(await pspNet(paymentId)).toBe(0);
      expect(await pspRefundsOf(paymentId)).toEqual([2700]);
      // The payment stays failed with nothing in the ledger; the refund is a late charge's.
      expect((await paymentByKey(`user:${MERCHANT}`, k))?.status).toBe('failed');
      expect(await journalEntries(db, paymentId)).toEqual([]);
      const late = await db.pool.query(
        `select status from payment_refunds where payment_id = $1 and idempotency_scope = 'late-charge'`,
        [paymentId],
      );
      expect(late.rows).toEqual([{ status: 'succeeded' }]);
    });
  });

  describe('PSP refusals', () => {
    const tooLong = 't'.repeat(101);

    it('capture-command-the-psp-would-refuse-gets-one-non-retriable-failure-and-no-redelivery', async () => {
      const sagaId = `saga-refused-${Date.now()}`;
      await sendCommands(
        sagaCommand(sagaId, 'action', 1, PAYMENT_COMMAND_TYPES.capture, {
          amountMinor: 1000,
          currency: 'EUR',
          sourceToken: tooLong,
          merchantReference: sagaId,
        }),
      );
      const [reply] = await repliesTo(sagaId, 1, 15_000);
      expect(reply).toMatchObject({ outcome: 'failed', retriable: false });
      // Answered once and committed: nothing is redelivered, no second reply follows.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await repliesTo(sagaId, 1)).toHaveLength(1);
      const inbox = await db.pool.query(`select 1 from inbox_messages where message_id like $1`, [
        `${idempotencyKeyFor(sagaId, 'capture', 'action')}#%`,
      ]);
      expect(inbox.rows).toHaveLength(1);
    });

    it('charge-the-psp-refuses-with-a-4xx-fails-the-payment-and-charges-nothing', async () => {
      const k = key();
      // Past the HTTP edge's bounds, as any other caller of the use case could send it.
      const outcome = await app.get(CreatePaymentUseCase).execute({
        scope: `user:${MERCHANT}`,
        key: k,
        ...order({ sourceToken: tooLong }),
      });
      expect(outcome).toMatchObject({ kind: 'responded', response: { status: 402 } });
      const payment = await paymentByKey(`user:${MERCHANT}`, k);
      expect(payment?.status).toBe('failed');
      expect(payment?.failure_reason).toMatch(/^psp_refused: PSP refused the request with 400/);
      expect(await pspCharges(payment?.id ?? '')).toBe(0);
    });
  });

  describe('keys after their retention', () => {
    it('key-reused-after-retention-answers-its-payment-as-it-is-now-or-422-never-a-second-charge', async () => {
      const k = key();
      const request = order({ amountMinor: 1500 });
      const first = (await pay(app, k, request)).json();
      expect(first.status).toBe('captured');
      const rk = key();
      const refund = async (amountMinor: number) =>
        app.inject({
          method: 'POST',
          url: `/payments/${first.id}/refunds`,
          headers: { ...(await bearer(MERCHANT)), 'idempotency-key': rk },
          payload: { amountMinor },
        });
      const part = (await refund(500)).json();

      await purgeKeys(k, rk);
      const other = await pay(app, k, { ...request, amountMinor: 99 });
      expect(other.statusCode).toBe(422);
      expect(other.json().error).toBe('idempotency_key_reused');
      const otherRefund = await refund(600);
      expect(otherRefund.statusCode).toBe(422);

      await purgeKeys(k, rk);
      const again = await pay(app, k, request);
      expect(again.statusCode).toBe(201);
      // The payment as it is now: partly refunded since the key was first used.
      expect(again.json()).toMatchObject({
        id: first.id,
        status: 'partially_refunded',
        refundedMinor: 500,
      });
      const sameRefund = await refund(500);
      expect(sameRefund.statusCode).toBe(201);
      expect(sameRefund.json().id).toBe(part.id);
      expect(await pspCharges(first.id)).toBe(1);
      expect(await pspRefundsOf(first.id)).toEqual([500]);
      expect(await journalEntries(db, first.id)).toEqual(['capture', 'refund']);
    });
  });

  it('leaves a ledger where every entry and every currency sums to zero, and no double charge', async () => {
    const report = await verifyPaymentInvariants(db.pool, pspDb.pool);
    expect(report).toMatchObject({
      unbalancedEntries: 0,
      unbalancedCurrencies: 0,
      paymentsBookedTwice: 0,
      ledgerMismatches: 0,
      paymentsChargedTwice: 0,
    });
    // And the database itself refuses an unbalanced entry at commit.
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      const payment = await client.query(
        `select id from payments where status = 'captured' limit 1`,
      );
      const entry = await client.query(
        `insert into ledger_journal_entries (source, kind, payment_id) values ('bad', 'capture', $1) returning id`,
        [payment.rows[0].id],
      );
      await client.query(
        `insert into ledger_postings (journal_entry_id, account_code, currency, amount_minor)
         values ($1, 'psp_clearing:EUR', 'EUR', 5)`,
        [entry.rows[0].id],
      );
      await expect(client.query('commit')).rejects.toThrow(/does not sum to zero/);
    } finally {
      client.release();
    }
  });
});
