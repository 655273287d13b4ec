import type { FastifyReply } from 'fastify';

export async function send(reply: FastifyReply, status: number, body: unknown): Promise<void> {
  await reply.status(status).send(body);
}

// The error shape every service uses ({ statusCode, error, message }), plus details.
export const problem = (
  status: number,
  error: string,
  message: string,
  details: Record<string, unknown> = {},
) => ({ statusCode: status, error, message, ...details });
