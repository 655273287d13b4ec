import Fastify from 'fastify';
import { answerOf, refusal, send, type AnswersTo } from './answers';

type Outcome =
  | { kind: 'placed'; id: string; replayed: boolean }
  | { kind: 'taken'; seats: string[] }
  | { kind: 'busy'; retryAfterS: number };

const ANSWERS: AnswersTo<Outcome> = {
  placed: ({ id, replayed }) => ({ status: 201, body: { id }, replayed }),
  taken: ({ seats }) => refusal(409, 'Conflict', 'seats are taken', { seats }),
  busy: ({ retryAfterS }) => ({
    ...refusal(409, 'Conflict', 'still in progress'),
    headers: { 'retry-after': String(retryAfterS) },
  }),
};

async function answered(outcome: Outcome) {
  const app = Fastify();
  app.get('/', async (_request, reply) => send(reply, answerOf(ANSWERS, outcome)));
  const response = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  return response;
}

describe('answers', () => {
  it('an-outcome-gets-the-status-and-body-of-its-entry', async () => {
    const response = await answered({ kind: 'placed', id: 'h1', replayed: false });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: 'h1' });
    expect(response.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a-replayed-answer-says-so-in-a-header', async () => {
    const response = await answered({ kind: 'placed', id: 'h1', replayed: true });
    expect(response.headers['idempotent-replayed']).toBe('true');
  });

  it('a-refusal-has-the-suite-error-shape-plus-its-details', async () => {
    const response = await answered({ kind: 'taken', seats: ['A1'] });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'seats are taken',
      seats: ['A1'],
    });
  });

  it('headers-of-an-answer-reach-the-client', async () => {
    const response = await answered({ kind: 'busy', retryAfterS: 2 });
    expect(response.headers['retry-after']).toBe('2');
  });
});
