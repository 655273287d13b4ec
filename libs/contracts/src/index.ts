export { DEFAULT_PORTS, SERVICE_NAMES, isServiceName } from './services';
export type { ServiceName } from './services';
export { TOPICS, TOPIC_KINDS } from './topics';
export type { TopicKind, TopicName } from './topics';
export { PAYMENT_COMMAND_TYPES, PAYMENT_EVENT_TYPES } from './payments';
export type {
  CapturePaymentPayload,
  PaymentCommandType,
  PaymentEvent,
  PaymentEventType,
  RefundPaymentPayload,
} from './payments';
export { TICKETING_COMMAND_TYPES, TICKETING_EVENT_TYPES } from './ticketing';
export type {
  CheckoutCompensatedEvent,
  HoldExpiredEvent,
  HoldPlacedEvent,
  TicketIssuedEvent,
  TicketingCommandType,
  TicketingEvent,
  TicketingEventType,
} from './ticketing';
