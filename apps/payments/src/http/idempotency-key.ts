import type { AuthenticatedUser } from '@suite/service-kit';

// An HTTP caller's keys live in a scope of its own, named by the verified token's subject:
// two callers who pick the same key get two payments and never see each other's response.
// Saga commands key theirs in SAGA_SCOPE, which no user scope can equal.
export function callerScope(user: AuthenticatedUser): string {
  return `user:${user.userId}`;
}
