// Load shapes. An open model is a list of stages, each holding a rate or ramping it linearly
// from the previous stage's rate (or from `rate`) to `rateTo`; a closed model is a number of
// virtual users looping for a duration.
export type OpenStage =
  | { rate: number; durationS: number }
  | { rate?: number; rateTo: number; durationS: number };

export interface OpenLoad {
  model: 'open';
  stages: OpenStage[];
  // Iterations running at once beyond which a due arrival is dropped (and counted), as k6's
  // dropped_iterations: the generator never waits for the server.
  maxInFlight: number;
}

export interface ClosedLoad {
  model: 'closed';
  vus: number;
  durationS: number;
  // Stops earlier once this many iterations (all users together) have started.
  iterations?: number;
  thinkTimeMs?: number;
}

export type LoadModel = OpenLoad | ClosedLoad;

// A stage with both ends known: requests per second from `from` to `to` over [startMs, endMs).
export interface StageWindow {
  index: number;
  from: number;
  to: number;
  startMs: number;
  endMs: number;
  // Arrivals the stage asks for: the area under its rate line, rounded down.
  requested: number;
}

export function stageWindows(stages: readonly OpenStage[]): StageWindow[] {
  let previous = 0;
  let startMs = 0;
  return stages.map((stage, index) => {
    const from = 'rateTo' in stage ? (stage.rate ?? previous) : stage.rate;
    const to = 'rateTo' in stage ? stage.rateTo : stage.rate;
    if (!(stage.durationS > 0) || from < 0 || to < 0 || !Number.isFinite(from + to)) {
      throw new Error(`stage ${index + 1}: rates must be >= 0 and the duration > 0`);
    }
    const endMs = startMs + stage.durationS * 1000;
    const window = {
      index,
      from,
      to,
      startMs,
      endMs,
      requested: Math.floor(((from + to) / 2) * stage.durationS + 1e-9),
    };
    previous = to;
    startMs = endMs;
    return window;
  });
}

// The k-th arrival (k = 0, 1, ...) of a stage falls where the arrivals so far, the integral of
// the rate, reach k: r0·t + (r1 − r0)·t²/(2d) = k. Arrivals are evenly spaced at a constant
// rate; on a ramp they get closer (or further apart) as the rate changes.
function arrivalInStage(window: StageWindow, k: number): number {
  const d = (window.endMs - window.startMs) / 1000;
  const { from: r0, to: r1 } = window;
  const a = (r1 - r0) / (2 * d);
  const t = Math.abs(a) < 1e-12 ? k / r0 : (-r0 + Math.sqrt(r0 * r0 + 4 * a * k)) / (2 * a);
  return window.startMs + t * 1000;
}

// Every scheduled arrival in order, in ms from the start of the run, with its stage.
export function* arrivals(
  windows: readonly StageWindow[],
): Generator<{ atMs: number; stage: number }> {
  for (const window of windows) {
    for (let k = 0; k < window.requested; k++) {
      yield { atMs: arrivalInStage(window, k), stage: window.index };
    }
  }
}

export const totalDurationS = (load: LoadModel): number =>
  load.model === 'closed' ? load.durationS : load.stages.reduce((s, x) => s + x.durationS, 0);

// --rate and --duration on the command line reshape a scenario's open load: the peak rate
// becomes `rate` (every stage scaled alike) and the total time `durationS` (every stage
// stretched alike), so a ramp stays a ramp.
export function reshape(load: OpenLoad, options: { rate?: number; durationS?: number }): OpenLoad {
  const windows = stageWindows(load.stages);
  const peak = Math.max(...windows.map((w) => Math.max(w.from, w.to)));
  const rateScale = options.rate === undefined || peak === 0 ? 1 : options.rate / peak;
  const total = totalDurationS(load);
  const timeScale = options.durationS === undefined ? 1 : options.durationS / total;
  return {
    ...load,
    stages: windows.map((w) =>
      w.from === w.to
        ? { rate: w.from * rateScale, durationS: ((w.endMs - w.startMs) * timeScale) / 1000 }
        : {
            rate: w.from * rateScale,
            rateTo: w.to * rateScale,
            durationS: ((w.endMs - w.startMs) * timeScale) / 1000,
          },
    ),
  };
}
