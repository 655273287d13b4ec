import { STATUS_CODES } from 'node:http';
import {
  Catch,
  HttpException,
  HttpStatus,
  type ArgumentsHost,
  type ExceptionFilter,
  type LoggerService,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dependencyOutage } from './dependency-outage';

export interface ErrorResponseBody {
  statusCode: number;
  error: string;
  // Validation failures keep their list of messages.
  message: string | string[];
  // Details a 4xx chose to give the client, e.g. which seats were taken.
  [detail: string]: unknown;
}

// Seconds a client waits before sending a request again that failed on an outage.
const OUTAGE_RETRY_AFTER_S = 1;

// The one place where a thrown error becomes an HTTP response. Deliberate HTTP errors
// keep their status and message; Fastify's own client errors (bad JSON, body too
// large, unsupported media type) keep their 4xx; a dependency that cannot be reached
// (Postgres, Redis) is a 503 with Retry-After; anything else is a 500 whose details stay
// in the server log. No stack trace reaches a client.
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      // Other transports (Kafka consumers) handle their own failures.
      throw exception;
    }
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toBody(exception, request);
    if (reply.sent) {
      return;
    }
    if (
      body.statusCode === HttpStatus.SERVICE_UNAVAILABLE &&
      !(exception instanceof HttpException)
    ) {
      void reply.header('retry-after', String(OUTAGE_RETRY_AFTER_S));
    }
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): ErrorResponseBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      if (statusCode >= 500) {
        this.logger.error(
          `${request.method} ${request.url} -> ${statusCode}: ${exception.message}`,
          exception.stack,
        );
      }
      return { statusCode, ...describeHttpException(exception, statusCode) };
    }
    if (isFastifyClientError(exception)) {
      return {
        statusCode: exception.statusCode,
        error: reasonPhrase(exception.statusCode),
        message: exception.message,
      };
    }
    const error = exception instanceof Error ? exception : new Error(String(exception));
    const outage = dependencyOutage(exception);
    if (outage !== undefined) {
      // Expected while a dependency restarts: one line, no stack.
      this.logger.warn(
        `${request.method} ${request.url} -> 503: ${outage} unavailable: ${error.message}`,
      );
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: reasonPhrase(HttpStatus.SERVICE_UNAVAILABLE),
        message: `${outage} is unavailable; retry after ${OUTAGE_RETRY_AFTER_S} s`,
      };
    }
    this.logger.error(`${request.method} ${request.url} failed: ${error.message}`, error.stack);
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: reasonPhrase(HttpStatus.INTERNAL_SERVER_ERROR),
      message: 'internal error',
    };
  }
}

function describeHttpException(
  exception: HttpException,
  statusCode: number,
): Omit<ErrorResponseBody, 'statusCode'> & { error: string; message: string | string[] } {
  const response = exception.getResponse();
  if (typeof response === 'string') {
    return { error: reasonPhrase(statusCode), message: response };
  }
  const { error, message, ...details } = response as Record<string, unknown>;
  delete details['statusCode'];
  return {
    // A client error's own fields (which seats were taken, when to retry) are for the client;
    // a server error's are not, so a 5xx never carries them.
    ...(statusCode < 500 ? details : {}),
    error: typeof error === 'string' ? error : reasonPhrase(statusCode),
    message: typeof message === 'string' || isStringArray(message) ? message : exception.message,
  };
}

interface FastifyClientError extends Error {
  code: string;
  statusCode: number;
}

// Fastify's errors carry an FST_* code and the status it intends; only its 4xx ones
// describe the client's request and are safe to pass on.
function isFastifyClientError(value: unknown): value is FastifyClientError {
  if (!(value instanceof Error)) {
    return false;
  }
  const { code, statusCode } = value as Partial<FastifyClientError>;
  return (
    typeof code === 'string' &&
    code.startsWith('FST_') &&
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500
  );
}

function reasonPhrase(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
