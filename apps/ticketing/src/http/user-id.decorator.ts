import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';

export const USER_ID_HEADER = 'x-user-id';

// The one place that says who the caller is. Until the gateway's JWT guard is wired in,
// the caller names itself in x-user-id; swapping this for `@CurrentUser()` (userId of the
// verified token) changes no controller.
export function userIdFrom(headers: Record<string, string | string[] | undefined>): string {
  const raw = headers[USER_ID_HEADER];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) throw new UnauthorizedException(`the ${USER_ID_HEADER} header is required`);
  if (value.length > 200)
    throw new UnauthorizedException(`the ${USER_ID_HEADER} header is too long`);
  return value;
}

export const UserId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  userIdFrom(
    context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>()
      .headers,
  ),
);
