import { TICKETING_EVENT_TYPES } from '@suite/contracts';
import { eventMessageId, uuidV5 } from './event-id';

describe('event ids', () => {
  it('uuid-v5-matches-the-rfc-reference-value', () => {
    // uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com') in Python's standard library.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('one-event-has-one-id-and-different-events-have-different-ids', () => {
    const compensated = {
      type: TICKETING_EVENT_TYPES.checkoutCompensated,
      orderId: '6f1c3c55-1d2e-4a8e-9a55-0d7c4f1b2e3a',
      holdId: '0b9d7e2c-5a4f-4e1b-8c3d-2a1f0e9d8c7b',
      eventId: '00000000-0000-4000-8000-00000000e001',
    } as const;
    const ticket = (seatId: string) => ({
      type: TICKETING_EVENT_TYPES.ticketIssued,
      ticketId: 'x',
      orderId: compensated.orderId,
      eventId: compensated.eventId,
      seatId,
      userId: 'alice',
    });
    expect(eventMessageId(compensated)).toBe(eventMessageId({ ...compensated }));
    expect(eventMessageId(compensated)).toMatch(/^[0-9a-f-]{36}$/);
    // The ticket id is drawn per insert, so it is not part of the identity.
    expect(eventMessageId(ticket('A-1-1'))).toBe(
      eventMessageId({ ...ticket('A-1-1'), ticketId: 'y' }),
    );
    expect(
      new Set([
        eventMessageId(compensated),
        eventMessageId(ticket('A-1-1')),
        eventMessageId(ticket('A-1-2')),
      ]).size,
    ).toBe(3);
  });
});
