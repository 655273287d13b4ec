import { checkLinearizable, type HistoryOperation } from '../index';

// The checker itself, on hand-made histories: it must accept a legal one and catch an
// illegal one, or no history it passes would mean anything.
describe('lincheck (porcupine) on the lock model', () => {
  const op = (
    client: number,
    kind: string,
    call: number,
    ret: number,
    ok: boolean,
  ): HistoryOperation => ({
    client,
    key: 'seat-1',
    op: kind,
    call,
    return: ret,
    ok,
  });

  it('accepts a history with overlapping calls that has a legal order', async () => {
    const verdict = await checkLinearizable('lincheck-legal', [
      op(1, 'acquire', 0, 10, true),
      op(2, 'acquire', 5, 30, false), // overlaps with 1 holding: refused, legal
      op(1, 'release', 20, 40, true),
      op(2, 'acquire', 35, 50, true), // overlaps the release: may linearize after it
    ]);
    expect(verdict).toEqual({ model: 'lock', result: 'Ok', operations: 4 });
  });

  it('catches two holders at once', async () => {
    const verdict = await checkLinearizable('lincheck-two-holders', [
      op(1, 'acquire', 0, 10, true),
      op(2, 'acquire', 20, 30, true), // 1 never released
    ]);
    expect(verdict.result).toBe('Illegal');
  });

  it('catches a release by a client that does not hold the lock', async () => {
    const verdict = await checkLinearizable('lincheck-foreign-release', [
      op(1, 'acquire', 0, 10, true),
      op(2, 'release', 20, 30, true),
    ]);
    expect(verdict.result).toBe('Illegal');
  });
});
