// The saga's decisions as pure functions: given an instance, a definition, an event and the
// time, what is the next instance, which command goes out, and what is written to history.
// No I/O here, so every path is unit-tested with plain values and a fake time.
import { backoffMs, type SagaDefinition, type SagaPhase, type SagaReply } from './saga.definition';
import { assertTransition, isTerminal, type SagaStatus } from './saga.transitions';

export type Waiting = 'reply' | 'retry' | 'nothing';

export interface SagaState {
  status: SagaStatus;
  phase: SagaPhase;
  stepIndex: number;
  attempt: number;
  waiting: Waiting;
  wakeAt: number | null;
  context: Record<string, unknown>;
}

export interface HistoryEntry {
  event: string;
  step?: string;
  phase?: SagaPhase;
  attempt?: number;
  detail?: Record<string, unknown>;
}

export interface Decision {
  state: SagaState;
  // The command to write to the outbox with this decision, if any.
  send?: { stepIndex: number; phase: SagaPhase; attempt: number };
  history: HistoryEntry[];
  // Set when the event changed nothing (a late or duplicate reply, a wake-up with nothing due).
  ignored?: string;
}

export type SagaEvent = { kind: 'reply'; reply: SagaReply } | { kind: 'wake' };

type Definition = SagaDefinition<Record<string, unknown>>;

function stepAt(definition: Definition, index: number) {
  const step = definition.steps[index];
  if (!step) throw new Error(`saga ${definition.type} has no step ${index}`);
  return step;
}

function move(from: SagaState, to: Partial<SagaState> & { status: SagaStatus }): SagaState {
  assertTransition(from.status, to.status);
  return { ...from, ...to };
}

function runStep(
  definition: Definition,
  from: SagaState,
  index: number,
  phase: SagaPhase,
  now: number,
  history: HistoryEntry[],
): Decision {
  const step = stepAt(definition, index);
  const status: SagaStatus = phase === 'action' ? 'running' : 'compensating';
  const state = move(from, {
    status,
    phase,
    stepIndex: index,
    attempt: 1,
    waiting: 'reply',
    wakeAt: now + step.timeoutMs,
  });
  history.push({
    event: phase === 'action' ? 'step-started' : 'compensation-started',
    step: step.name,
    phase,
    attempt: 1,
  });
  return { state, send: { stepIndex: index, phase, attempt: 1 }, history };
}

function finish(
  from: SagaState,
  status: 'completed' | 'compensated' | 'failed',
  history: HistoryEntry[],
): Decision {
  history.push({ event: status });
  return { state: move(from, { status, waiting: 'nothing', wakeAt: null }), history };
}

// The highest step at or below `index` that has something to undo.
function nextToCompensate(definition: Definition, index: number): number | undefined {
  for (let i = index; i >= 0; i--) if (stepAt(definition, i).compensation) return i;
  return undefined;
}

// Forward progress is over: undo, newest first, every step that may have had an effect.
function compensateFrom(
  definition: Definition,
  from: SagaState,
  index: number,
  now: number,
  history: HistoryEntry[],
): Decision {
  const target = nextToCompensate(definition, index);
  if (target === undefined) return finish(from, 'compensated', history);
  return runStep(definition, from, target, 'compensation', now, history);
}

// An attempt failed or timed out: back off and retry, or give up on the step.
//
// `unknown` says the step may have taken effect (no reply, or a participant that could not
// tell): once such a step gives up, it is compensated itself, not only the steps before it.
// Compensations must therefore be safe when their action never happened.
//
// A compensation never gives up on an unknown outcome: it undoes something that may be
// holding a customer's money, so it keeps retrying at the capped backoff until the
// participant answers. Only a participant's definitive refusal ends it as `failed`.
function retryOrGiveUp(
  definition: Definition,
  from: SagaState,
  now: number,
  timedOut: boolean,
  reason: string,
  history: HistoryEntry[],
): Decision {
  const step = stepAt(definition, from.stepIndex);
  const base = { step: step.name, phase: from.phase, attempt: from.attempt };
  const keepTrying = from.phase === 'compensation' || from.attempt < step.retry.maxAttempts;
  if (keepTrying) {
    const wait = backoffMs(step.retry, from.attempt);
    history.push({
      ...base,
      event: timedOut ? 'attempt-timed-out' : 'attempt-failed',
      detail: { reason, retryInMs: wait },
    });
    // Said once, when a compensation outlives its step's budget: a person may want to look,
    // but nothing is abandoned.
    if (from.phase === 'compensation' && from.attempt === step.retry.maxAttempts) {
      history.push({ ...base, event: 'compensation-overdue', detail: { reason } });
    }
    return {
      state: move(from, { status: from.status, waiting: 'retry', wakeAt: now + wait }),
      history,
    };
  }
  history.push({ ...base, event: 'step-gave-up', detail: { reason } });
  return compensateFrom(definition, from, from.stepIndex, now, history);
}

