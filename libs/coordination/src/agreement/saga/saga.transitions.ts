// The saga instance's state machine, written down once. Every status change goes through
// assertTransition, so an illegal move (say, completing a compensating saga) is a bug that
// fails loudly instead of a row that quietly lies.
export const SAGA_STATUSES = [
  'running',
  'compensating',
  'completed',
  'compensated',
  'failed',
] as const;
export type SagaStatus = (typeof SAGA_STATUSES)[number];

export const TERMINAL_STATUSES: readonly SagaStatus[] = ['completed', 'compensated', 'failed'];

export const VALID_TRANSITIONS: Readonly<Record<SagaStatus, readonly SagaStatus[]>> = {
  // next step, last step done, a step failed after others succeeded, the first step failed
  running: ['running', 'completed', 'compensating', 'compensated'],
  // next compensation, all undone, a compensation gave up (needs an operator)
  compensating: ['compensating', 'compensated', 'failed'],
  completed: [],
  compensated: [],
  failed: [],
};

export class IllegalSagaTransitionError extends Error {
  readonly code = 'SAGA_ILLEGAL_TRANSITION';

  constructor(
    readonly from: SagaStatus,
    readonly to: SagaStatus,
  ) {
    super(`illegal saga transition ${from} -> ${to}`);
    this.name = 'IllegalSagaTransitionError';
  }
}

export function assertTransition(from: SagaStatus, to: SagaStatus): void {
  if (!VALID_TRANSITIONS[from].includes(to)) throw new IllegalSagaTransitionError(from, to);
}

export function isTerminal(status: SagaStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
