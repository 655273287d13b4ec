import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { REQUEST_ID_HEADER, RequestContext, requestContextOf } from './request-context';

// Enters the request's context for the rest of its handling, so logs, outgoing calls
// and the response header all use the same request id.
@Injectable()
export class RequestContextMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const context = requestContextOf(request);
    response.setHeader(REQUEST_ID_HEADER, context.requestId);
    RequestContext.run(context, next);
  }
}
