// Rate-limit abuse: one user hammers POST /holds far past its limit (20 a minute) while
// honest users browse seats at a low rate. The abuser must get 429s with Retry-After, and
// the honest users must not notice: no errors and a low p99.
import { defineScenario } from '../src/load/scenario';
import { firstEvent } from '../src/lib/seed-data';

const HONEST_USERS = 20;

export default defineScenario({
  name: 'rate-limit-abuse',
  description: 'one user floods POST /holds; honest users browse alongside, unharmed',
  load: { model: 'open', stages: [{ rate: 40, durationS: 30 }], maxInFlight: 200 },
  thresholds: {
    'error_rate{request:honest.seats}': ['rate<0.01'],
    'latency{request:honest.seats}': ['p(99)<500'],
    'error_rate{request:abuser.hold}': ['rate==0'],
    // The place-hold limit: 20 holds per user in any 60 s (so at most 20 in a run of up to
    // 60 s; a longer --duration must expect 20 more per minute), and every refusal says when
    // to come back.
    'outcomes{outcome:abuser admitted}': ['count<=20'],
    'outcomes{outcome:abuser refused without Retry-After}': ['count==0'],
    dropped: ['count==0'],
    violations: ['count==0'],
  },
  // The abuser asks for a seat that does not exist: 404 while admitted, then 429.
  expect: { 'abuser.hold': [404, 429] },
  async setup(_target, client) {
    const event = await firstEvent(client, await client.token('load-operator'));
    const honest = await Promise.all(
      Array.from({ length: HONEST_USERS }, (_, i) => client.token(`honest-${i}`)),
    );
    return { eventId: event.id, abuser: await client.token('abuser'), honest };
  },
  async iteration(state, client, ctx) {
    // Three arrivals in four are the abuser's.
    if (ctx.iteration % 4 !== 0) {
      const reply = await client.call('abuser.hold', 'POST', '/holds', {
        token: state.abuser,
        body: { eventId: state.eventId, seatIds: ['no-such-seat'] },
      });
      if (reply.status === 429 && !reply.headers.get('retry-after'))
        return 'abuser refused without Retry-After';
      return reply.status === 429 ? 'abuser refused' : 'abuser admitted';
    }
    const token = state.honest[(ctx.iteration / 4) % HONEST_USERS] ?? '';
    const reply = await client.call(
      'honest.seats',
      'GET',
      `/events/${state.eventId}/seats?limit=20`,
      {
        token,
      },
    );
    return reply.status === 200 ? 'honest served' : `honest ${reply.status}`;
  },
});
