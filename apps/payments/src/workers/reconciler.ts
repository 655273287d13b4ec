import { Logger } from '@nestjs/common';
import type { IdempotencyStore, SqlExecutor } from '@suite/coordination';
import type { PaymentsConfig } from '../config/payments.config';
import type { ReconcilePaymentsUseCase } from '../payments/reconcile-payments/reconcile-payments.use-case';
import { sleep, type Worker } from './worker';

// Every RECONCILE_INTERVAL_MS: settles payments left unsettled, asks the PSP again about
// payments failed while a charge request may still sit there (the late-charge sweep),
// gives back late charges, and purges expired idempotency keys.
export class PaymentsReconciler implements Worker {
  private readonly logger = new Logger(PaymentsReconciler.name);
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly config: PaymentsConfig,
    private readonly reconcile: ReconcilePaymentsUseCase,
    private readonly store: IdempotencyStore,
    private readonly autocommit: SqlExecutor,
  ) {}

  async start(): Promise<void> {
    this.running = this.loop(this.stopping.signal);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([this.running]);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.config.RECONCILE_INTERVAL_MS, signal);
      if (signal.aborted) return;
      try {
        const report = await this.reconcile.execute({
          olderThanMs: this.config.RECONCILE_AFTER_MS,
          limit: 100,
        });
        if (report.examined > 0 || report.lateChargesFound > 0 || report.lateChargesReturned > 0) {
          this.logger.log(`reconciled ${JSON.stringify(report)}`);
        }
        await this.store.purgeExpired(this.autocommit);
      } catch (error) {
        this.logger.error(`reconciliation failed: ${(error as Error).message}`);
      }
    }
  }
}
