import type { TicketingEvent } from '@suite/contracts';
import { writeOutbox, type SqlExecutor } from '@suite/coordination';

// Writes a ticketing event in the caller's transaction; the relay publishes it. The key is
// the aggregate (hold or order) whose events must stay in order.
export async function emitEvent(
  sql: SqlExecutor,
  topic: string,
  key: string,
  event: TicketingEvent,
): Promise<void> {
  await writeOutbox(sql, topic, {
    key,
    value: JSON.stringify(event),
    headers: { 'message-type': event.type },
  });
}
