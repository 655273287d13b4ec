import { Inject, Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@suite/coordination';
import type { PspSimulatorConfig } from '../../config/psp-simulator.config';
import { FaultPlan } from '../../faults/domain/fault-plan';
import { Pauses } from '../../faults/infra/pauses';
import { AUTOCOMMIT, PSP_SIMULATOR_CONFIG } from '../../psp-simulator.tokens';
import {
  DECLINED_SOURCE_TOKEN,
  sameCharge,
  toChargeView,
  type Charge,
  type ChargeRequest,
  type ChargeView,
} from '../domain/charge';
import { CallbackSender } from '../infra/callback-sender';
import { ChargesRepository } from '../infra/charges.repository';

export type CreateChargeResult =
  // holdMs > 0: the charge is made but the answer is withheld that long (timeout-after-charge).
  | { kind: 'succeeded'; charge: ChargeView; replayed: boolean; holdMs: number }
  | { kind: 'declined'; charge: ChargeView; replayed: boolean }
  | { kind: 'key-reused' }
  | { kind: 'unavailable' }
  // Nothing is stored or charged, and no request is ever sent to that URL.
  | { kind: 'callback-not-allowed'; origin: string };

// A charge is made at most once per Idempotency-Key: a repeat of the key replays the
// stored outcome (success or decline), a different request under the key is refused,
// and faults are drawn only for requests that would create a charge. A callbackUrl must be
// on one of the configured origins, so the simulator never calls an address a caller chose.
@Injectable()
export class CreateChargeUseCase {
  private readonly callbackOrigins: ReadonlySet<string>;

  constructor(
    @Inject(PSP_SIMULATOR_CONFIG) config: PspSimulatorConfig,
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    private readonly charges: ChargesRepository,
    private readonly faults: FaultPlan,
    private readonly pauses: Pauses,
    private readonly callbacks: CallbackSender,
  ) {
    this.callbackOrigins = new Set(config.PSP_CALLBACK_ORIGINS);
  }

  async execute(request: ChargeRequest): Promise<CreateChargeResult> {
    // Validation lets an optional field be null: null, like absent, asks for no callback.
    if (request.callbackUrl !== undefined && request.callbackUrl !== null) {
      // URL.origin normalises case and default ports, as the configured origins were.
      const origin = originOf(request.callbackUrl);
      if (origin === undefined || !this.callbackOrigins.has(origin)) {
        return { kind: 'callback-not-allowed', origin: origin ?? 'an unparsable URL' };
      }
    }
    await this.pauses.pause(this.faults.latencyMs);
    const existing = await this.charges.findByKey(this.sql, request.idempotencyKey);
    if (existing) return this.replay(existing, request);

    const fault = this.faults.nextCharge();
    if (fault === 'error') return { kind: 'unavailable' };
    const declined = fault === 'decline' || request.sourceToken === DECLINED_SOURCE_TOKEN;
    const created = await this.charges.insertIfAbsent(
      this.sql,
      request,
      declined ? 'declined' : 'succeeded',
    );
    if (!created) {
      // A concurrent duplicate inserted first; answer as its replay.
      const winner = await this.charges.findByKey(this.sql, request.idempotencyKey);
      if (!winner) throw new Error(`charge for key ${request.idempotencyKey} vanished`);
      return this.replay(winner, request);
    }
    const charge = toChargeView(created);
    if (request.callbackUrl) {
      this.callbacks.send(
        request.callbackUrl,
        { type: declined ? 'charge.declined' : 'charge.succeeded', charge },
        this.faults.duplicateCallbacks ? 2 : 1,
      );
    }
    if (declined) return { kind: 'declined', charge, replayed: false };
    const holdMs = fault === 'timeout-after-charge' ? this.faults.hangMs : 0;
    return { kind: 'succeeded', charge, replayed: false, holdMs };
  }

  private replay(existing: Charge, request: ChargeRequest): CreateChargeResult {
    if (!sameCharge(existing, request)) return { kind: 'key-reused' };
    const charge = toChargeView(existing);
    return existing.status === 'succeeded'
      ? { kind: 'succeeded', charge, replayed: true, holdMs: 0 }
      : { kind: 'declined', charge, replayed: true };
  }
}

// IsUrl and the WHATWG parser disagree at the edges; what the parser refuses has no origin.
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
