import type { OpenAPIObject } from '@nestjs/swagger';
import { describeRequestSchema, type OpenApiOptions } from '@suite/service-kit';

export const OPENAPI_JSON_PATH = 'docs/openapi.json';

// The request bodies the gateway documents are the owning services' DTOs, which the chassis
// enforces there: closed, no control characters, optional fields nullable.
function describeRequestBodies(document: OpenAPIObject): void {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if (name.endsWith('Request')) describeRequestSchema(schema);
  }
}

// The gateway's document (served by the chassis at /docs/openapi.json, Swagger UI at /docs):
// every proxied route with the shapes its owning service answers.
export const GATEWAY_OPENAPI: OpenApiOptions = {
  title: 'Coordination suite API',
  description: [
    'The one public entry point: ticketing (events, seats, holds, checkouts, orders), payments, auctions, rate limits, scheduled jobs and crawls.',
    'Every route but health, docs and the development token endpoint needs a bearer JWT (ES256); auction reads take one optionally.',
    'Responses of rate-limited routes carry RateLimit and RateLimit-Policy headers; a 429 also carries Retry-After.',
    'Routes that move money require an Idempotency-Key; a retry with the same key gets the first result.',
  ].join(' '),
  jsonPath: OPENAPI_JSON_PATH,
  refine: describeRequestBodies,
};
