import type { SqlExecutor } from '@suite/coordination';
import { SeatCatalogue } from './seat-catalogue';

// A database of two events, counting the reads it is asked for.
function fakeDatabase() {
  const seats: Record<string, string[]> = { e1: ['A-1', 'A-2'], e2: [] };
  const db = {
    reads: 0,
    query: async (_text: string, params?: unknown[]) => {
      db.reads++;
      const eventId = String(params?.[0]);
      const ids = seats[eventId];
      if (ids === undefined) return { rows: [], rowCount: 0 };
      const rows = ids.length === 0 ? [{ seat_id: null }] : ids.map((seat_id) => ({ seat_id }));
      return { rows, rowCount: rows.length };
    },
  };
  return db;
}

describe('SeatCatalogue', () => {
  it('reads-an-events-seats-once-and-answers-from-memory-after', async () => {
    const db = fakeDatabase();
    const catalogue = new SeatCatalogue();
    const sql = db as unknown as SqlExecutor;
    const [first, second] = await Promise.all([
      catalogue.seatsOf(sql, 'e1'),
      catalogue.seatsOf(sql, 'e1'),
    ]);
    expect([...(first ?? [])]).toEqual(['A-1', 'A-2']);
    expect(second).toBe(first);
    expect(await catalogue.seatsOf(sql, 'e1')).toBe(first);
    expect(db.reads).toBe(1);
  });

  it('knows-an-event-without-seats-and-never-remembers-a-missing-event', async () => {
    const db = fakeDatabase();
    const catalogue = new SeatCatalogue();
    const sql = db as unknown as SqlExecutor;
    expect(await catalogue.seatsOf(sql, 'e2')).toEqual(new Set());
    expect(await catalogue.seatsOf(sql, 'nope')).toBeUndefined();
    expect(await catalogue.seatsOf(sql, 'nope')).toBeUndefined();
    expect(db.reads).toBe(3);
  });
});
