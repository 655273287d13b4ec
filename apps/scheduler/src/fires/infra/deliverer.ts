import type { MessageProducer } from '@suite/coordination';
import type { Fire } from '../domain/fire';

export interface DeliveryOutcome {
  delivered: string[];
  failed: string[];
}

export interface DelivererOptions {
  // Jobs with a Kafka target; absent: such fires fail and wait for a redelivery.
  producer?: MessageProducer;
  timeoutMs: number;
  concurrency: number;
}

// Delivers fires at least once: an HTTP POST to the job's callback, or a message on its
// topic. Each carries the fire's idempotency key (the Idempotency-Key header, the message's
// idempotency-key header), so the receiver applies a repeated delivery once.
export class Deliverer {
  constructor(private readonly options: DelivererOptions) {}

  async deliver(fires: readonly Fire[]): Promise<DeliveryOutcome> {
    const outcome: DeliveryOutcome = { delivered: [], failed: [] };
    const http = fires.filter((f) => f.target.kind === 'http');
    const kafka = fires.filter((f) => f.target.kind === 'kafka');
    await Promise.all([this.deliverHttp(http, outcome), this.deliverKafka(kafka, outcome)]);
    return outcome;
  }

  private body(fire: Fire, key: string): string {
    return JSON.stringify({
      idempotencyKey: key,
      jobId: fire.jobId,
      scheduledAt: new Date(fire.scheduledAt).toISOString(),
      payload: fire.payload,
    });
  }

  private async deliverHttp(fires: readonly Fire[], outcome: DeliveryOutcome): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < fires.length) {
        const fire = fires[next++] as Fire;
        if (fire.target.kind !== 'http') continue;
        const key = fire.idempotencyKey;
        try {
          const response = await fetch(fire.target.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: this.body(fire, key),
            signal: AbortSignal.timeout(this.options.timeoutMs),
            redirect: 'error',
          });
          await response.arrayBuffer();
          (response.ok ? outcome.delivered : outcome.failed).push(fire.idempotencyKey);
        } catch {
          outcome.failed.push(fire.idempotencyKey);
        }
      }
    };
    const lanes = Math.min(this.options.concurrency, fires.length);
    await Promise.all(Array.from({ length: lanes }, lane));
  }

  private async deliverKafka(fires: readonly Fire[], outcome: DeliveryOutcome): Promise<void> {
    const byTopic = new Map<string, Fire[]>();
    for (const fire of fires) {
      if (fire.target.kind !== 'kafka') continue;
      const list = byTopic.get(fire.target.topic) ?? [];
      list.push(fire);
      byTopic.set(fire.target.topic, list);
    }
    await Promise.all(
      [...byTopic].map(async ([topic, batch]) => {
        const keys = batch.map((f) => f.idempotencyKey);
        if (!this.options.producer) {
          outcome.failed.push(...keys);
          return;
        }
        try {
          await withTimeout(
            this.options.timeoutMs,
            this.options.producer.send(
              topic,
              batch.map((fire) => {
                const key = fire.idempotencyKey;
                return {
                  key: fire.jobId,
                  value: this.body(fire, key),
                  headers: { 'idempotency-key': key },
                };
              }),
            ),
          );
          outcome.delivered.push(...keys);
        } catch {
          outcome.failed.push(...keys);
        }
      }),
    );
  }
}

// A send that outlasts the delivery timeout counts as failed (it may still land: the key
// dedupes); kafkajs would otherwise keep retrying an unknown topic and hold the pass up.
async function withTimeout<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no broker ack within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
