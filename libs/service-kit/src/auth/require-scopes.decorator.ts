import { SetMetadata, type CustomDecorator } from '@nestjs/common';

export const REQUIRED_SCOPES = 'suite:required-scopes';

// Scopes the caller's token must hold, every one of them, on a route or a whole controller
// (a route's list replaces its controller's). JwtAuthGuard answers 403 naming the first
// scope missing. Meaningless on a @Public() route, which has no caller to ask.
export const RequireScopes = (...scopes: [string, ...string[]]): CustomDecorator<string> =>
  SetMetadata(REQUIRED_SCOPES, scopes);
