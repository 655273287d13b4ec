import { SagaRecoverer, type FencedHolds, type SagaOrchestrator } from '@suite/coordination';

// Applies the checkouts' due timeouts and retries, so a checkout left behind by a crash is
// driven on; only the instance that holds the recoverer's fenced lease runs it.
export class CheckoutRecoverer {
  private recoverer: SagaRecoverer | undefined;

  constructor(
    private readonly orchestrator: SagaOrchestrator,
    private readonly fencedHolds: FencedHolds,
    private readonly options: {
      owner: string;
      intervalMs: number;
      onError: (error: unknown) => void;
    },
  ) {}

  start(): void {
    this.recoverer = new SagaRecoverer(this.orchestrator, {
      holds: this.fencedHolds,
      name: 'ticketing-checkout',
      owner: this.options.owner,
      intervalMs: this.options.intervalMs,
      onError: this.options.onError,
    });
    this.recoverer.start();
  }

  async stop(): Promise<void> {
    await this.recoverer?.stop();
  }
}
