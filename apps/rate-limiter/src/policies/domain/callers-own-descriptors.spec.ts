import { SCOPES } from '@suite/contracts';
import { firstForeignDescriptor } from './callers-own-descriptors';

describe('which descriptors a caller may act on', () => {
  const shopper = { userId: 'u1', scopes: ['tickets:buy'] };

  it('lets a caller name only descriptors that carry its own user', () => {
    expect(
      firstForeignDescriptor(shopper, [{ user: 'u1' }, { user: 'u1', route: 'POST /holds' }]),
    ).toBeUndefined();
  });

  it('refuses the first descriptor that names another user, without echoing it', () => {
    expect(firstForeignDescriptor(shopper, [{ user: 'u1' }, { user: 'u2' }, {}])).toEqual({
      kind: 'foreign-descriptor',
      index: 1,
      names: 'another-user',
      callerId: 'u1',
    });
  });

  it('refuses a descriptor without a user: a budget other callers share', () => {
    expect(firstForeignDescriptor(shopper, [{ route: 'POST /holds' }])).toMatchObject({
      index: 0,
      names: 'no-user',
    });
  });

  it('lets an operator act for anyone', () => {
    const operator = { userId: 'ops', scopes: [SCOPES.opsAdmin] };
    expect(firstForeignDescriptor(operator, [{ user: 'u2' }, { client_ip: '10.0.0.1' }])).toBe(
      undefined,
    );
  });
});
