import { fireAfter, firstFire, idempotencyKeyOf, nextCronTime } from './job';

const at = (iso: string) => Date.parse(iso);

describe('job schedules', () => {
  it('fires a cron job at the next time strictly after now, in UTC', () => {
    expect(nextCronTime('*/5 * * * *', at('2026-11-30T20:00:00.000Z'))).toBe(
      at('2026-11-30T20:05:00.000Z'),
    );
    expect(nextCronTime('* * * * * *', at('2026-11-30T20:00:00.400Z'))).toBe(
      at('2026-11-30T20:00:01.000Z'),
    );
  });

  it('computes the fire after a late one from the scheduled time, so none is skipped', () => {
    const schedule = { kind: 'cron', cron: '*/10 * * * * *' } as const;
    expect(fireAfter(schedule, at('2026-11-30T20:00:10.000Z'))).toBe(
      at('2026-11-30T20:00:20.000Z'),
    );
  });

  it('ends a one-off job after its only fire', () => {
    expect(fireAfter({ kind: 'once', runAt: at('2026-11-30T20:00:00Z') }, 0)).toBeNull();
  });

  it('refuses a cron expression that cannot be parsed or never fires', () => {
    const now = at('2026-11-30T20:00:00Z');
    expect(firstFire({ kind: 'cron', cron: 'every minute' }, now)).toEqual({
      ok: false,
      problem: 'cron-invalid',
    });
    expect(firstFire({ kind: 'cron', cron: '0 0 30 2 *' }, now)).toMatchObject({ ok: false });
  });

  it('accepts a one-off time a moment ago and refuses one long past', () => {
    const now = at('2026-11-30T20:00:00Z');
    expect(firstFire({ kind: 'once', runAt: now - 500 }, now)).toEqual({ ok: true, at: now - 500 });
    expect(firstFire({ kind: 'once', runAt: now - 60_000 }, now)).toEqual({
      ok: false,
      problem: 'run-at-in-the-past',
    });
  });

  it('derives the same idempotency key for the same fire every time', () => {
    const key = idempotencyKeyOf(
      '0b6f6a4e-1b1c-4a8e-9c1e-5d2f8f8c7a10',
      at('2026-11-30T20:00:00Z'),
    );
    expect(key).toBe('0b6f6a4e-1b1c-4a8e-9c1e-5d2f8f8c7a10:2026-11-30T20:00:00.000Z');
    expect(key).toMatch(/^[A-Za-z0-9._:~+/=-]{8,255}$/);
  });
});
