// The naive baseline for seat holds: one Postgres transaction per request that locks each
// seat row with SELECT ... FOR UPDATE, checks it is free (or its hold expired) and writes the
// holder. Correct on one database, but every hold is a write transaction holding row locks.
// Runs in its own process; argv: <databaseUrl>. Reports its port over IPC.
import Fastify from 'fastify';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const [databaseUrl] = process.argv.slice(2);
  if (!databaseUrl) throw new Error('usage: naive-holds.server.ts <databaseUrl>');
  const pool = new Pool({ connectionString: databaseUrl, max: 20 });
  const app = Fastify();
  app.post<{ Body: { seatIds: string[]; userId: string } }>('/holds', async (request, reply) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      for (const seat of [...request.body.seatIds].sort()) {
        const { rows } = await client.query<{ held_until: Date | null }>(
          'select held_until from naive_seats where seat_id = $1 for update',
          [seat],
        );
        const row = rows[0];
        if (!row || (row.held_until && row.held_until.getTime() > Date.now())) {
          await client.query('rollback');
          return reply.status(409).send({ message: 'seat taken' });
        }
        await client.query(
          "update naive_seats set held_by = $2, held_until = now() + interval '2 minutes' where seat_id = $1",
          [seat, request.body.userId],
        );
      }
      await client.query('commit');
      return reply.status(201).send({ seatIds: request.body.seatIds });
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
