// The last step of every request: a use case's outcome becomes an HTTP answer through the
// service's table (`http/<service>.answers.ts`), and `send` is what writes it. Controllers
// decide nothing; a use case never sees HTTP.
import type { FastifyReply } from 'fastify';

export interface HttpAnswer {
  status: number;
  // None for a 204.
  body?: unknown;
  headers?: Readonly<Record<string, string | readonly string[]>>;
  // The answer to a repeated request, given again: it carries Idempotent-Replayed: true.
  replayed?: boolean;
}

// One entry per outcome kind of a use case: an outcome added without its answer does not
// compile.
export type AnswersTo<Outcome extends { kind: string }> = {
  readonly [Kind in Outcome['kind']]: (outcome: Extract<Outcome, { kind: Kind }>) => HttpAnswer;
};

export function answerOf<Outcome extends { kind: string }>(
  answers: AnswersTo<Outcome>,
  outcome: Outcome,
): HttpAnswer {
  const answer = answers[outcome.kind as Outcome['kind']] as (outcome: Outcome) => HttpAnswer;
  return answer(outcome);
}

export async function send(reply: FastifyReply, answer: HttpAnswer): Promise<void> {
  for (const [name, value] of Object.entries(answer.headers ?? {})) {
    void reply.header(name, value);
  }
  if (answer.replayed) void reply.header('idempotent-replayed', 'true');
  await reply.status(answer.status).send(answer.body);
}

// The suite's refusal body, { statusCode, error, message }, plus what the client needs to act
// on it (which seats were taken, the lowest bid that could win).
export function refusal(
  status: number,
  error: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): HttpAnswer {
  return { status, body: { statusCode: status, error, message, ...details } };
}