export function startSaga(
  definition: Definition,
  context: Record<string, unknown>,
  now: number,
): Decision {
  const initial: SagaState = {
    status: 'running',
    phase: 'action',
    stepIndex: 0,
    attempt: 1,
    waiting: 'reply',
    wakeAt: null,
    context,
  };
  const step = stepAt(definition, 0);
  return {
    state: { ...initial, wakeAt: now + step.timeoutMs },
    send: { stepIndex: 0, phase: 'action', attempt: 1 },
    history: [
      { event: 'started' },
      { event: 'step-started', step: step.name, phase: 'action', attempt: 1 },
    ],
  };
}

export function decide(
  definition: Definition,
  state: SagaState,
  event: SagaEvent,
  now: number,
): Decision {
  if (isTerminal(state.status)) return { state, history: [], ignored: `saga is ${state.status}` };
  const step = stepAt(definition, state.stepIndex);
  const history: HistoryEntry[] = [];

  if (event.kind === 'wake') {
    if (state.wakeAt === null || state.wakeAt > now)
      return { state, history, ignored: 'nothing due' };
    if (state.waiting === 'retry') {
      const attempt = state.attempt + 1;
      history.push({ event: 'attempt-started', step: step.name, phase: state.phase, attempt });
      return {
        state: move(state, {
          status: state.status,
          attempt,
          waiting: 'reply',
          wakeAt: now + step.timeoutMs,
        }),
        send: { stepIndex: state.stepIndex, phase: state.phase, attempt },
        history,
      };
    }
    return retryOrGiveUp(
      definition,
      state,
      now,
      true,
      `no reply within ${step.timeoutMs} ms`,
      history,
    );
  }

  const { reply } = event;
  // Only the reply to the attempt being waited on counts. A reply to an earlier step or
  // phase, or to an earlier attempt of this one, is stale: that attempt was already counted
  // when it timed out, and taking its answer now would spend the current attempt on it
  // (a late "outcome unknown" would start a third attempt while the second is in flight).
  if (reply.step !== step.name || reply.phase !== state.phase) {
    return { state, history, ignored: `stale reply for ${reply.phase} ${reply.step}` };
  }
  if (reply.attempt !== state.attempt || state.waiting !== 'reply') {
    return {
      state,
      history,
      ignored: `stale reply to attempt ${reply.attempt} of ${reply.phase} ${reply.step}`,
    };
  }
  const base = { step: step.name, phase: state.phase, attempt: state.attempt };

  if (reply.outcome === 'succeeded') {
    if (state.phase === 'action') {
      history.push({
        ...base,
        event: 'step-succeeded',
        ...(reply.data ? { detail: reply.data } : {}),
      });
      const next = { ...state, context: { ...state.context, ...(reply.data ?? {}) } };
      if (state.stepIndex === definition.steps.length - 1)
        return finish(next, 'completed', history);
      return runStep(definition, next, state.stepIndex + 1, 'action', now, history);
    }
    history.push({ ...base, event: 'compensation-succeeded' });
    return compensateFrom(definition, state, state.stepIndex - 1, now, history);
  }

  const reason = reply.reason ?? 'participant reported failure';
  if (reply.retriable) return retryOrGiveUp(definition, state, now, false, reason, history);
  // A definitive refusal: the action changed nothing (so only earlier steps are undone), or
  // the compensation cannot be done, which a person must decide (`failed`).
  history.push({
    ...base,
    event: state.phase === 'action' ? 'step-failed' : 'compensation-failed',
    detail: { reason },
  });
  if (state.phase === 'compensation') return finish(state, 'failed', history);
  return compensateFrom(definition, state, state.stepIndex - 1, now, history);
}
