import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { HoldStatus } from '../domain/hold';

@Entity({ name: 'holds' })
export class HoldRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'text', name: 'user_id' })
  userId!: string;

  @Column({ type: 'text', array: true, name: 'seat_ids' })
  seatIds!: string[];

  @Column({ type: 'jsonb' })
  tokens!: Record<string, number>;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;

  @Column({ type: 'text' })
  status!: HoldStatus;

  @Column({ type: 'uuid', name: 'order_id', nullable: true })
  orderId!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
