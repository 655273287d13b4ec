import type { CapturePaymentPayload, RefundPaymentPayload } from '@suite/contracts';
import { PAYMENT_COMMAND_TYPES } from '@suite/contracts';
import {
  idempotencyKeyFor,
  type SagaCommandEnvelope,
  type SagaCommandHandler,
  type StepOutcome,
} from '@suite/coordination';
import type { TypeOrmTransactions } from '../../database/typeorm-transactions';
import type {
  CreatePaymentOutcome,
  CreatePaymentUseCase,
} from '../create-payment/create-payment.use-case';
import type { PaymentsRepository } from '../infra/payments.repository';
import type {
  RefundPaymentOutcome,
  RefundPaymentUseCase,
} from '../refund-payment/refund-payment.use-case';

// Saga payments are keyed in their own scope: the step's idempotency key is the payment's
// key, so every attempt and every redelivery of one step meets the same payment.
export const SAGA_SCOPE = 'saga';

// The checkout saga's commands. The inbox (startSagaParticipant) drops a redelivered
// message; the idempotency key drops a resent attempt. Expected refusals are replies,
// not exceptions: only a broken database throws, and then Kafka redelivers.
export function paymentsCommandHandlers(deps: {
  capture: CreatePaymentUseCase;
  refund: RefundPaymentUseCase;
  payments: PaymentsRepository;
  transactions: TypeOrmTransactions;
}): Record<string, SagaCommandHandler> {
  return {
    [PAYMENT_COMMAND_TYPES.capture]: async (_tx, command) => {
      const payload = command.payload as Partial<CapturePaymentPayload>;
      if (
        !Number.isInteger(payload.amountMinor) ||
        typeof payload.currency !== 'string' ||
        typeof payload.sourceToken !== 'string' ||
        typeof payload.merchantReference !== 'string'
      ) {
        return { outcome: 'failed', retriable: false, reason: 'malformed CapturePayment payload' };
      }
      const outcome = await deps.capture.execute({
        scope: SAGA_SCOPE,
        key: command.idempotencyKey,
        amountMinor: payload.amountMinor as number,
        currency: payload.currency,
        sourceToken: payload.sourceToken,
        merchantReference: payload.merchantReference,
      });
      return captureReply(outcome);
    },

    [PAYMENT_COMMAND_TYPES.refund]: async (_tx, command) => {
      const payload = command.payload as RefundPaymentPayload;
      const paymentId = payload.paymentId ?? (await capturedPaymentOf(deps, command, payload));
      // The capture never made a payment: there is nothing to give back.
      if (!paymentId) return { outcome: 'succeeded', data: { refunded: false } };
      const outcome = await deps.refund.execute({
        scope: SAGA_SCOPE,
        key: command.idempotencyKey,
        paymentId,
        amountMinor: payload.amountMinor,
      });
      return refundReply(outcome);
    },
  };
}

async function capturedPaymentOf(
  deps: { payments: PaymentsRepository; transactions: TypeOrmTransactions },
  command: SagaCommandEnvelope,
  payload: RefundPaymentPayload,
): Promise<string | undefined> {
  const key =
    payload.captureIdempotencyKey ?? idempotencyKeyFor(command.sagaId, command.step, 'action');
  const payment = await deps.transactions.inTransaction((sql) =>
    deps.payments.findByKey(sql, SAGA_SCOPE, key),
  );
  return payment?.id;
}

function captureReply(outcome: CreatePaymentOutcome): StepOutcome {
  switch (outcome.kind) {
    case 'responded': {
      const body = outcome.response.body as { id?: string; message?: string };
      return outcome.response.status === 201
        ? { outcome: 'succeeded', data: { paymentId: body.id } }
        : { outcome: 'failed', retriable: false, reason: body.message ?? 'payment failed' };
    }
    case 'in-progress':
      return { outcome: 'failed', retriable: true, reason: 'capture in progress' };
    case 'outcome-unknown':
      return {
        outcome: 'failed',
        retriable: true,
        reason: `PSP outcome unknown: ${outcome.reason}`,
      };
    case 'payload-mismatch':
      return {
        outcome: 'failed',
        retriable: false,
        reason: 'idempotency key reused with another payload',
      };
    case 'invalid-key':
      return { outcome: 'failed', retriable: false, reason: outcome.reason };
  }
}

function refundReply(outcome: RefundPaymentOutcome): StepOutcome {
  switch (outcome.kind) {
    case 'responded': {
      const body = outcome.response.body as { id?: string; message?: string; error?: string };
      if (outcome.response.status === 201)
        return { outcome: 'succeeded', data: { refundId: body.id } };
      // A payment that failed has nothing to refund: the compensation is already true.
      if (body.error === 'payment_not_refundable' || body.error === 'amount_too_large') {
        return { outcome: 'succeeded', data: { refunded: false } };
      }
      return { outcome: 'failed', retriable: false, reason: body.message ?? 'refund failed' };
    }
    case 'in-progress':
    case 'outcome-unknown':
      return { outcome: 'failed', retriable: true, reason: 'refund not settled yet' };
    case 'payload-mismatch':
    case 'invalid-key':
      return { outcome: 'failed', retriable: false, reason: outcome.kind };
  }
}
