import { setTimeout as sleep } from 'node:timers/promises';
import { stopInStages, type StoppableWorker } from './stop-in-stages';

// A worker whose stop takes `ms` and records when it began and ended.
function worker(name: string, ms: number, log: string[], fail = false): StoppableWorker {
  return {
    async stop() {
      log.push(`${name} stopping`);
      await sleep(ms);
      log.push(`${name} stopped`);
      if (fail) throw new Error(`${name} failed`);
    },
  };
}

describe('stopInStages', () => {
  it('stops-the-workers-of-a-stage-together-so-a-stage-costs-its-slowest-worker', async () => {
    const log: string[] = [];
    const started = performance.now();
    await stopInStages(
      [[worker('a', 300, log), worker('b', 300, log), worker('c', 300, log)]],
      () => undefined,
    );
    // One after another they would take 900 ms.
    expect(performance.now() - started).toBeLessThan(600);
    expect(log.slice(0, 3).sort()).toEqual(['a stopping', 'b stopping', 'c stopping']);
  });

  it('begins-a-stage-only-after-every-worker-of-the-stage-before-stopped', async () => {
    const log: string[] = [];
    await stopInStages(
      [[worker('consumer', 50, log), worker('recoverer', 10, log)], [worker('relay', 10, log)]],
      () => undefined,
    );
    expect(log.indexOf('relay stopping')).toBeGreaterThan(log.indexOf('consumer stopped'));
    expect(log.indexOf('relay stopping')).toBeGreaterThan(log.indexOf('recoverer stopped'));
  });

  it('reports-a-failed-stop-and-still-stops-the-rest', async () => {
    const log: string[] = [];
    const errors: string[] = [];
    await stopInStages(
      [[worker('consumer', 10, log, true), worker('sweeper', 30, log)], [worker('relay', 10, log)]],
      (error) => errors.push((error as Error).message),
    );
    expect(errors).toEqual(['consumer failed']);
    expect(log).toContain('sweeper stopped');
    expect(log).toContain('relay stopped');
  });
});
