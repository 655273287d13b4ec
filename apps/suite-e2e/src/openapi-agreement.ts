// The gateway publishes the services' routes in its own OpenAPI document, declared with its
// own classes. This compares each proxied operation with the owning service's document after
// resolving every $ref: request body, parameters and every status the service can answer,
// schema for schema. Names, descriptions and examples may differ; shapes and rules may not.

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

// Prose that may differ between the two sides. A default is documentation too: the gateway
// may state the default a service applies in code without declaring it.
const PROSE = new Set(['description', 'example', 'examples', 'title', 'default']);

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

// A schema with every $ref replaced by its target and its keys in one order, so that two
// documents that name their classes differently compare equal when their shapes are.
export function resolveSchema(doc: OpenApiDocument, schema: unknown, seen: string[] = []): unknown {
  if (Array.isArray(schema)) return schema.map((s) => resolveSchema(doc, s, seen));
  if (schema === null || typeof schema !== 'object') return schema;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const name = ref.split('/').pop() ?? ref;
    if (seen.includes(name)) return { recursive: name };
    return resolveSchema(doc, doc.components?.schemas?.[name], [...seen, name]);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema).sort()) {
    if (PROSE.has(key)) continue;
    out[key] = resolveSchema(doc, (schema as Record<string, unknown>)[key], seen);
  }
  // Which fields are required, and which values an enum allows, are sets.
  for (const set of ['required', 'enum']) {
    if (Array.isArray(out[set])) out[set] = [...(out[set] as unknown[])].sort(byJson);
  }
  return out;
}

// Path parameters compare by position (the two sides may name them differently), query
// parameters by name. Headers are the gateway's own business (Idempotency-Key, tokens).
function parameters(doc: OpenApiDocument, op: Operation): unknown[] {
  return (op.parameters ?? [])
    .filter((p) => p.in === 'path' || p.in === 'query')
    .map((p) => ({
      in: p.in,
      name: p.in === 'path' ? '(path)' : p.name,
      required: p.required === true,
      schema: resolveSchema(doc, p.schema),
    }))
    .sort((a, b) => `${a.in} ${a.name}`.localeCompare(`${b.in} ${b.name}`));
}

const json = (o: Operation['requestBody'] | Operation['responses'][string] | undefined) =>
  o?.content?.['application/json']?.schema;

// The same shape, or a gateway answer that is one of several shapes, the service's among them
// (a 429 that is the rate limiter's denial or the gateway's own limit).
function agrees(gatewaySide: unknown, serviceSide: unknown): boolean {
  const same = (a: unknown) => JSON.stringify(a) === JSON.stringify(serviceSide);
  if (same(gatewaySide)) return true;
  const alternatives = (gatewaySide as { oneOf?: unknown[]; anyOf?: unknown[] } | undefined) ?? {};
  return [...(alternatives.oneOf ?? []), ...(alternatives.anyOf ?? [])].some(same);
}

const pathShape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

export interface Disagreement {
  operation: string;
  where: string;
  gateway: unknown;
  service: unknown;
}

export interface Upstream {
  name: string;
  document: OpenApiDocument;
  // The gateway publishes this upstream's paths under a prefix (the rate limiter's
  // /rate-limits); the service serves them without it.
  gatewayPrefix?: string;
}

export function compareWithUpstreams(
  gateway: OpenApiDocument,
  upstreams: readonly Upstream[],
  // The gateway's own routes, served by no upstream.
  ownPaths: (path: string) => boolean,
  // A difference that is known and right, with the reason at the call site.
  explained?: (difference: Disagreement) => boolean,
): { compared: string[]; disagreements: Disagreement[] } {
  const compared: string[] = [];
  const disagreements: Disagreement[] = [];
  for (const [path, methods] of Object.entries(gateway.paths)) {
    if (ownPaths(path)) continue;
    for (const [method, op] of Object.entries(methods)) {
      const operation = `${method.toUpperCase()} ${path}`;
      const owners = upstreams.flatMap((u) => {
        const served =
          u.gatewayPrefix && path.startsWith(u.gatewayPrefix)
            ? path.slice(u.gatewayPrefix.length)
            : path;
        return Object.entries(u.document.paths)
          .filter(([p, m]) => pathShape(p) === pathShape(served) && m[method] !== undefined)
          .map(([, m]) => ({ upstream: u, op: m[method] as Operation }));
      });
      if (owners.length !== 1) {
        disagreements.push({
          operation,
          where: 'owner',
          gateway: operation,
          service: owners.map((o) => o.upstream.name),
        });
        continue;
      }
      const [{ upstream, op: served }] = owners as [{ upstream: Upstream; op: Operation }];
      const differ = (where: string, gatewaySide: unknown, serviceSide: unknown) => {
        if (agrees(gatewaySide, serviceSide)) return;
        if (explained?.({ operation, where, gateway: gatewaySide, service: serviceSide })) return;
        disagreements.push({ operation, where, gateway: gatewaySide, service: serviceSide });
      };
      compared.push(`${operation} -> ${upstream.name}`);
      differ(
        'request body',
        resolveSchema(gateway, json(op.requestBody)),
        resolveSchema(upstream.document, json(served.requestBody)),
      );
      differ('parameters', parameters(gateway, op), parameters(upstream.document, served));
      // Every answer the service can give reaches the client through the gateway, so the
      // gateway must declare it; the gateway may add its own (429, 502, 503, 504).
      for (const [status, response] of Object.entries(served.responses)) {
        differ(
          `response ${status}`,
          op.responses[status] === undefined
            ? 'not declared'
            : resolveSchema(gateway, json(op.responses[status])),
          resolveSchema(upstream.document, json(response)),
        );
      }
    }
  }
  return { compared, disagreements };
}
