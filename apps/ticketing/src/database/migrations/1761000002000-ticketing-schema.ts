import type { MigrationInterface, QueryRunner } from 'typeorm';

// Forward-only; never edit once landed.
export class TicketingSchema1761000002000 implements MigrationInterface {
  name = 'TicketingSchema1761000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table venues (
        id    uuid primary key,
        name  text not null
      );

      create table events (
        id          uuid        primary key,
        venue_id    uuid        not null references venues (id),
        name        text        not null,
        starts_at   timestamptz not null,
        -- per seat, in minor units
        price_minor bigint      not null check (price_minor >= 0),
        currency    text        not null
      );

      create table seats (
        event_id    uuid    not null references events (id),
        seat_id     text    not null,
        section     text    not null,
        row_label   text    not null,
        number      integer not null,
        status      text    not null default 'available' check (status in ('available', 'sold')),
        sold_to     text,
        order_id    uuid,
        -- the fencing token of the hold whose confirmation sold the seat
        fence_token bigint,
        primary key (event_id, seat_id),
        -- a sold seat always says to whom, for which order and under which token
        constraint seats_sold_check check (
          (status = 'sold') = (sold_to is not null and order_id is not null and fence_token is not null))
      );
      create index seats_by_section on seats (event_id, section, row_label, number);
      create index seats_by_order on seats (order_id) where order_id is not null;

      create table holds (
        id         uuid        primary key,
        event_id   uuid        not null references events (id),
        user_id    text        not null,
        seat_ids   text[]      not null,
        -- seat id -> fencing token, as FencedHolds returned them
        tokens     jsonb       not null,
        expires_at timestamptz not null,
        status     text        not null check (status in ('active', 'checking-out', 'released', 'expired', 'purchased')),
        order_id   uuid,
        created_at timestamptz not null default now()
      );
      -- the expiry sweeper's scan
      create index holds_active_by_expiry on holds (expires_at) where status = 'active';

      create table orders (
        id              uuid        primary key,
        user_id         text        not null,
        idempotency_key text        not null,
        -- one checkout per hold
        hold_id         uuid        not null unique references holds (id),
        event_id        uuid        not null references events (id),
        seat_ids        text[]      not null,
        amount_minor    bigint      not null,
        currency        text        not null,
        created_at      timestamptz not null default now(),
        unique (user_id, idempotency_key)
      );

      create table tickets (
        id        uuid        primary key,
        order_id  uuid        not null references orders (id),
        event_id  uuid        not null,
        seat_id   text        not null,
        issued_at timestamptz not null default now(),
        -- the last line of defence: one ticket per seat, whatever the code above does
        constraint tickets_one_per_seat unique (event_id, seat_id),
        foreign key (event_id, seat_id) references seats (event_id, seat_id)
      );
      create index tickets_by_order on tickets (order_id);
    `);
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
