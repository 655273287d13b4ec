import { SetMetadata, type CustomDecorator } from '@nestjs/common';

export const IS_PUBLIC_ROUTE = 'suite:public-route';

// Marks a route or a whole controller as reachable without a bearer token. Everything
// else requires one once AuthModule is imported.
export const Public = (): CustomDecorator<string> => SetMetadata(IS_PUBLIC_ROUTE, true);
