import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp, loadConfig } from '@suite/service-kit';
import { createTestDatabase, TestTokens, type TestDatabase } from '@suite/testing';
import { AppModule } from './app.module';
import { pspSimulatorConfigSchema } from './config/psp-simulator.config';

// Input that once reached Postgres and came back as a 500: each is a 400 that says what is
// wrong, on the simulator and its real database.
describe('psp-simulator answers bad input with 400', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase('psp_bad_input', 2);
    const config = loadConfig(
      pspSimulatorConfigSchema,
      { DATABASE_URL: db.url, LOG_LEVEL: 'fatal', JWT_PUBLIC_KEY: new TestTokens().publicKeyPem },
      'psp-simulator',
    );
    app = await initServiceApp(AppModule.register(config), { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const charge = (payload: object, idempotencyKey = 'bad-input-1') =>
    app.inject({
      method: 'POST',
      url: '/charges',
      headers: { 'idempotency-key': idempotencyKey },
      payload,
    });
  const valid = { amountMinor: 1250, currency: 'EUR', sourceToken: 'tok_visa' };

  const expect400 = (response: { statusCode: number; json(): unknown }, message: unknown) => {
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message },
    });
  };

  it('refuses a NUL in a merchant reference', async () => {
    expect400(
      await charge({ ...valid, merchantReference: 'order-\u00001' }),
      'merchantReference must not contain control characters',
    );
  });

  it('refuses a NUL in a reconciliation lookup', async () => {
    expect400(
      await app.inject({ method: 'GET', url: '/charges?merchantReference=order-%001' }),
      'query parameter merchantReference must not contain control characters',
    );
  });

  it('refuses a lookup key given twice', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/charges?idempotencyKey=a-key-1&idempotencyKey=b',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('idempotencyKey must be a string');
  });

  it('still finds charges by reference', async () => {
    expect(
      (await charge({ ...valid, merchantReference: 'order-2' }, 'bad-input-2')).statusCode,
    ).toBe(201);
    const found = await app.inject({ method: 'GET', url: '/charges?merchantReference=order-2' });
    expect(found.statusCode).toBe(200);
    expect(found.json().data).toHaveLength(1);
  });
});
