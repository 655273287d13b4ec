import { REQUEST_DESCRIPTOR_KEYS, SCOPES, type RateLimitDescriptor } from '@suite/contracts';
import { hasScope, type AuthenticatedUser } from '@suite/service-kit';

export type DescriptorOwnership = { ok: true } | { ok: false; message: string };

// A caller spends and reads only its own budgets: without ops:admin, every descriptor must
// carry "user" equal to the token's subject. One naming another user, or no user at all
// ({"route":…} or {"client_ip":…}: budgets other callers share), is refused, so no one can
// use up a limit that someone else is held to. Operators act for anyone.
export function callersOwnDescriptors(
  caller: AuthenticatedUser,
  descriptors: readonly RateLimitDescriptor[],
  field: 'descriptors' | 'descriptor',
): DescriptorOwnership {
  if (hasScope(caller, SCOPES.opsAdmin)) return { ok: true };
  const { user } = REQUEST_DESCRIPTOR_KEYS;
  for (const [i, descriptor] of descriptors.entries()) {
    if (descriptor[user] !== caller.userId) {
      // The value sent is not echoed; the caller's own id is what it should have sent.
      const what = descriptor[user] === undefined ? `has no "${user}" entry` : 'names another user';
      return {
        ok: false,
        message: `${field}.${i} ${what}: without the "${SCOPES.opsAdmin}" scope every descriptor must carry "${user}": "${caller.userId}", the token's own subject`,
      };
    }
  }
  return { ok: true };
}
