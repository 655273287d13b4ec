// A pipelined relay in its own process, with Node's default handling of unhandled rejections
// (the process ends), over a broker whose every other send fails at once: the way a send
// fails while a broker restarts. Arguments: <databaseUrl>. Reports { drained: failures } and
// exits 0 when it lived through every round.
import { Pool } from 'pg';
import type { MessageProducer } from '../../../ports/message-producer';
import { poolTransactionRunner } from '../../../ports/transaction-runner';
import { OutboxRelay } from '../outbox-relay';

async function main(): Promise<void> {
  const [databaseUrl] = process.argv.slice(2);
  if (!databaseUrl) throw new Error('usage: relay-send-failure.worker.ts <databaseUrl>');
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const tx = poolTransactionRunner({ connect: () => pool.connect() });
  let calls = 0;
  const flaky: MessageProducer = {
    send: async () => {
      calls += 1;
      if (calls % 2 === 1) throw new Error(`broker unreachable (send ${calls})`);
    },
  };
  const relay = new OutboxRelay(tx, flaky, { batchSize: 2 });
  for (let round = 0; round < 30; round++) await relay.drain(10).catch(() => undefined);
  // An unhandled rejection is reported once the microtask queue drains: give it the chance.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await pool.end();
  process.send?.({ drained: relay.stats().failures }, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
