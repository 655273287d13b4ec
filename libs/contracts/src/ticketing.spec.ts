import { TICKETING_COMMAND_TYPES, TICKETING_EVENT_TYPES } from './ticketing';

describe('ticketing messages', () => {
  it('name the four events the service publishes', () => {
    expect(Object.values(TICKETING_EVENT_TYPES).sort()).toEqual([
      'CheckoutCompensated',
      'HoldExpired',
      'HoldPlaced',
      'TicketIssued',
    ]);
  });

  it('give every saga command a distinct type', () => {
    const types = Object.values(TICKETING_COMMAND_TYPES);
    expect(new Set(types).size).toBe(types.length);
  });
});
