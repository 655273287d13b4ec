import {
  assertTransition,
  IllegalSagaTransitionError,
  SAGA_STATUSES,
  TERMINAL_STATUSES,
  VALID_TRANSITIONS,
} from './saga.transitions';

describe('saga transition table', () => {
  it('lets no terminal status move anywhere', () => {
    for (const status of TERMINAL_STATUSES) expect(VALID_TRANSITIONS[status]).toEqual([]);
  });

  it('rejects every move that is not in the table, with a code that survives serialisation', () => {
    for (const from of SAGA_STATUSES) {
      for (const to of SAGA_STATUSES) {
        if (VALID_TRANSITIONS[from].includes(to)) {
          expect(() => assertTransition(from, to)).not.toThrow();
        } else {
          expect(() => assertTransition(from, to)).toThrow(IllegalSagaTransitionError);
        }
      }
    }
    expect(new IllegalSagaTransitionError('completed', 'running').code).toBe(
      'SAGA_ILLEGAL_TRANSITION',
    );
  });

  it('never completes a saga that started compensating', () => {
    expect(() => assertTransition('compensating', 'completed')).toThrow(
      'illegal saga transition compensating -> completed',
    );
  });
});
