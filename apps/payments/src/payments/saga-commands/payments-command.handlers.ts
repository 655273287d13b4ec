import type { CapturePaymentPayload, RefundPaymentPayload } from '@suite/contracts';
import {
  CAPTURE_PAYMENT_LIMITS,
  PAYMENT_COMMAND_TYPES,
  UNSUPPORTED_CURRENCY_MESSAGE,
  isSupportedCurrency,
} from '@suite/contracts';
import { idempotencyKeyFor, type SagaCommandHandler, type StepOutcome } from '@suite/coordination';
import { isUuid } from '../../http/validation';
import type {
  CreatePaymentOutcome,
  CreatePaymentUseCase,
} from '../create-payment/create-payment.use-case';
import type {
  RefundPaymentOutcome,
  RefundPaymentUseCase,
} from '../refund-payment/refund-payment.use-case';
import type { SettleBeforeRefund } from './settle-before-refund';

// Saga payments are keyed in their own scope: the step's idempotency key is the payment's
// key, so every attempt and every redelivery of one step meets the same payment.
export const SAGA_SCOPE = 'saga';

// The checkout saga's commands. The inbox (startSagaParticipant) drops a redelivered
// message; the idempotency key drops a resent attempt. Expected refusals are replies,
// not exceptions: a malformed command or a PSP refusal is a non-retriable failure, and
// only a broken database throws (then Kafka redelivers).
export function paymentsCommandHandlers(deps: {
  capture: CreatePaymentUseCase;
  refund: RefundPaymentUseCase;
  settleBeforeRefund: SettleBeforeRefund;
}): Record<string, SagaCommandHandler> {
  return {
    [PAYMENT_COMMAND_TYPES.capture]: async (_tx, command) => {
      const payload = validCapture(command.payload);
      if (typeof payload === 'string') {
        return {
          outcome: 'failed',
          retriable: false,
          reason: `malformed CapturePayment: ${payload}`,
        };
      }
      const outcome = await deps.capture.execute({
        scope: SAGA_SCOPE,
        key: command.idempotencyKey,
        ...payload,
      });
      return captureReply(outcome);
    },

    [PAYMENT_COMMAND_TYPES.refund]: async (_tx, command) => {
      const payload = command.payload as RefundPaymentPayload;
      if (payload.paymentId !== undefined && !isUuid(payload.paymentId)) {
        return {
          outcome: 'failed',
          retriable: false,
          reason: 'malformed RefundPayment: paymentId',
        };
      }
      // The capture's money must be known before anything is answered (or stored under
      // the compensation's key): "nothing to refund" must stay true on every replay.
      const settled = await deps.settleBeforeRefund.execute({
        scope: SAGA_SCOPE,
        captureKey:
          payload.captureIdempotencyKey ??
          idempotencyKeyFor(command.sagaId, command.step, 'action'),
        ...(payload.paymentId ? { paymentId: payload.paymentId } : {}),
      });
      if (settled.kind === 'unsettled') {
        return { outcome: 'failed', retriable: true, reason: settled.reason };
      }
      const outcome = await deps.refund.execute({
        scope: SAGA_SCOPE,
        key: command.idempotencyKey,
        paymentId: settled.paymentId,
        amountMinor: payload.amountMinor,
      });
      return refundReply(outcome);
    },
  };
}

// The same bounds as POST /payments, which are the PSP's: a capture the PSP would refuse
// fails here, before a payment exists. Returns what is wrong, or the payload.
function validCapture(raw: unknown): CapturePaymentPayload | string {
  const p = (raw ?? {}) as Partial<CapturePaymentPayload>;
  const limits = CAPTURE_PAYMENT_LIMITS;
  if (
    !Number.isInteger(p.amountMinor) ||
    (p.amountMinor as number) < limits.minAmountMinor ||
    (p.amountMinor as number) > limits.maxAmountMinor
  ) {
    return `amountMinor must be an integer from ${limits.minAmountMinor} to ${limits.maxAmountMinor}`;
  }
  if (!isSupportedCurrency(p.currency)) {
    return UNSUPPORTED_CURRENCY_MESSAGE;
  }
  if (
    typeof p.sourceToken !== 'string' ||
    p.sourceToken.length < 1 ||
    p.sourceToken.length > limits.maxSourceTokenLength
  ) {
    return `sourceToken must have 1 to ${limits.maxSourceTokenLength} characters`;
  }
  if (
    typeof p.merchantReference !== 'string' ||
    p.merchantReference.length < 1 ||
    p.merchantReference.length > limits.maxMerchantReferenceLength
  ) {
    return `merchantReference must have 1 to ${limits.maxMerchantReferenceLength} characters`;
  }
  return {
    amountMinor: p.amountMinor as number,
    currency: p.currency,
    sourceToken: p.sourceToken,
    merchantReference: p.merchantReference,
  };
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
