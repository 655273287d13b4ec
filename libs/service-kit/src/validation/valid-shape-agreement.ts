import { isDeepStrictEqual } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ValidShapeCheck } from './validation.pipe';

export interface ValidShapeAgreement {
  // Bodies the check accepted (and the decorators too, as they must).
  accepted: number;
  // Bodies both refused: the generated set does exercise the refusals.
  refusedByBoth: number;
  // Bodies the check accepted that the decorators refuse, or turn into another DTO than
  // the check's Object.assign does. A ValidShape check is only correct when this is empty.
  disagreements: Record<string, unknown>[];
}

// For a DTO's ValidShape spec: runs every body through the check and through the global
// pipe's rules applied by class-validator itself (whitelist, forbidNonWhitelisted,
// forbidUnknownValues), and reports where the check is looser than the decorators.
export async function validShapeAgreement<T extends object>(
  Dto: new () => T,
  check: ValidShapeCheck,
  bodies: Iterable<Record<string, unknown>>,
): Promise<ValidShapeAgreement> {
  const outcome: ValidShapeAgreement = { accepted: 0, refusedByBoth: 0, disagreements: [] };
  for (const body of bodies) {
    const reference = plainToInstance(Dto, body);
    const errors = await validate(reference, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
    });
    if (!check(body)) {
      if (errors.length > 0) outcome.refusedByBoth++;
      continue;
    }
    outcome.accepted++;
    if (errors.length > 0 || !isDeepStrictEqual(Object.assign(new Dto(), body), reference)) {
      outcome.disagreements.push(body);
    }
  }
  return outcome;
}
