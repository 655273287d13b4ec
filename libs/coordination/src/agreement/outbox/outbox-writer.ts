import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutgoingMessage } from '../../ports/message-producer';
import type { SqlExecutor } from '../../ports/sql-executor';
import { INSERT_OUTBOX, INSERT_OUTBOX_NOTIFY, insertOutboxFrom } from './outbox.sql';

export const OUTBOX_MIGRATIONS: readonly { name: string; sql: string }[] = ['001_outbox.sql'].map(
  (name) => ({ name: `outbox/${name}`, sql: readFileSync(join(__dirname, 'sql', name), 'utf8') }),
);

export async function applyOutboxMigrations(sql: SqlExecutor): Promise<void> {
  for (const migration of OUTBOX_MIGRATIONS) await sql.query(migration.sql);
}

// The header that carries a row's message_id to consumers; their inbox dedupes on it.
export const MESSAGE_ID_HEADER = 'message-id';

// Stable shard of an aggregate key: 32-bit FNV-1a of its UTF-8 bytes, modulo the shard
// count. Writers and relays must agree on shardCount; changing it moves keys between
// shards, so drain the outbox first (see the README's runbook).
export function shardOf(aggregateKey: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new RangeError(`shardOf: shardCount must be a positive integer (got ${shardCount})`);
  }
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(aggregateKey, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shardCount;
}

// The channel on which writers wake the relays (payload: the shard). Relays LISTEN to it
// through pgListenWakeups.
export const OUTBOX_WAKEUP_CHANNEL = 'outbox_messages';

export interface OutboxWriteOptions {
  shardCount?: number;
  // Also NOTIFY the shard's relay, delivered when the domain transaction commits, so a
  // relay listening with pgListenWakeups publishes without waiting out its idle delay.
  // Off by default: every notifying commit takes Postgres' global notify-queue lock.
  wakeup?: boolean;
  // The row's message id (a UUID), for a writer whose event has an identity of its own (a
  // hash of the aggregate and the event type, say): a retry that writes the same event again
  // finds it already there and writes nothing, and consumers dedupe on the same id.
  // Default: a fresh id per write.
  messageId?: string;
}

export interface OutboxRow {
  id: string;
  messageId: string;
}

// written: false only for an explicit messageId already in the outbox, a repeat of an
// earlier write.
export type OutboxWriteResult =
  | (OutboxRow & { written: true })
  | { written: false; messageId: string };

function assertWritable(topic: string, message: OutgoingMessage): void {
  if (topic.length === 0 || message.key.length === 0) {
    throw new TypeError('writeOutbox: topic and message.key must be non-empty');
  }
  if (message.headers && MESSAGE_ID_HEADER in message.headers) {
    throw new TypeError(`writeOutbox: the ${MESSAGE_ID_HEADER} header is set by the outbox`);
  }
}

// shard, topic, aggregate key, payload, headers: the row's columns in insert order.
const rowParams = (topic: string, message: OutgoingMessage, options: OutboxWriteOptions) => [
  shardOf(message.key, options.shardCount ?? 1),
  topic,
  message.key,
  message.value,
  JSON.stringify(message.headers ?? {}),
];

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Writes the event on the caller's connection: call it inside the domain transaction
// (a pg client after BEGIN, or fromQueryRunner(queryRunner) inside a TypeORM
// transaction) so the event commits exactly when the domain change does.
// message.key is the aggregate key: order is kept per key, and it is the Kafka key.
// Without an explicit messageId a row is always written.
export function writeOutbox(
  sql: SqlExecutor,
  topic: string,
  message: OutgoingMessage,
  options?: OutboxWriteOptions & { messageId?: undefined },
): Promise<OutboxRow & { written: true }>;
export function writeOutbox(
  sql: SqlExecutor,
  topic: string,
  message: OutgoingMessage,
  options: OutboxWriteOptions,
): Promise<OutboxWriteResult>;
export async function writeOutbox(
  sql: SqlExecutor,
  topic: string,
  message: OutgoingMessage,
  options: OutboxWriteOptions = {},
): Promise<OutboxWriteResult> {
  assertWritable(topic, message);
  // The column is a uuid: anything else would fail inside the caller's transaction.
  if (options.messageId !== undefined && !UUID_PATTERN.test(options.messageId)) {
    throw new TypeError(`writeOutbox: messageId must be a UUID (got ${options.messageId})`);
  }
  const params = [...rowParams(topic, message, options), options.messageId ?? null];
  const result = await sql.query<{ id: string; message_id: string }>(
    options.wakeup ? INSERT_OUTBOX_NOTIFY : INSERT_OUTBOX,
    options.wakeup ? [...params, OUTBOX_WAKEUP_CHANNEL] : params,
  );
  const row = result.rows[0];
  if (row === undefined) {
    if (options.messageId !== undefined) return { written: false, messageId: options.messageId };
    throw new Error('writeOutbox: insert returned no row');
  }
  return { written: true, id: String(row.id), messageId: row.message_id };
}

// A writer bound to a shard count, with the shape the saga orchestrator takes. It also
// carries its options (writeOptions), so a caller that makes its change in one statement
// (the saga orchestrator) can write the row in that statement instead (outboxInsert).
export type OutboxWriter = ((
  sql: SqlExecutor,
  topic: string,
  message: OutgoingMessage,
) => Promise<void>) & { readonly writeOptions: OutboxWriteOptions };

export function outboxWriter(options: OutboxWriteOptions = {}): OutboxWriter {
  // One id for every message it writes would drop all but the first.
  if (options.messageId !== undefined) {
    throw new TypeError('outboxWriter: messageId is chosen per write, not per writer');
  }
  const write = async (sql: SqlExecutor, topic: string, message: OutgoingMessage) => {
    await writeOutbox(sql, topic, message, options);
  };
  return Object.assign(write, { writeOptions: { ...options } });
}

export function isOutboxWriter(value: unknown): value is OutboxWriter {
  return typeof value === 'function' && 'writeOptions' in value;
}

// The writer's row as a CTE of a larger statement (see insertOutboxFrom): one row per row
// of `source`, with its parameters numbered from $first. Checks the message as writeOutbox
// does.
export function outboxInsert(
  writer: OutboxWriter,
  topic: string,
  message: OutgoingMessage,
  source: string,
  first: number,
): { text: string; params: unknown[] } {
  assertWritable(topic, message);
  const { wakeup = false } = writer.writeOptions;
  const params = rowParams(topic, message, writer.writeOptions);
  return {
    text: insertOutboxFrom(source, first, wakeup),
    params: wakeup ? [...params, OUTBOX_WAKEUP_CHANNEL] : params,
  };
}
