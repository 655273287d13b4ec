import fc from 'fast-check';
import { classifyExistingKey } from './idempotency-store';
import {
  IllegalKeyTransitionError,
  KEY_TRANSITIONS,
  effectiveKeyState,
  isLegalKeyTransition,
  nextKeyState,
  type KeyEvent,
  type KeyState,
} from './key-lifecycle';

const states: KeyState[] = ['absent', 'locked', 'unlocked', 'completed'];
const events: KeyEvent[] = ['begin', 'advance', 'complete', 'release', 'expire', 'resume', 'purge'];

// Walks the table with arbitrary events, applying only the legal ones.
function walk(path: readonly KeyEvent[]): KeyState[] {
  const visited: KeyState[] = ['absent'];
  let state: KeyState = 'absent';
  for (const event of path) {
    if (!isLegalKeyTransition(state, event)) continue;
    state = nextKeyState(state, event);
    visited.push(state);
  }
  return visited;
}

describe('idempotency key lifecycle', () => {
  it('never leaves completed except by purge, so a stored response is never overwritten', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...events), { maxLength: 40 }), (path) => {
        const visited = walk(path);
        visited.forEach((state, i) => {
          const next = visited[i + 1];
          if (state === 'completed' && next !== undefined) expect(next).toBe('absent');
        });
      }),
    );
  });

  it('reaches completed only through locked: a response is stored by a holder', () => {
    for (const from of states) {
      for (const event of events) {
        if (KEY_TRANSITIONS[from][event] === 'completed') expect(from).toBe('locked');
      }
    }
  });

  it('lets a key be purged only when nobody holds it', () => {
    expect(isLegalKeyTransition('locked', 'purge')).toBe(false);
    expect(nextKeyState('unlocked', 'purge')).toBe('absent');
    expect(nextKeyState('completed', 'purge')).toBe('absent');
  });

  it('throws a typed error for an illegal transition', () => {
    expect(() => nextKeyState('completed', 'advance')).toThrow(IllegalKeyTransitionError);
    expect(() => nextKeyState('absent', 'resume')).toThrow(
      '"resume" is not legal in state "absent"',
    );
  });

  it('every state is reachable from absent and can get back to absent', () => {
    const reachable = new Set(
      walk(['begin', 'advance', 'release', 'resume', 'expire', 'resume', 'complete', 'purge']),
    );
    expect([...reachable].sort()).toEqual([...states].sort());
  });

  it('treats a lock past its deadline as unlocked', () => {
    expect(effectiveKeyState({ state: 'locked', lockedUntilMs: 1000 }, 999)).toBe('locked');
    expect(effectiveKeyState({ state: 'locked', lockedUntilMs: 1000 }, 1000)).toBe('unlocked');
    expect(effectiveKeyState({ state: 'completed', lockedUntilMs: null }, 5000)).toBe('completed');
  });
});

describe('classifyExistingKey', () => {
  const row = (over: Partial<Parameters<typeof classifyExistingKey>[0]> = {}) => ({
    fingerprint: 'fp',
    state: 'completed' as const,
    lockedUntilMs: null,
    expiresAtMs: 10_000,
    ...over,
  });

  it('replays a completed key with the same payload', () => {
    expect(classifyExistingKey(row(), 'fp', 5_000)).toBe('replay');
  });

  it('reports a payload mismatch before anything else while the key is retained', () => {
    expect(classifyExistingKey(row(), 'other', 5_000)).toBe('payload-mismatch');
    expect(
      classifyExistingKey(row({ state: 'locked', lockedUntilMs: 9_000 }), 'other', 5_000),
    ).toBe('payload-mismatch');
  });

  it('says in-progress while the lock is live and resume once it timed out', () => {
    expect(classifyExistingKey(row({ state: 'locked', lockedUntilMs: 6_000 }), 'fp', 5_999)).toBe(
      'in-progress',
    );
    expect(classifyExistingKey(row({ state: 'locked', lockedUntilMs: 6_000 }), 'fp', 6_000)).toBe(
      'resume',
    );
    expect(classifyExistingKey(row({ state: 'unlocked' }), 'fp', 5_000)).toBe('resume');
  });

  it('frees a key after retention, whatever its payload, unless its lock is live', () => {
    expect(classifyExistingKey(row(), 'other', 10_000)).toBe('reset');
    expect(classifyExistingKey(row({ state: 'locked', lockedUntilMs: 12_000 }), 'fp', 11_000)).toBe(
      'in-progress',
    );
  });
});
