import { type AnswersTo, refusal } from '@suite/service-kit';
import type { CancelJobOutcome } from '../jobs/cancel-job/cancel-job.use-case';
import {
  MAX_PAYLOAD_BYTES,
  type CreateJobOutcome,
  type JobRequestProblem,
} from '../jobs/create-job/create-job.use-case';
import type { GetJobOutcome } from '../jobs/get-job/get-job.use-case';
import type { ListFiresOutcome } from '../jobs/list-fires/list-fires.use-case';

const INVALID_JOB: Record<JobRequestProblem, string> = {
  'schedule-missing': 'give runAt (a one-off job) or cron (a recurring one)',
  'schedule-ambiguous': 'give runAt or cron, not both',
  'target-missing': 'give callbackUrl or topic',
  'target-ambiguous': 'give callbackUrl or topic, not both',
  'run-at-in-the-past': 'runAt is in the past',
  'cron-invalid': 'cron is not a cron expression (5 fields, or 6 with seconds first)',
  'cron-never-fires': 'cron has no future time',
  'payload-too-large': `payload must be at most ${MAX_PAYLOAD_BYTES} bytes of JSON`,
};

// Every outcome of every use case that has more than one, and the HTTP answer it gets.
// Controllers look their answers up here; they decide nothing themselves.
export const HTTP_ANSWERS: {
  readonly createJob: AnswersTo<CreateJobOutcome>;
  readonly getJob: AnswersTo<GetJobOutcome>;
  readonly cancelJob: AnswersTo<CancelJobOutcome>;
  readonly listFires: AnswersTo<ListFiresOutcome>;
} = {
  createJob: {
    created: ({ job }) => ({ status: 201, body: job }),
    invalid: ({ problem }) => refusal(422, 'invalid_job', INVALID_JOB[problem], { problem }),
    'callback-not-allowed': ({ origin }) =>
      refusal(
        422,
        'callback_origin_not_allowed',
        `callbackUrl must be on a configured callback origin (CALLBACK_ORIGINS); ${origin} is not one`,
      ),
    'topic-not-allowed': ({ prefix }) =>
      refusal(422, 'topic_not_allowed', `topic must start with "${prefix}"`),
  },
  getJob: {
    found: ({ job }) => ({ status: 200, body: job }),
    'not-found': ({ jobId }) => refusal(404, 'job_not_found', `no job ${jobId}`),
  },
  cancelJob: {
    cancelled: ({ job }) => ({ status: 200, body: job }),
    'not-found': ({ jobId }) => refusal(404, 'job_not_found', `no job ${jobId}`),
    finished: () => refusal(409, 'job_finished', 'the job has already fired its last time'),
  },
  listFires: {
    listed: ({ fires }) => ({ status: 200, body: { data: fires } }),
    'not-found': ({ jobId }) => refusal(404, 'job_not_found', `no job ${jobId}`),
  },
};
