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
