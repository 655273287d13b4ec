import fc from 'fast-check';
import { backoffMs, stepBudgetMs, type SagaDefinition, type SagaReply } from './saga.definition';
import { decide, startSaga, type Decision, type SagaState } from './saga.engine';
import { isTerminal, VALID_TRANSITIONS } from './saga.transitions';

type Ctx = Record<string, unknown>;
const retry = { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1_000 };
const command = (type: string) => () => ({ topic: 'participants', type, payload: {} });

// verify (nothing to undo) -> capture (refund) -> confirm (release)
const checkout: SagaDefinition<Ctx> = {
  type: 'checkout',
  replyTopic: 'replies',
  steps: [
    { name: 'verify', action: command('Verify'), timeoutMs: 1_000, retry },
    {
      name: 'capture',
      action: command('Capture'),
      compensation: command('Refund'),
      timeoutMs: 1_000,
      retry,
    },
    {
      name: 'confirm',
      action: command('Confirm'),
      compensation: command('Release'),
      timeoutMs: 1_000,
      retry,
    },
  ],
};

const reply = (
  state: SagaState,
  outcome: 'succeeded' | 'failed',
  extra: Partial<SagaReply> = {},
): SagaReply => ({
  sagaId: 's1',
  step: checkout.steps[state.stepIndex]?.name ?? '',
  phase: state.phase,
  attempt: state.attempt,
  outcome,
  ...extra,
});

const sentType = (d: Decision) => {
  if (!d.send) return undefined;
  const step = checkout.steps[d.send.stepIndex];
  return (d.send.phase === 'action' ? step?.action : step?.compensation)?.({}).type;
};

