import { Controller, Get, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp } from '../app/create-service-app';
import { HealthModule } from '../health/health.module';
import { ObservabilityModule } from '../observability/observability.module';
import { AuthModule } from './auth.module';
import type { AuthenticatedUser } from './authenticated-user';
import { CurrentUser } from './current-user.decorator';
import { DevTokenSigner } from './dev-token-signer';
import { generateEs256KeyPair } from './es256-keys';
import { Public } from './public.decorator';
import { RequireScopes } from './require-scopes.decorator';

@Controller('orders')
class OrdersHttpController {
  @Get('mine')
  mine(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }

  @Public()
  @Get('catalogue')
  catalogue(): { public: true } {
    return { public: true };
  }

  // Wiring mistake: asks for a user on a route that does not authenticate.
  @Public()
  @Get('confused')
  confused(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }
}

@RequireScopes('payments:write')
@Controller('refunds')
class RefundsHttpController {
  @Post()
  refund(): { refunded: true } {
    return { refunded: true };
  }

  // A route's own list replaces its controller's.
  @RequireScopes('ops:admin', 'payments:write')
  @Post('bulk')
  bulk(): { refunded: 'all' } {
    return { refunded: 'all' };
  }
}

// Wiring mistake: scopes required where no caller is asked for a token.
@Controller('promotions')
class PromotionsHttpController {
  @Public()
  @RequireScopes('ops:admin')
  @Get()
  list(): string[] {
    return [];
  }
}

@Public()
@Controller('events')
class EventsHttpController {
  @Get()
  list(): string[] {
    return ['flash-sale'];
  }
}

const ISSUER = 'suite-gateway';
const AUDIENCE = 'suite';
const keys = generateEs256KeyPair();
const signer = new DevTokenSigner({
  privateKeyPem: keys.privateKeyPem,
  issuer: ISSUER,
  audience: AUDIENCE,
});

@Module({
  imports: [
    AuthModule.forRoot({ publicKeyPem: keys.publicKeyPem, issuer: ISSUER, audience: AUDIENCE }),
    ObservabilityModule.forService('ticketing', { logLevel: 'fatal' }),
    HealthModule.forService('ticketing'),
  ],
  controllers: [
    OrdersHttpController,
    EventsHttpController,
    RefundsHttpController,
    PromotionsHttpController,
  ],
})
class ProbeAppModule {}

describe('AuthModule', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initServiceApp(ProbeAppModule, { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  const getMine = (authorization?: string) =>
    app.inject({
      method: 'GET',
      url: '/orders/mine',
      headers: authorization === undefined ? {} : { authorization },
    });

  it('lets a valid bearer token through and hands the handler its user', async () => {
    const token = await signer.sign({ userId: 'buyer-7', scopes: ['orders:read'] });
    const response = await getMine(`Bearer ${token}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ userId: 'buyer-7', scopes: ['orders:read'] });
  });

  it('answers 401 when the token is missing', async () => {
    const response = await getMine();
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'missing bearer token',
    });
  });

  it('answers 401 when the Authorization header is not a bearer token', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b']) {
      const response = await getMine(header);
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toBe('Authorization header must be "Bearer <token>"');
    }
  });

  it('answers 401 naming the problem for a malformed, expired or forged token, with no stack', async () => {
    const expired = await new DevTokenSigner({
      privateKeyPem: keys.privateKeyPem,
      issuer: ISSUER,
      audience: AUDIENCE,
      now: () => Date.now() - 7_200_000,
    }).sign({ userId: 'buyer-7' });
    const forged = await new DevTokenSigner({
      privateKeyPem: generateEs256KeyPair().privateKeyPem,
      issuer: ISSUER,
      audience: AUDIENCE,
    }).sign({ userId: 'buyer-7' });
    const cases: [string, string][] = [
      ['not.a-jwt', 'token is malformed'],
      [expired, 'token has expired'],
      [forged, 'token signature is invalid'],
    ];
    for (const [token, message] of cases) {
      const response = await getMine(`Bearer ${token}`);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message });
      expect(response.headers['www-authenticate']).toBe(
        `Bearer error="invalid_token", error_description="${message}"`,
      );
      expect(response.body).not.toContain(' at ');
    }
  });

  it('lets anyone reach a @Public() route or controller', async () => {
    expect((await app.inject({ method: 'GET', url: '/orders/catalogue' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/events' })).statusCode).toBe(200);
  });

  it('keeps health and metrics public', async () => {
    for (const url of ['/health', '/health/ready', '/metrics']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
  });

  describe('@RequireScopes', () => {
    const post = async (url: string, scopes?: string[]) =>
      app.inject({
        method: 'POST',
        url,
        headers:
          scopes === undefined
            ? {}
            : { authorization: `Bearer ${await signer.sign({ userId: 'u-1', scopes })}` },
      });

    it('refuses a valid token without the scope with 403 naming the scope', async () => {
      const response = await post('/refunds', ['tickets:buy']);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'this route requires the "payments:write" scope, which the token does not carry',
      });
      expect(response.headers['www-authenticate']).toBe(
        'Bearer error="insufficient_scope", scope="payments:write"',
      );
    });

    it('lets a token with the scope through', async () => {
      const response = await post('/refunds', ['tickets:buy', 'payments:write']);
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ refunded: true });
    });

    it('still answers 401, not 403, without a token', async () => {
      expect((await post('/refunds')).statusCode).toBe(401);
    });

    it("requires every scope of a route's own list, which replaces its controller's", async () => {
      const short = await post('/refunds/bulk', ['payments:write']);
      expect(short.statusCode).toBe(403);
      expect(short.json().message).toContain('"ops:admin"');
      expect((await post('/refunds/bulk', ['ops:admin', 'payments:write'])).statusCode).toBe(201);
    });

    it('treats scopes on a @Public() route as a server bug, never as open', async () => {
      const response = await app.inject({ method: 'GET', url: '/promotions' });
      expect(response.statusCode).toBe(500);
      expect(response.json().message).toBe('internal error');
    });
  });

  it('treats @CurrentUser() on an unauthenticated route as a server bug, not a 401', async () => {
    const response = await app.inject({ method: 'GET', url: '/orders/confused' });
    expect(response.statusCode).toBe(500);
    expect(response.json().message).toBe('internal error');
  });

  it('fails at module creation when given a private key instead of the public key', () => {
    expect(() =>
      AuthModule.forRoot({ publicKeyPem: keys.privateKeyPem, issuer: ISSUER, audience: AUDIENCE }),
    ).toThrow('publicKeyPem holds a private key');
  });
});
