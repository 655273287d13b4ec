import type { SqlExecutor } from '../../ports/sql-executor';
import type { OutgoingMessage } from '../../ports/message-producer';

export interface RetryPolicy {
  // Attempts in all, the first one included.
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

// What a step asks a participant to do. The orchestrator wraps it in a SagaCommandEnvelope.
export interface SagaCommand {
  topic: string;
  type: string;
  payload: Record<string, unknown>;
}

export interface SagaStep<C> {
  // Stable: it is part of the idempotency key and of persisted state.
  name: string;
  action(context: C): SagaCommand;
  // Absent when the step changes nothing that must be undone (a verification, say).
  compensation?(context: C): SagaCommand;
  // How long to wait for a reply before the attempt counts as failed.
  timeoutMs: number;
  retry: RetryPolicy;
}

export interface SagaDefinition<C extends Record<string, unknown>> {
  type: string;
  steps: readonly SagaStep<C>[];
  // Where participants send their replies.
  replyTopic: string;
}

export type SagaPhase = 'action' | 'compensation';

// The message a participant receives. The idempotency key is the same for every attempt of
// one step, so a participant that dedupes on it applies the step once however often the
// orchestrator resends it.
export interface SagaCommandEnvelope {
  sagaId: string;
  sagaType: string;
  step: string;
  phase: SagaPhase;
  attempt: number;
  idempotencyKey: string;
  type: string;
  replyTopic: string;
  payload: Record<string, unknown>;
}

export interface SagaReply {
  sagaId: string;
  step: string;
  phase: SagaPhase;
  // The attempt this reply answers. Only the attempt the saga is waiting on counts: a late
  // answer to an earlier attempt was already counted (as a timeout) when it ran out.
  attempt: number;
  outcome: 'succeeded' | 'failed';
  // A failed reply that may succeed if tried again (a timeout at the participant's PSP, say).
  // It also means the outcome is not known: the step may have taken effect, so a step that
  // gives up after a retriable failure is compensated itself.
  retriable?: boolean;
  // Merged into the saga's context on success, e.g. the id of the payment captured.
  data?: Record<string, unknown>;
  reason?: string;
}

// Writes a message in the caller's transaction: the transactional outbox.
export type SagaOutbox = (
  sql: SqlExecutor,
  topic: string,
  message: OutgoingMessage,
) => Promise<void>;

export function idempotencyKeyFor(sagaId: string, step: string, phase: SagaPhase): string {
  return phase === 'action' ? `${sagaId}:${step}` : `${sagaId}:${step}:compensation`;
}

// Exponential backoff before attempt n+1, capped.
export function backoffMs(policy: RetryPolicy, failedAttempt: number): number {
  // Capped before it is computed, so attempt 2,000 of a compensation is not Infinity.
  const exponent = Math.min(Math.max(0, failedAttempt - 1), 52);
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** exponent);
}

// The shortest time an action step can take to give up when no reply ever comes: every
// attempt waits its full timeout, with the backoffs between. A participant that is down
// for less than this (a restart, a consumer-group failover) cannot make the step give up.
export function stepBudgetMs(step: Pick<SagaStep<never>, 'timeoutMs' | 'retry'>): number {
  let total = 0;
  for (let attempt = 1; attempt <= step.retry.maxAttempts; attempt++) {
    total += step.timeoutMs;
    if (attempt < step.retry.maxAttempts) total += backoffMs(step.retry, attempt);
  }
  return total;
}

export function validateDefinition<C extends Record<string, unknown>>(
  definition: SagaDefinition<C>,
): void {
  const names = new Set<string>();
  if (definition.steps.length === 0) throw new Error(`saga ${definition.type} has no steps`);
  for (const step of definition.steps) {
    if (names.has(step.name))
      throw new Error(`saga ${definition.type} repeats step name ${step.name}`);
    names.add(step.name);
    if (step.retry.maxAttempts < 1)
      throw new Error(`step ${step.name}: maxAttempts must be at least 1`);
    if (step.timeoutMs <= 0) throw new Error(`step ${step.name}: timeoutMs must be positive`);
  }
}
