import type { SqlExecutor, TransactionRunner } from '@suite/coordination';
import type { Payment } from '../domain/payment';
import type { PaymentsRepository } from '../infra/payments.repository';
import { GetPaymentUseCase } from './get-payment.use-case';

const payment = (id: string, idempotencyScope: string): Payment => ({
  id,
  idempotencyScope,
  idempotencyKey: 'k-1',
  pspKey: id,
  amountMinor: 2500,
  currency: 'EUR',
  sourceToken: 'tok_visa',
  merchantReference: 'order-1',
  status: 'captured',
  pspChargeId: 'ch_1',
  failureReason: null,
  refundedMinor: 0,
  chargeAttemptedAt: new Date('2026-01-01T00:00:00Z'),
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
});

const ALICES = '11111111-1111-4111-8111-111111111111';
const SAGAS = '22222222-2222-4222-8222-222222222222';
const stored = new Map([
  [ALICES, payment(ALICES, 'user:alice')],
  [SAGAS, payment(SAGAS, 'saga')],
]);
const sql: SqlExecutor = { query: async () => ({ rows: [], rowCount: 0 }) };
const transactions: TransactionRunner = {
  inTransaction: <T>(work: (tx: SqlExecutor) => Promise<T>) => work(sql),
};
const payments = {
  findById: async (_sql: SqlExecutor, id: string) => stored.get(id) ?? null,
} as Pick<PaymentsRepository, 'findById'> as PaymentsRepository;
const getPayment = new GetPaymentUseCase(transactions, payments);

describe('get payment', () => {
  it('shows the payment to the caller whose scope created it', async () => {
    expect(await getPayment.execute({ scope: 'user:alice', paymentId: ALICES })).toMatchObject({
      kind: 'found',
      payment: { id: ALICES, status: 'captured', amountMinor: 2500 },
    });
  });

  it("answers another caller's payment exactly like an unknown one", async () => {
    const UNKNOWN = '33333333-3333-4333-8333-333333333333';
    const unknown = await getPayment.execute({ scope: 'user:bob', paymentId: UNKNOWN });
    const notBobs = await getPayment.execute({ scope: 'user:bob', paymentId: ALICES });
    expect(unknown).toEqual({ kind: 'not-found', paymentId: UNKNOWN });
    expect(notBobs).toEqual({ kind: 'not-found', paymentId: ALICES });
  });

  it('shows a saga-created payment to no HTTP caller', async () => {
    const notFound = { kind: 'not-found', paymentId: SAGAS };
    expect(await getPayment.execute({ scope: 'user:alice', paymentId: SAGAS })).toEqual(notFound);
    expect(await getPayment.execute({ scope: 'user:saga', paymentId: SAGAS })).toEqual(notFound);
  });
});
