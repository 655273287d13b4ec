import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CheckRequest, isValidCheckRequest, MAX_DESCRIPTORS } from './check.request';

// isValidCheckRequest lets the common request skip the decorators (ValidShape). It must
// accept nothing they refuse, and what it accepts must become the same CheckRequest.
const DOMAINS: unknown[] = [
  'api',
  'a'.repeat(32),
  'a'.repeat(33),
  '',
  'bad domain',
  'x\n',
  42,
  null,
];
const DESCRIPTOR_LISTS: unknown[] = [
  [{ user: 'u1' }],
  [{ user: 'u1' }, { route: 'POST /holds' }],
  Array.from({ length: MAX_DESCRIPTORS }, (_, i) => ({ user: `u${i}` })),
  Array.from({ length: MAX_DESCRIPTORS + 1 }, (_, i) => ({ user: `u${i}` })),
  [],
  [{}],
  [{ user: '' }],
  [{ user: 'x'.repeat(257) }],
  [{ u: 'x'.repeat(256), 'a.b_c-D9': 'v', ['k'.repeat(64)]: 'v' }],
  [{ ['k'.repeat(65)]: 'v' }],
  [{ 'user name': 'v' }],
  [{ _user: 'v' }],
  [{ user: 'u1' }, {}],
  [{ user: 'u1' }, { user: 'u\u0000' }],
  [{ '1user': 'u' }],
  [{ user: 1 }],
  [Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']))],
  ['u1'],
  [null],
  [[{ user: 'u1' }]],
  { user: 'u1' },
  'u1',
  null,
];
const COSTS: unknown[] = [undefined, 0, 1, 1_000_000, 1_000_001, -1, 1.5, '1', null, true];
const EXTRAS: Record<string, unknown>[] = [{}, { extra: 1 }];

function* bodies(): Generator<Record<string, unknown>> {
  for (const domain of [...DOMAINS, undefined])
    for (const descriptors of [...DESCRIPTOR_LISTS, undefined])
      for (const cost of COSTS)
        for (const extra of EXTRAS) {
          const body: Record<string, unknown> = { ...extra };
          if (domain !== undefined) body['domain'] = domain;
          if (descriptors !== undefined) body['descriptors'] = descriptors;
          if (cost !== undefined) body['cost'] = cost;
          yield body;
        }
}

// The global pipe's rules (createValidationPipe), applied by class-validator itself.
async function decoratorsAccept(body: Record<string, unknown>): Promise<CheckRequest | undefined> {
  const instance = plainToInstance(CheckRequest, body);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  return errors.length === 0 ? instance : undefined;
}

describe('isValidCheckRequest', () => {
  it('accepts only bodies the decorators accept, and they become the same CheckRequest', async () => {
    let accepted = 0;
    for (const body of bodies()) {
      if (!isValidCheckRequest(body)) continue;
      accepted++;
      const reference = await decoratorsAccept(body);
      expect({ body, accepted: reference !== undefined }).toEqual({ body, accepted: true });
      expect(Object.assign(new CheckRequest(), body)).toStrictEqual(reference);
    }
    // Two valid domains, five valid descriptor lists, four valid costs (absent included).
    expect(accepted).toBe(2 * 5 * 4);
  });

  it('recognises the request every caller sends', () => {
    expect(isValidCheckRequest({ domain: 'api', descriptors: [{ user: '42' }] })).toBe(true);
    expect(
      isValidCheckRequest({
        domain: 'gateway',
        descriptors: [{ user: '42' }, { route: 'POST /holds' }],
        cost: 1,
      }),
    ).toBe(true);
  });

  it('leaves the unusual but valid (a null cost) to the decorators', async () => {
    const body = { domain: 'api', descriptors: [{ user: '42' }], cost: null };
    expect(isValidCheckRequest(body)).toBe(false);
    expect(await decoratorsAccept(body)).toBeDefined();
  });
});
