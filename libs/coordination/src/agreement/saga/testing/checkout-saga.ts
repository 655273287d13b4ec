// The saga the crash test runs: three steps shaped like a checkout. Shared by the test
// process (which starts sagas and plays the participants) and the orchestrator worker.
import type { SagaDefinition } from '../saga.definition';

export const COMMAND_TYPES = {
  verify: 'VerifyHold',
  capture: 'CapturePayment',
  refund: 'RefundPayment',
  confirm: 'ConfirmSeats',
  release: 'ReleaseSeats',
} as const;

export function checkoutSaga(
  commandTopic: string,
  replyTopic: string,
): SagaDefinition<Record<string, unknown>> {
  const retry = { maxAttempts: 3, initialBackoffMs: 200, maxBackoffMs: 1_000 };
  const command = (type: string) => (ctx: Record<string, unknown>) => ({
    topic: commandTopic,
    type,
    payload: { order: ctx['order'], failAt: ctx['failAt'] ?? null },
  });
  return {
    type: 'checkout',
    replyTopic,
    steps: [
      { name: 'verify-hold', action: command(COMMAND_TYPES.verify), timeoutMs: 8_000, retry },
      {
        name: 'capture',
        action: command(COMMAND_TYPES.capture),
        compensation: command(COMMAND_TYPES.refund),
        timeoutMs: 8_000,
        retry,
      },
      {
        name: 'confirm-seats',
        action: command(COMMAND_TYPES.confirm),
        compensation: command(COMMAND_TYPES.release),
        timeoutMs: 8_000,
        retry,
      },
    ],
  };
}
