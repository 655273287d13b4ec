import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import { AUTOCOMMIT } from '../../scheduler.tokens';
import { SinkRepository, type SinkReceipt } from '../infra/sink.repository';

// The loopback sink that callback jobs point at: it applies each idempotency key's effect
// once and counts every delivery, which is what the verifiers read.
@Injectable()
export class ReceiveDeliveryUseCase {
  constructor(
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly sink: SinkRepository,
  ) {}

  execute(delivery: {
    idempotencyKey: string;
    jobId: string;
    scheduledAt: number;
  }): Promise<SinkReceipt> {
    return this.sink.receive(this.sql, delivery);
  }
}
