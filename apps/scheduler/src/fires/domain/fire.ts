import type { Target } from '../../jobs/domain/job';

// One fire of one job: claimed by the partition's owner (with its fencing token) in the same
// transaction that moves the job to its next time, then delivered at least once with its
// idempotency key, then marked delivered (fenced again).
export interface Fire {
  jobId: string;
  scheduledAt: number;
  idempotencyKey: string;
  partition: number;
  target: Target;
  payload: unknown;
}

export interface FireRecord {
  jobId: string;
  scheduledAt: number;
  idempotencyKey: string;
  status: 'pending' | 'delivered';
  attempts: number;
  claimedAt: number;
  claimedBy: string;
  deliveredAt: number | null;
  deliveredBy: string | null;
}

export type FireView = {
  jobId: string;
  scheduledAt: string;
  idempotencyKey: string;
  status: 'pending' | 'delivered';
  attempts: number;
  claimedAt: string;
  claimedBy: string;
  deliveredAt: string | null;
  deliveredBy: string | null;
};

export function toFireView(fire: FireRecord): FireView {
  return {
    jobId: fire.jobId,
    scheduledAt: new Date(fire.scheduledAt).toISOString(),
    idempotencyKey: fire.idempotencyKey,
    status: fire.status,
    attempts: fire.attempts,
    claimedAt: new Date(fire.claimedAt).toISOString(),
    claimedBy: fire.claimedBy,
    deliveredAt: fire.deliveredAt === null ? null : new Date(fire.deliveredAt).toISOString(),
    deliveredBy: fire.deliveredBy,
  };
}
