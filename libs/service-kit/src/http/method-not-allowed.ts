import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

// RFC 9110 §15.5.6: a method the resource does not support is a 405 listing, in Allow, the
// methods it does support; Fastify would answer a 404, as if the resource did not exist.
// Routes are collected as they are registered, so this must be installed before Nest
// registers its controllers (at init).
export function installMethodNotAllowed(adapter: FastifyAdapter): void {
  const fastify = adapter.getInstance();
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    routes.push({ pattern: pathPattern(route.url), methods });
  });
  // A callback hook, not an async one: a matched request costs one property read.
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    // Only a request that matched no route; a matched one knows its route.
    if (request.routeOptions.url !== undefined) return done();
    const path = request.url.split('?', 1)[0] ?? '/';
    const allowed = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
    if (allowed.size === 0) return done();
    const allow = [...allowed].sort().join(', ');
    // Answered here: done() is not called, so no later hook or handler runs.
    void reply
      .status(405)
      .header('allow', allow)
      .send({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: `${request.method} is not supported here; use ${allow}`,
      });
  });
}

// '/holds/:id' matches '/holds/<anything but a slash>'; a wildcard matches the rest.
function pathPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}
