import type { TransactionRunner } from '../../ports/transaction-runner';
import { SagaOrchestrator } from './saga.orchestrator';

// changed(): a waiter in this process learns of a committed change without polling, and
// still wakes on its own after the time it gave.
describe('SagaOrchestrator.changed', () => {
  const tx: TransactionRunner = {
    inTransaction: () => Promise.reject(new Error('no database in this test')),
  };
  const orchestrator = () => new SagaOrchestrator({ tx, outbox: async () => undefined });

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves when the saga is notified, and only that saga', async () => {
    const o = orchestrator();
    let a = false;
    let b = false;
    void o.changed('saga-a', 10_000).then(() => (a = true));
    void o.changed('saga-b', 10_000).then(() => (b = true));
    o.notify('saga-a');
    await Promise.resolve();
    expect([a, b]).toEqual([true, false]);
  });

  it('resolves by itself after withinMs when nothing changes', async () => {
    const o = orchestrator();
    let done = false;
    void o.changed('saga-c', 100).then(() => (done = true));
    jest.advanceTimersByTime(99);
    await Promise.resolve();
    expect(done).toBe(false);
    jest.advanceTimersByTime(1);
    await Promise.resolve();
    expect(done).toBe(true);
  });

  it('wakes every waiter of the saga once, and a later notify finds none left', async () => {
    const o = orchestrator();
    const woken: number[] = [];
    void o.changed('saga-d', 10_000).then(() => woken.push(1));
    void o.changed('saga-d', 10_000).then(() => woken.push(2));
    o.notify('saga-d');
    o.notify('saga-d');
    await Promise.resolve();
    expect(woken.sort()).toEqual([1, 2]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('has nothing to drive without local participants', async () => {
    const o = orchestrator();
    expect(o.hasLocalParticipants).toBe(false);
  });
});
