// A sale driven through the gateway the way real buyers drive one: each buyer holds seats,
// then checks out with an Idempotency-Key, and, when the stack answers with an error or not
// at all, tries again later with the same key. Outcomes are returned, never thrown: under
// injected faults an error answer is an outcome to count, and the end checks judge the rest.
import type { Pool } from 'pg';
import { call, newKey, tokenFor, type Reply } from './support';

export interface Buyer {
  userId: string;
  token: string;
}

// /dev/tokens is anonymous, so it is limited per client IP (300 a minute): a few at a time.
export async function buyers(prefix: string, count: number): Promise<Buyer[]> {
  const minted: Buyer[] = [];
  for (let i = 0; i < count; i += 10) {
    const ids = Array.from({ length: Math.min(10, count - i) }, (_, j) => `${prefix}-${i + j}`);
    const tokens = await Promise.all(ids.map((id) => tokenFor(id)));
    ids.forEach((userId, j) => minted.push({ userId, token: tokens[j] as string }));
  }
  return minted;
}

// Seats of one section of the seeded event that nobody bought: each spec takes its own
// section, so specs never race each other for a seat.
export async function freeSeats(
  ticketingDb: Pool,
  section: string,
  count: number,
): Promise<{ eventId: string; seatIds: string[] }> {
  const { rows } = await ticketingDb.query<{ event_id: string; seat_id: string }>(
    `select event_id::text, seat_id from seats
      where section = $1 and status = 'available'
      order by row_label::int, number limit $2`,
    [section, count],
  );
  const eventId = rows[0]?.event_id;
  if (!eventId || rows.length < count) {
    throw new Error(`section ${section} has ${rows.length} free seats, ${count} wanted`);
  }
  return { eventId, seatIds: rows.map((r) => r.seat_id) };
}

export type Purchase =
  // The checkout was accepted: an order exists (completed, failed or still pending).
  | { kind: 'ordered'; orderId: string; status: number; attempts: number }
  // A definitive refusal: the seat was taken, the hold expired, a bad request.
  | { kind: 'refused'; step: 'hold' | 'checkout'; status: number; attempts: number }
  // Only errors or silence until the deadline. A checkout that gave up may still have an
  // order behind it (the answer was lost): the end checks read every order.
  | { kind: 'gave-up'; step: 'hold' | 'checkout'; last: string; attempts: number };

export interface PurchaseOptions {
  // How long a buyer keeps trying each step.
  patienceMs: number;
  retryEveryMs: number;
  paymentSource?: string;
}

type Answer = { reply: Reply } | { error: string };

async function attempt(send: () => Promise<Reply>): Promise<Answer> {
  try {
    return { reply: await send() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

// Worth another try with the same request: the stack is down or busy, or the same key is
// still being worked on (409 with Retry-After), as opposed to a decision about the request.
const transient = (reply: Reply) =>
  reply.status >= 500 ||
  reply.status === 429 ||
  (reply.status === 409 && reply.headers.get('retry-after') !== null);

async function persist(
  send: () => Promise<Reply>,
  options: PurchaseOptions,
): Promise<{ answer: Answer; attempts: number }> {
  const deadline = Date.now() + options.patienceMs;
  for (let attempts = 1; ; attempts++) {
    const answer = await attempt(send);
    const settled = 'reply' in answer && !transient(answer.reply);
    if (settled || Date.now() + options.retryEveryMs > deadline) return { answer, attempts };
    await new Promise((r) => setTimeout(r, options.retryEveryMs));
  }
}

const describeAnswer = (answer: Answer) =>
  'error' in answer ? answer.error : `HTTP ${answer.reply.status}`;

export async function purchase(
  buyer: Buyer,
  eventId: string,
  seatIds: string[],
  options: PurchaseOptions,
): Promise<Purchase> {
  const held = await persist(
    () => call('POST', '/holds', { token: buyer.token, body: { eventId, seatIds } }),
    options,
  );
  if (!('reply' in held.answer) || transient(held.answer.reply)) {
    return {
      kind: 'gave-up',
      step: 'hold',
      last: describeAnswer(held.answer),
      attempts: held.attempts,
    };
  }
  if (held.answer.reply.status !== 201) {
    return {
      kind: 'refused',
      step: 'hold',
      status: held.answer.reply.status,
      attempts: held.attempts,
    };
  }
  const holdId = String(held.answer.reply.body['holdId']);
  // One key for every try: a retry after a lost answer finds the same order.
  const key = newKey();
  const paid = await persist(
    () =>
      call('POST', '/checkouts', {
        token: buyer.token,
        idempotencyKey: key,
        body: { holdId, paymentSource: options.paymentSource ?? 'tok_visa' },
      }),
    options,
  );
  const attempts = held.attempts + paid.attempts;
  if (!('reply' in paid.answer) || transient(paid.answer.reply)) {
    return { kind: 'gave-up', step: 'checkout', last: describeAnswer(paid.answer), attempts };
  }
  const { status, body } = paid.answer.reply;
  if (typeof body['orderId'] === 'string') {
    return { kind: 'ordered', orderId: body['orderId'], status, attempts };
  }
  return { kind: 'refused', step: 'checkout', status, attempts };
}

export interface Sale {
  // Resolves when every buyer has an outcome.
  done: Promise<Purchase[]>;
}

// Buyers arrive one every `arrivalGapMs` (an open arrival model: a slow answer to one buyer
// does not hold back the next), each buying `seatsEach` seats of their own.
export function startSale(
  people: readonly Buyer[],
  eventId: string,
  seatIds: readonly string[],
  options: PurchaseOptions & { seatsEach: number; arrivalGapMs: number },
): Sale {
  if (seatIds.length < people.length * options.seatsEach) {
    throw new Error(`${seatIds.length} seats for ${people.length} buyers`);
  }
  const done = Promise.all(
    people.map(async (buyer, i) => {
      await new Promise((r) => setTimeout(r, i * options.arrivalGapMs));
      const mine = seatIds.slice(i * options.seatsEach, (i + 1) * options.seatsEach);
      return purchase(buyer, eventId, mine, options);
    }),
  );
  return { done };
}

export function tally(purchases: readonly Purchase[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of purchases) {
    const name = p.kind === 'ordered' ? 'ordered' : `${p.kind}-at-${p.step}`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
