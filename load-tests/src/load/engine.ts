// The load engine. Open model: arrivals are scheduled from the stages and each starts an
// iteration at its time whether or not earlier ones have answered; when `maxInFlight`
// iterations are running a due arrival is dropped and counted, never delayed. Closed model:
// `vus` users each loop iteration, think time, iteration. Every request's latency counts from
// when it was meant to start (the iteration's scheduled time for its first request), so a
// generator that falls behind a slow server cannot hide the wait (no coordinated omission).
import { sleep, type Clock } from './clock';
import { Recorder } from './recorder';
import { arrivals, stageWindows, type ClosedLoad, type OpenLoad, type StageWindow } from './stages';

export interface IterationContext {
  // Which iteration this is (0, 1, ...) and which virtual user runs it (closed model).
  readonly iteration: number;
  readonly vu: number;
  readonly scheduledAtMs: number;
  // Runs one named request. `ok` says which HTTP statuses are not errors. A status outside it
  // is counted as error `http_<status>` and returned; a throw is counted (`timeout` or
  // `network`) and rethrown, which ends the iteration.
  request<T extends { status: number }>(
    name: string,
    send: () => Promise<T>,
    ok: readonly number[],
  ): Promise<T>;
  // Think time: the next request is meant to start after it.
  sleep(ms: number): Promise<void>;
}

// One iteration; what it returns (if anything) is tallied as its outcome.
export type Iteration = (ctx: IterationContext) => Promise<string | void>;

export interface RunOptions {
  clock: Clock;
  // Called every `progressEveryMs` with the recorder, for a progress line.
  onProgress?: (recorder: Recorder, elapsedMs: number) => void;
  progressEveryMs?: number;
  // Once the schedule is over, how long running iterations get to finish before the run
  // ends without them (they are counted as cut off).
  gracefulStopMs?: number;
}

export interface RunResult {
  recorder: Recorder;
  windows: StageWindow[];
  startMs: number;
  endMs: number;
  // Iterations still running when the graceful stop ran out.
  cutOff: number;
}

export function errorKind(error: unknown): string {
  // fetch rejects with a DOMException on a timeout, which is not always an Error.
  const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  return error instanceof Error ? 'network' : 'unknown';
}

class Context implements IterationContext {
  private intendedStartMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly recorder: Recorder,
    readonly iteration: number,
    readonly vu: number,
    readonly scheduledAtMs: number,
    private readonly stage: number,
  ) {
    this.intendedStartMs = scheduledAtMs;
  }

  async request<T extends { status: number }>(
    name: string,
    send: () => Promise<T>,
    ok: readonly number[],
  ): Promise<T> {
    const from = this.intendedStartMs;
    try {
      const result = await send();
      const now = this.clock.now();
      this.recorder.request(
        name,
        now,
        now - from,
        this.stage,
        ok.includes(result.status) ? undefined : `http_${result.status}`,
      );
      this.intendedStartMs = now;
      return result;
    } catch (error) {
      const now = this.clock.now();
      this.recorder.request(name, now, now - from, this.stage, errorKind(error));
      this.intendedStartMs = now;
      throw error;
    }
  }

  async sleep(ms: number): Promise<void> {
    await sleep(this.clock, ms);
    this.intendedStartMs = this.clock.now();
  }
}

async function runOne(
  clock: Clock,
  recorder: Recorder,
  iteration: Iteration,
  ctx: Context,
): Promise<void> {
  let outcome: string | void = undefined;
  let error: string | undefined;
  try {
    outcome = await iteration(ctx);
  } catch (e) {
    error = errorKind(e);
  }
  recorder.completed(clock.now(), outcome ?? undefined, error);
}

// Waits for the running iterations, at most until `deadlineMs`; returns how many were left.
async function drain(clock: Clock, running: Set<Promise<void>>, deadlineMs: number) {
  while (running.size > 0 && clock.now() < deadlineMs) {
    await Promise.race([...running, clock.sleepUntil(Math.min(deadlineMs, clock.now() + 100))]);
  }
  return running.size;
}

