// Browse: seat-map reads through the gateway at a rate that steps up, each step held for
// 10 s. The per-stage table shows up to which rate this machine keeps the schedule (achieved
// against requested rate) and what that costs in latency. Reads only: the verifiers must
// still find nothing.
import { defineScenario } from '../src/load/scenario';
import { firstEvent } from '../src/lib/seed-data';

const STEPS = [25, 50, 100, 150, 200, 300];
// The gateway lets one user make 120 requests a minute; the readers share the load so that
// each stays below it at the top step.
const READERS = 400;

export default defineScenario({
  name: 'browse',
  description: `seat-map reads stepping through ${STEPS.join(', ')}/s, 10 s each`,
  load: {
    model: 'open',
    stages: STEPS.map((rate) => ({ rate, durationS: 10 })),
    maxInFlight: 500,
  },
  thresholds: {
    'latency{request:seats}': ['p(99)<1000'],
    error_rate: ['rate<0.01'],
    violations: ['count==0'],
  },
  async setup(_target, client) {
    const event = await firstEvent(client, await client.token('load-operator'));
    const readers: string[] = [];
    // In batches, so that setup does not itself become a load test.
    for (let i = 0; i < READERS; i += 50) {
      readers.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, j) => client.token(`reader-${i + j}`)),
        )),
      );
    }
    return { eventId: event.id, readers };
  },
  async iteration(state, client, ctx) {
    const token = state.readers[ctx.iteration % READERS] ?? '';
    await client.call('seats', 'GET', `/events/${state.eventId}/seats?limit=20`, { token });
  },
});
