import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';

// One validation policy for every service, applied globally by createServiceApp:
// - whitelist + forbidNonWhitelisted: a property the DTO does not declare is a 400,
//   not silently dropped, so a misspelt field is reported instead of ignored;
// - transform: handlers receive DTO instances, and path or query values declared as
//   numbers (with @Type) arrive as numbers;
// - the 400's message is a list with one entry per broken rule, each naming its field
//   ("seatIds must contain at least 1 elements", "holdId must be a UUID");
// - rejected values are not echoed back, since they may be secrets.
// - a body bound to a DTO must be a JSON object (or absent, when every field is optional):
//   Nest's pipe hands a string, number or array through unvalidated when no field is
//   required, and a handler would spread "AAA" into {"0":"A","1":"A","2":"A"}.
export function createValidationPipe(): ValidationPipe {
  return new ObjectBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
  });
}

class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const boundToDto = metadata.type === 'body' && typeof metadata.metatype === 'function';
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (boundToDto && value !== undefined && !isObject) {
      throw new BadRequestException('the body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}
