import { isPayload } from './payload';

describe('job payload', () => {
  it('accepts a flat object of strings, numbers, booleans and null', () => {
    expect(isPayload({ order: 'o-1', amount: 12.5, urgent: true, note: null })).toBe(true);
    expect(isPayload({})).toBe(true);
  });

  it('refuses nesting, arrays, odd keys, control characters and too many entries', () => {
    expect(isPayload({ nested: { a: 1 } })).toBe(false);
    expect(isPayload({ list: [1] })).toBe(false);
    expect(isPayload([])).toBe(false);
    expect(isPayload({ '1st': 'x' })).toBe(false);
    expect(isPayload({ 'a\u001c': 'x' })).toBe(false);
    expect(isPayload({ a: 'line\nbreak' })).toBe(false);
    expect(isPayload({ a: 'x'.repeat(257) })).toBe(false);
    expect(isPayload(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])))).toBe(
      false,
    );
  });
});
