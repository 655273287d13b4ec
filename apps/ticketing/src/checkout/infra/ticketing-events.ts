import type { TicketingEvent } from '@suite/contracts';
import { writeOutbox, type OutboxWriteOptions, type SqlExecutor } from '@suite/coordination';
import type { TicketingConfig } from '../../config/ticketing.config';
import { eventMessageId } from '../domain/event-id';

// How every outbox write of the service is made: with OUTBOX_WAKEUPS=on it wakes the relay
// when its transaction commits. Writers and the relay share the default shard count (1).
export function outboxWriteOptions(
  config: Pick<TicketingConfig, 'OUTBOX_WAKEUPS'>,
): OutboxWriteOptions {
  return { wakeup: config.OUTBOX_WAKEUPS === 'on' };
}

// Writes a ticketing event in the caller's transaction; the relay publishes it. The key is
// the aggregate (hold or order) whose events must stay in order. The message id is the
// event's own (eventMessageId): emitting one event again writes nothing and returns false.
export async function emitEvent(
  sql: SqlExecutor,
  topic: string,
  key: string,
  event: TicketingEvent,
  write: OutboxWriteOptions = {},
): Promise<boolean> {
  const written = await writeOutbox(
    sql,
    topic,
    { key, value: JSON.stringify(event), headers: { 'message-type': event.type } },
    { ...write, messageId: eventMessageId(event) },
  );
  return written.written;
}
