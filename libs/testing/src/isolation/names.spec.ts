import { uniqueName } from './names';

describe('uniqueName', () => {
  it('is a valid unquoted SQL identifier whatever the label', () => {
    for (const label of ['Seat holds!', '', '---', 'a'.repeat(80), 'ünïcode label']) {
      expect(uniqueName(label)).toMatch(/^t_[a-z0-9_]{1,30}_[0-9a-f]{8}$/);
    }
  });

  it('differs between calls with the same label', () => {
    const names = new Set(Array.from({ length: 1000 }, () => uniqueName('same')));
    expect(names.size).toBe(1000);
  });
});
