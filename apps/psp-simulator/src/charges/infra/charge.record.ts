import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { ChargeStatus } from '../domain/charge';

// pg returns bigint as a string; amounts here stay far below 2^53.
export const bigintAsNumber: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity({ name: 'charges' })
export class ChargeRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'idempotency_key', unique: true })
  idempotencyKey!: string;

  @Column('bigint', { name: 'amount_minor', transformer: bigintAsNumber })
  amountMinor!: number;

  @Column('text')
  currency!: string;

  @Column('text', { name: 'source_token' })
  sourceToken!: string;

  @Column('text', { name: 'merchant_reference' })
  merchantReference!: string;

  @Column('text')
  status!: ChargeStatus;

  @Column('bigint', { name: 'refunded_minor', transformer: bigintAsNumber })
  refundedMinor!: number;

  @Column('text', { name: 'callback_url', nullable: true })
  callbackUrl!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

@Entity({ name: 'refunds' })
export class RefundRecord {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'idempotency_key', unique: true })
  idempotencyKey!: string;

  @Column('text', { name: 'charge_id' })
  chargeId!: string;

  @Column('bigint', { name: 'amount_minor', transformer: bigintAsNumber })
  amountMinor!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
