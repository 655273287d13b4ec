import { REQUEST_DESCRIPTOR_KEYS, SCOPES, type RateLimitDescriptor } from '@suite/contracts';
import type { AuthenticatedUser } from '@suite/service-kit';

// The refusal of a descriptor the caller may not act on: where it is in the request, and
// whether it names another user or no user at all. The value sent is not kept; the
// caller's own id is what it should have sent.
export interface ForeignDescriptor {
  kind: 'foreign-descriptor';
  index: number;
  names: 'another-user' | 'no-user';
  callerId: string;
}

// A caller spends and reads only its own budgets: without ops:admin, every descriptor must
// carry "user" equal to the token's subject. One naming another user, or no user at all
// ({"route":…} or {"client_ip":…}: budgets other callers share), is refused, so no one can
// use up a limit that someone else is held to. Operators act for anyone.
export function firstForeignDescriptor(
  caller: AuthenticatedUser,
  descriptors: readonly RateLimitDescriptor[],
): ForeignDescriptor | undefined {
  if (caller.scopes.includes(SCOPES.opsAdmin)) return undefined;
  const { user } = REQUEST_DESCRIPTOR_KEYS;
  const index = descriptors.findIndex((descriptor) => descriptor[user] !== caller.userId);
  if (index < 0) return undefined;
  return {
    kind: 'foreign-descriptor',
    index,
    names: descriptors[index]?.[user] === undefined ? 'no-user' : 'another-user',
    callerId: caller.userId,
  };
}
