import { PLACE_HOLD_LIMITS as LIMITS } from '@suite/contracts';
import { validShapeAgreement } from '@suite/service-kit';
import { isValidPlaceHoldRequest, PlaceHoldRequest } from './place-hold.request';

// isValidPlaceHoldRequest lets the common hold skip the decorators (ValidShape). It must
// accept nothing they refuse, and what it accepts must become the same PlaceHoldRequest.
const EVENT_IDS: unknown[] = [
  '0b0f6f1e-5c1a-4d55-9a4e-0d6b6a3c2f10',
  '0B0F6F1E-5C1A-4D55-9A4E-0D6B6A3C2F10',
  // A v1 and a v7 UUID: "all" versions are accepted.
  'c232ab00-9414-11ec-b3c8-9f6bdeced846',
  '01890a5d-ac96-774b-bcce-b302099a8057',
  '00000000-0000-0000-0000-000000000000',
  '0b0f6f1e5c1a4d559a4e0d6b6a3c2f10',
  '0b0f6f1e-5c1a-4d55-9a4e-0d6b6a3c2f1',
  '0b0f6f1e-5c1a-4d55-9a4e-0d6b6a3c2f10 ',
  '{0b0f6f1e-5c1a-4d55-9a4e-0d6b6a3c2f10}',
  '',
  42,
  null,
  ['0b0f6f1e-5c1a-4d55-9a4e-0d6b6a3c2f10'],
];
const SEAT_LISTS: unknown[] = [
  ['A-1'],
  ['A-1', 'A-2', 'B-7'],
  ['x'.repeat(LIMITS.maxSeatIdLength)],
  // 64 characters by class-validator's count (a surrogate pair is one), 65 UTF-16 units.
  ['\u{1F600}' + 'x'.repeat(LIMITS.maxSeatIdLength - 1)],
  Array.from({ length: LIMITS.maxSeats }, (_, i) => `S-${i}`),
  Array.from({ length: LIMITS.maxSeats + 1 }, (_, i) => `S-${i}`),
  ['x'.repeat(LIMITS.maxSeatIdLength + 1)],
  [],
  [''],
  // A presentation selector after a character is not counted, a lone one is: 128 UTF-16
  // units that class-validator counts as 64, then 65 lone selectors.
  ['x\uFE0F'.repeat(LIMITS.maxSeatIdLength)],
  ['\uFE0F'.repeat(LIMITS.maxSeatIdLength + 1)],
  ['\uFE0F'],
  ['A-1', ''],
  ['A-1', 7],
  [null],
  [['A-1']],
  [{ id: 'A-1' }],
  'A-1',
  { 0: 'A-1' },
  null,
];
const EXTRAS: Record<string, unknown>[] = [{}, { extra: 1 }, { userId: 'someone-else' }];

function* bodies(): Generator<Record<string, unknown>> {
  for (const eventId of [...EVENT_IDS, undefined])
    for (const seatIds of [...SEAT_LISTS, undefined])
      for (const extra of EXTRAS) {
        const body: Record<string, unknown> = { ...extra };
        if (eventId !== undefined) body['eventId'] = eventId;
        if (seatIds !== undefined) body['seatIds'] = seatIds;
        yield body;
      }
}

describe('isValidPlaceHoldRequest', () => {
  it('accepts only bodies the decorators accept, and they become the same PlaceHoldRequest', async () => {
    const agreement = await validShapeAgreement(
      PlaceHoldRequest,
      isValidPlaceHoldRequest,
      bodies(),
    );
    expect(agreement.disagreements).toEqual([]);
    // Five valid event ids (any version, any case, the nil UUID), seven valid seat lists.
    expect(agreement.accepted).toBe(5 * 7);
    expect(agreement.refusedByBoth).toBeGreaterThan(0);
  });

  it('recognises the hold every buyer sends', () => {
    expect(
      isValidPlaceHoldRequest({
        eventId: '0b0f6f1e-5c1a-4d55-9a4e-0d6b6a3c2f10',
        seatIds: ['A-1', 'A-2'],
      }),
    ).toBe(true);
  });
});
