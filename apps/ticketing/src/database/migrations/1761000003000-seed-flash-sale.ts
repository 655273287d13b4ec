import type { MigrationInterface, QueryRunner } from 'typeorm';

export const SEED_VENUE_ID = '00000000-0000-4000-8000-00000000a001';
export const SEED_EVENT_ID = '00000000-0000-4000-8000-00000000e001';
// 10 sections (A..J) x 20 rows x 50 seats.
export const SEED_SEAT_COUNT = 10_000;

// Seed data: one venue and one event with 10,000 seats, in one set-based statement per
// table. Idempotent (fixed ids, on conflict do nothing), so running it twice is harmless.
export class SeedFlashSale1761000003000 implements MigrationInterface {
  name = 'SeedFlashSale1761000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `insert into venues (id, name) values ($1, 'Flash Sale Arena') on conflict do nothing`,
      [SEED_VENUE_ID],
    );
    await queryRunner.query(
      `insert into events (id, venue_id, name, starts_at, price_minor, currency)
       values ($1, $2, 'Flash Sale Night', '2030-06-01T19:00:00Z', 4500, 'EUR')
       on conflict do nothing`,
      [SEED_EVENT_ID, SEED_VENUE_ID],
    );
    await queryRunner.query(
      `insert into seats (event_id, seat_id, section, row_label, number)
       select $1, chr(64 + s) || '-' || r || '-' || n, chr(64 + s), r::text, n
         from generate_series(1, 10) s, generate_series(1, 20) r, generate_series(1, 50) n
       on conflict do nothing`,
      [SEED_EVENT_ID],
    );
  }

  async down(): Promise<void> {
    throw new Error('forward-only migration');
  }
}
