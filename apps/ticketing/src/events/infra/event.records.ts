import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'venues' })
export class VenueRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;
}

@Entity({ name: 'events' })
export class EventRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'venue_id' })
  venueId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'timestamptz', name: 'starts_at' })
  startsAt!: Date;

  // bigint comes back from pg as a string
  @Column({ type: 'bigint', name: 'price_minor' })
  priceMinor!: string;

  @Column({ type: 'text' })
  currency!: string;
}

@Entity({ name: 'seats' })
export class SeatRecord {
  @PrimaryColumn({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @PrimaryColumn({ type: 'text', name: 'seat_id' })
  seatId!: string;

  @Column({ type: 'text' })
  section!: string;

  @Column({ type: 'text', name: 'row_label' })
  row!: string;

  @Column({ type: 'integer' })
  number!: number;

  @Column({ type: 'text' })
  status!: 'available' | 'sold';

  @Column({ type: 'text', name: 'sold_to', nullable: true })
  soldTo!: string | null;

  @Column({ type: 'uuid', name: 'order_id', nullable: true })
  orderId!: string | null;

  @Column({ type: 'bigint', name: 'fence_token', nullable: true })
  fenceToken!: string | null;
}