function progressLoop(options: RunOptions, recorder: Recorder, startMs: number) {
  const every = options.progressEveryMs ?? 5_000;
  let stopped = false;
  const loop = (async () => {
    if (!options.onProgress) return;
    for (let tick = 1; !stopped; tick++) {
      await options.clock.sleepUntil(startMs + tick * every);
      if (!stopped) options.onProgress(recorder, options.clock.now() - startMs);
    }
  })();
  // Not awaited: the loop's last timer may be seconds away, and it does nothing once stopped.
  void loop.catch(() => undefined);
  return () => {
    stopped = true;
  };
}

export async function runOpen(
  load: OpenLoad,
  iteration: Iteration,
  options: RunOptions,
): Promise<RunResult> {
  const { clock } = options;
  const windows = stageWindows(load.stages);
  const startMs = clock.now();
  const recorder = new Recorder(startMs);
  const running = new Set<Promise<void>>();
  const stopProgress = progressLoop(options, recorder, startMs);
  let index = 0;
  let sinceYield = 0;
  // One pass over a finite schedule: the loop ends when the arrivals do.
  for (const arrival of arrivals(windows)) {
    const at = startMs + arrival.atMs;
    await clock.sleepUntil(at);
    // Behind schedule, several arrivals are due at once: start them all now, but let
    // responses in every few so that catching up does not starve the event loop.
    if (++sinceYield >= 64) {
      sinceYield = 0;
      await clock.yield();
    }
    recorder.scheduled(at, arrival.stage);
    if (recorder.inFlight >= load.maxInFlight) {
      recorder.dropped(clock.now(), arrival.stage);
      continue;
    }
    recorder.sent(at, clock.now(), arrival.stage);
    const ctx = new Context(clock, recorder, index++, 0, at, arrival.stage);
    const task: Promise<void> = runOne(clock, recorder, iteration, ctx).finally(() =>
      running.delete(task),
    );
    running.add(task);
  }
  const scheduleEndMs = startMs + (windows.at(-1)?.endMs ?? 0);
  await clock.sleepUntil(scheduleEndMs);
  const cutOff = await drain(clock, running, clock.now() + (options.gracefulStopMs ?? 30_000));
  stopProgress();
  const endMs = clock.now();
  recorder.finish(endMs);
  return { recorder, windows, startMs, endMs, cutOff };
}

export async function runClosed(
  load: ClosedLoad,
  iteration: Iteration,
  options: RunOptions,
): Promise<RunResult> {
  const { clock } = options;
  const startMs = clock.now();
  const deadline = startMs + load.durationS * 1000;
  const limit = load.iterations ?? Number.POSITIVE_INFINITY;
  // The closed model has one "stage": its users, for its duration.
  const windows: StageWindow[] = [
    { index: 0, from: 0, to: 0, startMs: 0, endMs: load.durationS * 1000, requested: 0 },
  ];
  const recorder = new Recorder(startMs);
  const stopProgress = progressLoop(options, recorder, startMs);
  let started = 0;
  const user = async (vu: number) => {
    // Bounded twice: by the deadline and by the iteration count.
    while (clock.now() < deadline && started < limit) {
      const at = clock.now();
      const index = started++;
      recorder.scheduled(at, 0);
      recorder.sent(at, at, 0);
      await runOne(clock, recorder, iteration, new Context(clock, recorder, index, vu, at, 0));
      if (load.thinkTimeMs) await sleep(clock, load.thinkTimeMs);
    }
  };
  const users = new Set<Promise<void>>();
  for (let vu = 0; vu < load.vus; vu++) {
    const task: Promise<void> = user(vu).finally(() => users.delete(task));
    users.add(task);
  }
  const cutOff = await drain(
    clock,
    users,
    Math.max(deadline, clock.now()) + (options.gracefulStopMs ?? 30_000),
  );
  stopProgress();
  const endMs = clock.now();
  recorder.finish(endMs);
  return { recorder, windows, startMs, endMs, cutOff };
}
