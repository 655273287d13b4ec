import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { PaymentStatus } from '../domain/payment-status';

// pg returns bigint as a string; amounts stay far below 2^53.
const bigintAsNumber: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string) => Number(value),
};

@Entity({ name: 'payments' })
export class PaymentRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'idempotency_scope' }) idempotencyScope!: string;
  @Column('text', { name: 'idempotency_key' }) idempotencyKey!: string;
  @Column('text', { name: 'psp_key' }) pspKey!: string;
  @Column('bigint', { name: 'amount_minor', transformer: bigintAsNumber }) amountMinor!: number;
  @Column('text') currency!: string;
  @Column('text', { name: 'source_token' }) sourceToken!: string;
  @Column('text', { name: 'merchant_reference' }) merchantReference!: string;
  @Column('text') status!: PaymentStatus;
  @Column('text', { name: 'psp_charge_id', nullable: true }) pspChargeId!: string | null;
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason!: string | null;
  @Column('bigint', { name: 'refunded_minor', transformer: bigintAsNumber })
  refundedMinor!: number;
  // When the last PSP charge call began (committed before the call), null before the first.
  @Column('timestamptz', { name: 'charge_attempted_at', nullable: true })
  chargeAttemptedAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

@Entity({ name: 'payment_refunds' })
export class RefundRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'payment_id' }) paymentId!: string;
  @Column('text', { name: 'idempotency_scope' }) idempotencyScope!: string;
  @Column('text', { name: 'idempotency_key' }) idempotencyKey!: string;
  @Column('bigint', { name: 'amount_minor', transformer: bigintAsNumber }) amountMinor!: number;
  @Column('text') status!: RefundStatus;
  @Column('text', { name: 'psp_refund_id', nullable: true }) pspRefundId!: string | null;
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
