import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ChargeRequest, ChargeStatus, RefundRequest } from '../domain/charge';
import { ChargeRecord, RefundRecord } from './charge.record';

export type RefundWrite =
  | { kind: 'refunded'; refund: RefundRecord; charge: ChargeRecord }
  | { kind: 'duplicate-key' }
  | { kind: 'charge-not-found' }
  | { kind: 'not-refundable' }
  | { kind: 'exceeds-charge'; refundableMinor: number };

// The simulator's one aggregate: a charge and its refunds.
@Injectable()
export class ChargesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findChargeByKey(idempotencyKey: string): Promise<ChargeRecord | null> {
    return this.db.getRepository(ChargeRecord).findOneBy({ idempotencyKey });
  }

  findCharges(filter: {
    idempotencyKey?: string;
    merchantReference?: string;
  }): Promise<ChargeRecord[]> {
    return this.db
      .getRepository(ChargeRecord)
      .find({ where: filter, order: { createdAt: 'ASC' }, take: 100 });
  }

  findRefundByKey(idempotencyKey: string): Promise<RefundRecord | null> {
    return this.db.getRepository(RefundRecord).findOneBy({ idempotencyKey });
  }

  // Inserts the charge unless its key exists. Returns null when a concurrent duplicate
  // won the insert: the caller replays that one instead.
  async insertChargeIfAbsent(
    request: ChargeRequest,
    status: ChargeStatus,
  ): Promise<ChargeRecord | null> {
    const result = await this.db
      .createQueryBuilder()
      .insert()
      .into(ChargeRecord)
      .values({
        id: `ch_${randomUUID().replace(/-/g, '')}`,
        idempotencyKey: request.idempotencyKey,
        amountMinor: request.amountMinor,
        currency: request.currency,
        sourceToken: request.sourceToken,
        merchantReference: request.merchantReference,
        status,
        refundedMinor: 0,
        callbackUrl: request.callbackUrl ?? null,
        createdAt: new Date(),
      })
      .orIgnore()
      .returning('id')
      .execute();
    if (result.raw.length === 0) return null;
    return this.db.getRepository(ChargeRecord).findOneByOrFail({ id: result.raw[0].id });
  }

  // One transaction: the charge row is locked, so two refunds of one charge cannot both
  // pass the "refundable" check.
  refund(request: RefundRequest): Promise<RefundWrite> {
    return this.db.transaction(async (manager) => {
      const charge = await manager.getRepository(ChargeRecord).findOne({
        where: { id: request.chargeId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!charge) return { kind: 'charge-not-found' } as const;
      if (charge.status !== 'succeeded') return { kind: 'not-refundable' } as const;
      const refundableMinor = charge.amountMinor - charge.refundedMinor;
      if (request.amountMinor > refundableMinor) {
        return { kind: 'exceeds-charge', refundableMinor } as const;
      }
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(RefundRecord)
        .values({
          id: `re_${randomUUID().replace(/-/g, '')}`,
          idempotencyKey: request.idempotencyKey,
          chargeId: charge.id,
          amountMinor: request.amountMinor,
          createdAt: new Date(),
        })
        .orIgnore()
        .returning('id')
        .execute();
      if (inserted.raw.length === 0) return { kind: 'duplicate-key' } as const;
      charge.refundedMinor += request.amountMinor;
      await manager.getRepository(ChargeRecord).save(charge);
      const refund = await manager
        .getRepository(RefundRecord)
        .findOneByOrFail({ id: inserted.raw[0].id });
      return { kind: 'refunded', refund, charge } as const;
    });
  }
}
