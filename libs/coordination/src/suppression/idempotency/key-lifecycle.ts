// The lifecycle of one idempotency key. The table is the source of truth: the store
// asks it before every change, and the SQL's WHERE clauses mirror its from-states.
//
//   absent    no row (never used, or purged)
//   locked    a request holds the key and may commit phases under its lock token
//   unlocked  in flight, nobody holds it: released after a failure, or its lock
//             timed out (a locked row past locked_until counts as unlocked)
//   completed the response is stored; every retry replays it
export type KeyState = 'absent' | 'locked' | 'unlocked' | 'completed';

export type KeyEvent =
  | 'begin' // first request with this key
  | 'advance' // the holder commits a phase and moves its recovery point
  | 'complete' // the holder stores the final response
  | 'release' // the holder gives the key up without a response (retry may resume)
  | 'expire' // the lock timeout passed without the holder advancing
  | 'resume' // a retry takes an unlocked key and continues at its recovery point
  | 'purge'; // the retention window passed

export const KEY_TRANSITIONS: Readonly<Record<KeyState, Partial<Record<KeyEvent, KeyState>>>> = {
  absent: { begin: 'locked' },
  locked: { advance: 'locked', complete: 'completed', release: 'unlocked', expire: 'unlocked' },
  unlocked: { resume: 'locked', purge: 'absent' },
  // Terminal until retention ends: a stored response is never overwritten.
  completed: { purge: 'absent' },
};

export class IllegalKeyTransitionError extends Error {
  readonly code = 'IDEMPOTENCY_ILLEGAL_TRANSITION';
  constructor(
    readonly from: KeyState,
    readonly event: KeyEvent,
  ) {
    super(`idempotency key: "${event}" is not legal in state "${from}"`);
  }
}

export function nextKeyState(from: KeyState, event: KeyEvent): KeyState {
  const to = KEY_TRANSITIONS[from][event];
  if (to === undefined) throw new IllegalKeyTransitionError(from, event);
  return to;
}

export function isLegalKeyTransition(from: KeyState, event: KeyEvent): boolean {
  return KEY_TRANSITIONS[from][event] !== undefined;
}

export interface StoredKeyState {
  state: 'locked' | 'unlocked' | 'completed';
  lockedUntilMs: number | null;
}

// The state a row is in at `nowMs`: a lock past its deadline has expired.
export function effectiveKeyState(row: StoredKeyState, nowMs: number): KeyState {
  if (row.state === 'locked' && row.lockedUntilMs !== null && row.lockedUntilMs <= nowMs) {
    return nextKeyState('locked', 'expire');
  }
  return row.state;
}
