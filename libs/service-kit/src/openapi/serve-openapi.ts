import { METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { IS_PUBLIC_ROUTE } from '../auth/public.decorator';
import { REQUIRED_SCOPES } from '../auth/require-scopes.decorator';
import { JwtVerifier } from '../auth/jwt-verifier';
import { describeAllValidatedClasses, validatedClassNames } from './validator-schemas';

export interface OpenApiOptions {
  title: string;
  description: string;
  // Where the JSON document is served; the UI is always at /docs.
  jsonPath?: string;
  // Last touches that only the running service knows, e.g. a limit set by its config.
  refine?: (document: OpenAPIObject) => void;
}

export const OPENAPI_JSON_PATH = 'docs/json';

// The body of every error the exception filter writes (ErrorResponseBody), with room for
// the details a 4xx adds (which seats were taken, the minimum bid).
export const ERROR_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  },
};

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };

interface RouteAuth {
  isPublic: boolean;
  scopes: string[];
}

type Operation = {
  operationId?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, unknown>;
};

// Which routes are public and which scopes each requires, keyed by Nest's default
// operation id (<Controller>_<method>), read from the same metadata JwtAuthGuard reads.
function authByOperationId(app: NestFastifyApplication): Map<string, RouteAuth> {
  const byId = new Map<string, RouteAuth>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new () => unknown) | undefined;
      if (!controller || typeof controller !== 'function') continue;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const read = <T>(key: string): T | undefined =>
          (Reflect.getMetadata(key, handler) as T | undefined) ??
          (Reflect.getMetadata(key, controller) as T | undefined);
        byId.set(`${controller.name}_${name}`, {
          isPublic: read<boolean>(IS_PUBLIC_ROUTE) === true,
          scopes: read<string[]>(REQUIRED_SCOPES) ?? [],
        });
      }
    }
  }
  return byId;
}

function addResponse(op: Operation, status: string, description: string): void {
  op.responses[status] ??= {
    description,
    content: { 'application/json': { schema: ERROR_REF } },
  };
}

// Nest's generator sees only decorators; what the chassis does to every route (global
// validation, the JWT guard and its scopes, Fastify's own 4xx for a malformed body) is added
// here, so each operation lists every status it can really answer.
function addChassisResponses(
  document: OpenAPIObject,
  auth: Map<string, RouteAuth>,
  guarded: boolean,
): void {
  for (const methods of Object.values(document.paths)) {
    for (const [method, value] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const op = value as Operation;
      const route = op.operationId ? auth.get(op.operationId) : undefined;
      // A route that declares its own security (the gateway's optional bearer) keeps it.
      if (op.security !== undefined) {
        // declared by the route's decorators
      } else if (guarded && route && !route.isPublic) {
        op.security = [{ bearer: route.scopes }];
        addResponse(op, '401', 'Missing or invalid bearer token');
        if (route.scopes.length > 0) {
          addResponse(op, '403', `The token lacks a required scope: ${route.scopes.join(', ')}`);
        }
      } else {
        op.security = [];
      }
      if ((op.parameters?.length ?? 0) > 0 || op.requestBody !== undefined) {
        addResponse(op, '400', 'A parameter or the body breaks a rule; the message names it');
      }
      if (op.requestBody !== undefined) {
        addResponse(op, '413', 'The body is larger than the service accepts');
        addResponse(op, '415', 'The body is not JSON');
      }
    }
  }
}

// The input guards refuse a control character in any string a client sends (path, query,
// body); a free-form string of the document says so with this pattern.
export const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u001F\\u007F]*$';

type SchemaNode = {
  type?: string;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
};

function forbidControlCharacters(schema: SchemaNode | undefined): void {
  if (!schema) return;
  if (schema.type === 'string' && !schema.pattern && !schema.format && !schema.enum) {
    schema.pattern = NO_CONTROL_CHARACTERS;
  }
  forbidControlCharacters(schema.items);
  for (const property of Object.values(schema.properties ?? {})) forbidControlCharacters(property);
}

// A request body's schema as the chassis enforces it: closed (the validation pipe refuses a
// property it does not declare), free of control characters in every string, and nullable
// where optional (@IsOptional() lets null through as well as absence, so a handler must take
// null as "not given").
export function describeRequestSchema(schema: unknown): void {
  const object = schema as SchemaNode & { required?: string[] };
  if (object.properties !== undefined && object.additionalProperties === undefined) {
    object.additionalProperties = false;
  }
  forbidControlCharacters(object);
  for (const [property, value] of Object.entries(object.properties ?? {})) {
    if (!(object.required ?? []).includes(property)) {
      (value as { nullable?: boolean }).nullable = true;
    }
  }
}

// The request DTOs, and every string path and query parameter, as describeRequestSchema says.
function describeRequestRules(document: OpenAPIObject): void {
  const validated = validatedClassNames();
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if (validated.has(name)) describeRequestSchema(schema);
  }
  for (const methods of Object.values(document.paths)) {
    for (const op of Object.values(methods) as Array<Partial<Operation>>) {
      // Headers are not among what the guards check: a header that refuses something says
      // so with its own pattern (Idempotency-Key); x-request-id replaces an unusable value.
      for (const parameter of (op.parameters ?? []) as Array<{
        in?: string;
        schema?: SchemaNode;
      }>) {
        if (parameter.in !== 'header') forbidControlCharacters(parameter.schema);
      }
    }
  }
}

// OpenAPI 3.1 (JSON Schema 2020-12) rather than Nest's 3.0: only 3.1 can say what a key of a
// free-form object must look like (propertyNames), which the rate limiter's descriptors need.
// 3.0's `nullable` and boolean `exclusiveMinimum` become their 3.1 spellings.
function toOpenApi31(document: OpenAPIObject): void {
  (document as { openapi: string }).openapi = '3.1.0';
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    Object.values(schema).forEach(visit);
    if (schema['exclusiveMinimum'] === true) {
      schema['exclusiveMinimum'] = schema['minimum'];
      delete schema['minimum'];
    }
    if (schema['nullable'] !== true) return;
    delete schema['nullable'];
    if (Array.isArray(schema['enum'])) schema['enum'] = [...(schema['enum'] as unknown[]), null];
    if (typeof schema['type'] === 'string') {
      schema['type'] = [schema['type'], 'null'];
    } else {
      // A $ref or allOf: the value is that, or null.
      const inner = { ...schema };
      for (const key of Object.keys(schema)) delete schema[key];
      schema['anyOf'] = [inner, { type: 'null' }];
    }
  };
  visit(document.paths);
  visit(document.components);
}

export function buildOpenApiDocument(
  app: NestFastifyApplication,
  options: OpenApiOptions,
): OpenAPIObject {
  describeAllValidatedClasses();
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas ??= {};
  describeRequestRules(document);
  document.components.schemas['ErrorResponse'] ??= ERROR_RESPONSE_SCHEMA as never;
  let guarded = true;
  try {
    app.get(JwtVerifier, { strict: false });
  } catch {
    guarded = false;
  }
  addChassisResponses(document, authByOperationId(app), guarded);
  options.refine?.(document);
  toOpenApi31(document);
  return document;
}

// Swagger UI at /docs and the document as JSON (at /docs/json unless told otherwise). Must
// run before the app is initialised: Fastify takes no routes once it is ready.
export function serveOpenApi(app: NestFastifyApplication, options: OpenApiOptions): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, options), {
    jsonDocumentUrl: options.jsonPath ?? OPENAPI_JSON_PATH,
    raw: ['json'],
  });
}
