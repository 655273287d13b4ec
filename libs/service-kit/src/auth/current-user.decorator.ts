import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from './authenticated-user';

// Where JwtAuthGuard leaves the verified user on the request.
export interface RequestWithUser {
  user?: AuthenticatedUser;
}

// The verified caller of the current request: `@CurrentUser() user: AuthenticatedUser`.
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = context.switchToHttp().getRequest<RequestWithUser>().user;
    if (user === undefined) {
      // A @Public() route, or no AuthModule: a wiring mistake, so a 500, not a 401.
      throw new Error('@CurrentUser() used on a route that is not authenticated');
    }
    return user;
  },
);
