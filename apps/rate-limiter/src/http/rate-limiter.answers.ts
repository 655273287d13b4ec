import { REQUEST_DESCRIPTOR_KEYS, SCOPES } from '@suite/contracts';
import { type AnswersTo, type HttpAnswer, refusal } from '@suite/service-kit';
import type { CheckOutcome } from '../policies/check/check.use-case';
import type { ForeignDescriptor } from '../policies/domain/callers-own-descriptors';
import type { ReloadOutcome } from '../policies/infra/policy-registry';
import type { InvalidDescriptorParam } from '../policies/usage/usage.query';
import type { UsageOutcome } from '../policies/usage/usage.use-case';

// Named after the request field that carried the descriptors: "descriptors" in a check's
// body, "descriptor" in a usage query.
const foreignDescriptor =
  (field: 'descriptors' | 'descriptor') =>
  ({ index, names, callerId }: ForeignDescriptor): HttpAnswer => {
    const { user } = REQUEST_DESCRIPTOR_KEYS;
    const what = names === 'no-user' ? `has no "${user}" entry` : 'names another user';
    return refusal(
      403,
      'Forbidden',
      `${field}.${index} ${what}: without the "${SCOPES.opsAdmin}" scope every descriptor must carry "${user}": "${callerId}", the token's own subject`,
    );
  };

// Well-formed, but not under the policies loaded now: a 422, never a 400, which means the
// request itself is malformed.
const unknownDomain = ({ domain, known }: { domain: string; known: string[] }): HttpAnswer =>
  refusal(
    422,
    'unknown_domain',
    `domain "${domain}" has no policies; loaded domains: ${known.join(', ') || '(none)'}`,
  );

// Every outcome of every use case that has more than one, and the HTTP answer it gets.
// Controllers look their answers up here; they decide nothing themselves.
export const HTTP_ANSWERS: {
  readonly check: AnswersTo<CheckOutcome>;
  readonly usage: AnswersTo<UsageOutcome | InvalidDescriptorParam>;
  readonly reloadPolicies: AnswersTo<ReloadOutcome>;
} = {
  check: {
    // 200 when admitted, 429 when denied, with the same body and the RateLimit headers
    // either way, so a caller can act on the status alone (an nginx auth_request, curl -f)
    // or read the decision.
    decided: ({ decision }) => ({
      status: decision.allowed ? 200 : 429,
      body: decision,
      headers: decision.headers,
    }),
    'foreign-descriptor': foreignDescriptor('descriptors'),
    'unknown-domain': unknownDomain,
    'cost-too-high': ({ policy, cost, capacity }) =>
      refusal(
        422,
        'cost_exceeds_limit',
        `cost ${cost} can never be admitted by policy ${policy}, whose capacity is ${capacity}`,
      ),
  },
  usage: {
    read: ({ domain, policiesHash, usage }) => ({
      status: 200,
      body: { domain, policiesHash, usage },
    }),
    'invalid-descriptor': ({ message }) => refusal(400, 'invalid_descriptor', message),
    'foreign-descriptor': foreignDescriptor('descriptor'),
    'unknown-domain': unknownDomain,
    'redis-unavailable': ({ reason }) => ({
      ...refusal(
        503,
        'redis_unavailable',
        `usage lives in Redis, which cannot be read now: ${reason}`,
      ),
      headers: { 'retry-after': '1' },
    }),
  },
  // 200 when the file in force is the one on disk (reloaded or unchanged); 422 when the
  // file on disk was refused, with every issue, and the policies in force stay.
  reloadPolicies: {
    reloaded: ({ loaded }) => ({ status: 200, body: { status: 'reloaded', loaded } }),
    unchanged: ({ loaded }) => ({ status: 200, body: { status: 'unchanged', loaded } }),
    rejected: ({ loaded, rejected }) => ({
      status: 422,
      body: { statusCode: 422, error: 'invalid_policy_file', message: rejected.issues, loaded },
    }),
  },
};
