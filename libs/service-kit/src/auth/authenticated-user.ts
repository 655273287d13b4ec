// Who made the request, as the token says: `sub` and the space-separated `scope`.
export interface AuthenticatedUser {
  userId: string;
  scopes: string[];
}

// For a handler whose rule depends on the caller's scopes (acting for another user, say),
// where @RequireScopes would refuse too much.
export function hasScope(user: AuthenticatedUser, scope: string): boolean {
  return user.scopes.includes(scope);
}
