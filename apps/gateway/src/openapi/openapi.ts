import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_JSON_PATH = 'docs/openapi.json';

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Coordination suite API')
    .setDescription(
      [
        'The one public entry point: ticketing (events, seats, holds, checkouts, orders) and payments.',
        'Every route but health, metrics, docs and the development token endpoint needs a bearer JWT (ES256).',
        'Responses of rate-limited routes carry RateLimit and RateLimit-Policy headers; a 429 also carries Retry-After.',
        'Routes that move money require an Idempotency-Key; a retry with the same key gets the first result.',
      ].join(' '),
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
}

// Swagger UI at /docs and the document at /docs/openapi.json. Must run before the app is
// initialised: Fastify takes no routes once it is ready.
export function serveOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
  });
}
