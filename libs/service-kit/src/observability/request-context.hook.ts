import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER, RequestContext, requestContextOf } from './request-context';

// Enters each request's context in Fastify's first onRequest hook, so logs, outgoing calls
// and the response header all use the same request id, and every answer carries it: a 404,
// a 405 from a later hook, a body-parser 400, a guard's 401. The rest of the request's
// handling runs inside the context. A Fastify hook rather than Nest middleware: no
// Express-style middleware runs per request. Installed by createServiceApp before any other
// hook.
export function installRequestContext(adapter: FastifyAdapter): void {
  adapter
    .getInstance()
    .addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
      const context = requestContextOf(request.raw);
      void reply.header(REQUEST_ID_HEADER, context.requestId);
      RequestContext.run(context, done);
    });
}
