import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const ERROR_RESPONSE_REF = { $ref: '#/components/schemas/ErrorResponse' };

// The error statuses a route answers on purpose, each with the sentence that says when; the
// body is the chassis' ErrorResponse. (401, 403 for scopes, and the 400 of validation are
// added for every route that can answer them.)
export function ApiErrors(errors: Record<number, string>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, schema: ERROR_RESPONSE_REF }),
    ),
  );
}
