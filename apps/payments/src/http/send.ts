import type { FastifyReply } from 'fastify';

export async function send(
  reply: FastifyReply,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<void> {
  for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
  await reply.status(status).send(body);
}

export const problem = (status: number, error: string, message: string) => ({
  statusCode: status,
  error,
  message,
});

// The idempotency store's refusals, answered the same way on every route that takes a key.
export type KeyRefusal =
  | { kind: 'in-progress'; retryAfterMs: number }
  | { kind: 'payload-mismatch' }
  | { kind: 'invalid-key'; reason: string };

export function sendKeyRefusal(reply: FastifyReply, refusal: KeyRefusal): Promise<void> {
  switch (refusal.kind) {
    case 'in-progress':
      return send(
        reply,
        409,
        problem(
          409,
          'request_in_progress',
          'a request with this Idempotency-Key is still in progress',
        ),
        { 'retry-after': String(Math.max(1, Math.ceil(refusal.retryAfterMs / 1000))) },
      );
    case 'payload-mismatch':
      return send(
        reply,
        422,
        problem(
          422,
          'idempotency_key_reused',
          'this Idempotency-Key was used with a different request',
        ),
      );
    case 'invalid-key':
      return send(
        reply,
        400,
        problem(400, 'invalid_idempotency_key', `Idempotency-Key: ${refusal.reason}`),
      );
  }
}
