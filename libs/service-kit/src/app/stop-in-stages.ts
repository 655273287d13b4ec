// A service's background workers, stopped at shutdown: the stages one after another, the
// workers of one stage all at once. A stage holds work that needs nothing else of its own
// stage; a later stage holds what the earlier ones need until they have stopped (the relay
// that publishes the rows the consumers wrote, then the producer it publishes with). Each
// worker's own stop drains its in-flight work, so running them side by side loses nothing:
// a stop costs the slowest worker of each stage instead of the sum of them all (a Kafka
// consumer waits out its fetch in flight).
export interface StoppableWorker {
  stop(): Promise<void>;
}

// A stop that fails is reported and does not keep the other workers, or the later stages,
// from stopping.
export async function stopInStages(
  stages: readonly (readonly StoppableWorker[])[],
  onError: (error: unknown) => void,
): Promise<void> {
  for (const stage of stages) {
    await Promise.all(stage.map((worker) => worker.stop().catch(onError)));
  }
}
