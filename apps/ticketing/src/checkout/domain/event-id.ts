import { createHash } from 'node:crypto';
import type { TicketingEvent } from '@suite/contracts';

// Name-based UUID (RFC 9562, version 5): SHA-1 of the namespace's 16 bytes and the name,
// cut to 16 bytes, with the version and variant bits set. One name, one id, everywhere.
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`uuidV5: namespace must be a UUID (got ${namespace})`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

// The namespace of ticketing's event ids; fixed forever, or every id changes.
export const TICKETING_EVENT_NAMESPACE = '5d0c3f2e-8a61-4c7e-9f4b-2b7e1a9c0d15';

// What makes an event the same event: each happens at most once per aggregate (a hold is
// placed once and expires once, an order is compensated once, a seat of an order gets one
// ticket). A retried step that emits it again gets the same id, so the outbox keeps one row
// and a consumer's inbox sees one message.
export function eventMessageId(event: TicketingEvent): string {
  switch (event.type) {
    case 'HoldPlaced':
    case 'HoldExpired':
      return uuidV5(TICKETING_EVENT_NAMESPACE, `${event.type}/${event.holdId}`);
    case 'CheckoutCompensated':
      return uuidV5(TICKETING_EVENT_NAMESPACE, `${event.type}/${event.orderId}`);
    case 'TicketIssued':
      return uuidV5(TICKETING_EVENT_NAMESPACE, `${event.type}/${event.orderId}/${event.seatId}`);
  }
}
