// The ticketing service's messages: the events it publishes on TOPICS.ticketingEvents
// (through its outbox) and the commands its checkout saga sends to itself on
// TOPICS.ticketingCommands. Amounts are integers in minor units.

export const TICKETING_EVENT_TYPES = {
  holdPlaced: 'HoldPlaced',
  holdExpired: 'HoldExpired',
  ticketIssued: 'TicketIssued',
  checkoutCompensated: 'CheckoutCompensated',
} as const;

export type TicketingEventType = (typeof TICKETING_EVENT_TYPES)[keyof typeof TICKETING_EVENT_TYPES];

export interface HoldPlacedEvent {
  type: typeof TICKETING_EVENT_TYPES.holdPlaced;
  holdId: string;
  eventId: string;
  userId: string;
  seatIds: string[];
  expiresAt: string;
}

export interface HoldExpiredEvent {
  type: typeof TICKETING_EVENT_TYPES.holdExpired;
  holdId: string;
  eventId: string;
  seatIds: string[];
}

export interface TicketIssuedEvent {
  type: typeof TICKETING_EVENT_TYPES.ticketIssued;
  ticketId: string;
  orderId: string;
  eventId: string;
  seatId: string;
  userId: string;
}

export interface CheckoutCompensatedEvent {
  type: typeof TICKETING_EVENT_TYPES.checkoutCompensated;
  orderId: string;
  holdId: string;
  eventId: string;
}

export type TicketingEvent =
  | HoldPlacedEvent
  | HoldExpiredEvent
  | TicketIssuedEvent
  | CheckoutCompensatedEvent;

// Steps 1, 3 and 4 of the checkout saga and their compensations, handled by ticketing
// itself as a saga participant.
export const TICKETING_COMMAND_TYPES = {
  verifyHold: 'VerifyHold',
  releaseHold: 'ReleaseHold',
  confirmSeats: 'ConfirmSeats',
  unconfirmSeats: 'UnconfirmSeats',
  issueTickets: 'IssueTickets',
} as const;

export type TicketingCommandType =
  (typeof TICKETING_COMMAND_TYPES)[keyof typeof TICKETING_COMMAND_TYPES];