describe('saga engine', () => {
  it('runs every step in order and completes, merging reply data into the context', () => {
    let d = startSaga(checkout, { order: 'o1' }, 0);
    expect(sentType(d)).toBe('Verify');
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 10);
    expect(sentType(d)).toBe('Capture');
    d = decide(
      checkout,
      d.state,
      { kind: 'reply', reply: reply(d.state, 'succeeded', { data: { paymentId: 'p1' } }) },
      20,
    );
    expect(sentType(d)).toBe('Confirm');
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 30);
    expect(d.state).toMatchObject({
      status: 'completed',
      waiting: 'nothing',
      wakeAt: null,
      context: { order: 'o1', paymentId: 'p1' },
    });
    expect(d.send).toBeUndefined();
  });

  it('has nothing to undo when the first step fails', () => {
    const s = startSaga(checkout, {}, 0).state;
    const d = decide(checkout, s, { kind: 'reply', reply: reply(s, 'failed') }, 5);
    expect(d.state.status).toBe('compensated');
    expect(d.send).toBeUndefined();
  });

  it('compensates completed steps newest first when a later step fails', () => {
    let d = startSaga(checkout, {}, 0);
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 1); // verify
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 2); // capture
    d = decide(
      checkout,
      d.state,
      { kind: 'reply', reply: reply(d.state, 'failed', { reason: 'seat gone' }) },
      3,
    ); // confirm fails
    // confirm reported failure, so it changed nothing: the refund is the first compensation
    expect(d.state).toMatchObject({ status: 'compensating', phase: 'compensation', stepIndex: 1 });
    expect(sentType(d)).toBe('Refund');
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 4);
    // verify has no compensation: done
    expect(d.state.status).toBe('compensated');
  });

  it('retries a timed-out step after a backoff, with the same step and a new attempt', () => {
    let d = startSaga(checkout, {}, 0);
    expect(decide(checkout, d.state, { kind: 'wake' }, 999).ignored).toBe('nothing due');
    d = decide(checkout, d.state, { kind: 'wake' }, 1_000);
    expect(d.state).toMatchObject({ waiting: 'retry', wakeAt: 1_100, attempt: 1 });
    expect(d.send).toBeUndefined();
    d = decide(checkout, d.state, { kind: 'wake' }, 1_100);
    expect(d.state).toMatchObject({ waiting: 'reply', wakeAt: 2_100, attempt: 2 });
    expect(d.send).toEqual({ stepIndex: 0, phase: 'action', attempt: 2 });
  });

  it('undoes a step whose every attempt timed out, since it may have taken effect', () => {
    let d = startSaga(checkout, {}, 0);
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 1); // verify ok, capture sent
    let now = 1;
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
      now = d.state.wakeAt ?? now;
      d = decide(checkout, d.state, { kind: 'wake' }, now); // timed out
      if (d.state.waiting === 'retry')
        d = decide(checkout, d.state, { kind: 'wake' }, (now = d.state.wakeAt ?? now));
    }
    expect(d.state).toMatchObject({ status: 'compensating', stepIndex: 1, phase: 'compensation' });
    expect(sentType(d)).toBe('Refund');
  });

  it('counts only the reply to the attempt it waits on, never a late one of an earlier attempt', () => {
    let d = startSaga(checkout, {}, 0);
    d = decide(checkout, d.state, { kind: 'wake' }, 1_000); // attempt 1 timed out, waiting to retry
    const attempt1 = { ...d.state, waiting: 'reply' as const };
    // While waiting out the backoff, attempt 1's late answer was already counted as a timeout.
    const whileWaiting = decide(
      checkout,
      d.state,
      { kind: 'reply', reply: reply(attempt1, 'succeeded') },
      1_050,
    );
    expect(whileWaiting.ignored).toMatch(/stale reply to attempt 1/);
    d = decide(checkout, d.state, { kind: 'wake' }, 1_100); // attempt 2 sent
    expect(d.state.attempt).toBe(2);
    // Attempt 1's late "outcome unknown" must not spend attempt 2 and start a third.
    const late = decide(
      checkout,
      d.state,
      { kind: 'reply', reply: reply(attempt1, 'failed', { retriable: true }) },
      1_200,
    );
    expect(late.ignored).toMatch(/stale reply to attempt 1/);
    expect(late.state).toBe(d.state);
    const current = decide(
      checkout,
      d.state,
      { kind: 'reply', reply: reply(d.state, 'succeeded') },
      1_300,
    );
    expect(current.state).toMatchObject({ stepIndex: 1, attempt: 1 });
    const earlierStep = decide(
      checkout,
      current.state,
      {
        kind: 'reply',
        reply: { sagaId: 's1', step: 'verify', phase: 'action', attempt: 1, outcome: 'succeeded' },
      },
      1_400,
    );
    expect(earlierStep.ignored).toMatch(/stale/);
    expect(earlierStep.state).toBe(current.state);
  });

  it('undoes the step itself when its last attempt ended with an unknown outcome', () => {
    let d = startSaga(checkout, {}, 0);
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 1); // capture sent
    let now = 1;
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
      // The participant cannot tell whether the card was charged (its PSP timed out).
      const unknown = reply(d.state, 'failed', { retriable: true, reason: 'PSP outcome unknown' });
      d = decide(checkout, d.state, { kind: 'reply', reply: unknown }, (now += 1));
      if (d.state.waiting === 'retry')
        d = decide(checkout, d.state, { kind: 'wake' }, (now = d.state.wakeAt ?? now));
    }
    // The capture may have charged the card, so its refund is the first compensation.
    expect(d.state).toMatchObject({ status: 'compensating', stepIndex: 1, phase: 'compensation' });
    expect(sentType(d)).toBe('Refund');
    expect(d.history.map((h) => h.event)).toEqual(['step-gave-up', 'compensation-started']);
  });

  it('keeps retrying an unanswered compensation at the capped backoff and never abandons it', () => {
    let d = startSaga(checkout, {}, 0);
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 1);
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 2);
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'failed') }, 3); // refund sent
    let now = 3;
    const events: string[] = [];
    for (let round = 0; round < 50; round++) {
      d = decide(checkout, d.state, { kind: 'wake' }, (now = d.state.wakeAt ?? now)); // timed out
      events.push(...d.history.map((h) => h.event));
      expect(d.state).toMatchObject({ status: 'compensating', waiting: 'retry' });
      expect((d.state.wakeAt ?? 0) - now).toBeLessThanOrEqual(retry.maxBackoffMs);
      d = decide(checkout, d.state, { kind: 'wake' }, (now = d.state.wakeAt ?? now)); // resent
      expect(sentType(d)).toBe('Refund');
    }
    expect(d.state.attempt).toBe(51);
    expect(events.filter((e) => e === 'compensation-overdue')).toHaveLength(1);
    // The participant is back: the compensation ends and the saga with it.
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, now + 1);
    expect(d.state.status).toBe('compensated');
  });

  it('states the shortest time an action step takes to give up', () => {
    // 3 attempts of 1 s, with backoffs of 100 and 200 ms between them
    expect(stepBudgetMs({ timeoutMs: 1_000, retry })).toBe(3_300);
    expect(stepBudgetMs({ timeoutMs: 500, retry: { ...retry, maxAttempts: 1 } })).toBe(500);
    expect(backoffMs(retry, 5_000)).toBe(retry.maxBackoffMs);
  });

  it('fails (for an operator) when a compensation is definitively refused', () => {
    let d = startSaga(checkout, {}, 0);
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 1);
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'succeeded') }, 2);
    d = decide(checkout, d.state, { kind: 'reply', reply: reply(d.state, 'failed') }, 3); // refund starts
    d = decide(
      checkout,
      d.state,
      { kind: 'reply', reply: reply(d.state, 'failed', { reason: 'card closed' }) },
      4,
    );
    expect(d.state.status).toBe('failed');
    expect(decide(checkout, d.state, { kind: 'wake' }, 10_000).ignored).toBe('saga is failed');
  });

  // Any sequence of replies and wake-ups: every move is in the transition table, the
  // compensations sent are in reverse order of the steps that may have taken effect, and
  // the saga reaches a terminal status once participants stop failing.
  it('keeps its invariants under arbitrary replies and timeouts', () => {
    const event = fc.oneof(
      fc.constant({ kind: 'wake' as const }),
      fc.record({
        kind: fc.constant('reply' as const),
        outcome: fc.constantFrom('succeeded' as const, 'failed' as const),
        retriable: fc.boolean(),
        // A late reply to the previous attempt: must change nothing.
        stale: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let d = startSaga(checkout, {}, 0);
        let now = 0;
        const actionsSucceeded: number[] = [];
        const compensationsSent: number[] = [];
        const maybeEffective = new Set<number>();
        const step = (e: Parameters<typeof decide>[2]) => {
          const before = d.state;
          if (
            before.phase === 'action' &&
            e.kind === 'wake' &&
            before.waiting === 'reply' &&
            (before.wakeAt ?? 0) <= now
          ) {
            maybeEffective.add(before.stepIndex);
          }
          // "Failed, retriable" means the participant could not tell: maybe applied.
          if (
            before.phase === 'action' &&
            e.kind === 'reply' &&
            e.reply.outcome === 'failed' &&
            e.reply.retriable &&
            e.reply.attempt === before.attempt
          ) {
            maybeEffective.add(before.stepIndex);
          }
          d = decide(checkout, before, e, now);
          if (d.ignored) expect(d.state).toBe(before);
          else expect(VALID_TRANSITIONS[before.status]).toContain(d.state.status);
          if (e.kind === 'reply' && e.reply.attempt !== before.attempt)
            expect(d.ignored).toBeTruthy();
          if (
            e.kind === 'reply' &&
            !d.ignored &&
            e.reply.outcome === 'succeeded' &&
            before.phase === 'action'
          ) {
            actionsSucceeded.push(before.stepIndex);
          }
          if (d.send?.phase === 'compensation' && d.send.attempt === 1)
            compensationsSent.push(d.send.stepIndex);
        };
        for (const e of events) {
          now = Math.max(now + 1, d.state.wakeAt ?? now);
          step(
            e.kind === 'wake'
              ? e
              : {
                  kind: 'reply',
                  reply: reply(d.state, e.outcome, {
                    retriable: e.retriable,
                    ...(e.stale ? { attempt: d.state.attempt - 1 } : {}),
                  }),
                },
          );
        }
        // Participants now always succeed: the saga must terminate.
        for (let i = 0; i < 20 && !isTerminal(d.state.status); i++) {
          now = Math.max(now + 1, d.state.wakeAt ?? now);
          step(
            d.state.waiting === 'retry'
              ? { kind: 'wake' }
              : { kind: 'reply', reply: reply(d.state, 'succeeded') },
          );
        }
        expect(isTerminal(d.state.status)).toBe(true);
        // Compensations go newest first and only touch steps that succeeded or may have.
        expect([...compensationsSent].sort((a, b) => b - a)).toEqual(compensationsSent);
        for (const i of compensationsSent)
          expect(actionsSucceeded.includes(i) || maybeEffective.has(i)).toBe(true);
        if (d.state.status === 'completed') expect(compensationsSent).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
