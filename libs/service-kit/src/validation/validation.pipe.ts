import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';

// A body DTO's valid shape, checked by hand. True: the body is valid as it stands and becomes
// the DTO without class-transformer or class-validator (on a service as small as the rate
// limiter they were an eighth of its CPU per request). False: the full pipe runs and words
// the 400 as always. It must accept nothing the DTO's decorators refuse, and only plain JSON
// values the DTO holds as they are (no @Type, no nested DTO): a test per DTO proves the two
// agree on valid and invalid bodies.
export type ValidShapeCheck = (body: Record<string, unknown>) => boolean;

const VALID_SHAPE = Symbol('suite.validShape');

export function ValidShape(check: ValidShapeCheck): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, VALID_SHAPE, { value: check });
  };
}

// The DTO's own check only: a subclass declares fields its parent's check knows nothing of.
function validShapeOf(metatype: unknown): ValidShapeCheck | undefined {
  if (typeof metatype !== 'function' || !Object.hasOwn(metatype, VALID_SHAPE)) return undefined;
  return (metatype as unknown as { [VALID_SHAPE]: ValidShapeCheck })[VALID_SHAPE];
}

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
    const check = boundToDto && isObject ? validShapeOf(metadata.metatype) : undefined;
    if (check?.(value as Record<string, unknown>) === true) {
      // What class-transformer makes of a body without nested DTOs: a new instance, the
      // body's properties on it.
      const Dto = metadata.metatype as new () => object;
      return Object.assign(new Dto(), value);
    }
    return super.transform(value, metadata);
  }
}
