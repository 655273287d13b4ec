// Who made the request, as the token says: `sub` and the space-separated `scope`.
export interface AuthenticatedUser {
  userId: string;
  scopes: string[];
}
