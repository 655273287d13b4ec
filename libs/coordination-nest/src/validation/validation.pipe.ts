import { ValidationPipe } from '@nestjs/common';

// One validation policy for every service, applied globally by createServiceApp:
// - whitelist + forbidNonWhitelisted: a property the DTO does not declare is a 400,
//   not silently dropped, so a misspelt field is reported instead of ignored;
// - transform: handlers receive DTO instances, and path or query values declared as
//   numbers (with @Type) arrive as numbers;
// - the 400's message is a list with one entry per broken rule, each naming its field
//   ("seatIds must contain at least 1 elements", "holdId must be a UUID");
// - rejected values are not echoed back, since they may be secrets.
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
  });
}
