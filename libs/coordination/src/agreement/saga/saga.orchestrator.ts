import { systemClock, type Clock } from '../../clock/clock';
import type { SqlExecutor } from '../../ports/sql-executor';
import type { TransactionRunner } from '../../ports/transaction-runner';
import {
  idempotencyKeyFor,
  validateDefinition,
  type SagaCommandEnvelope,
  type SagaDefinition,
  type SagaOutbox,
  type SagaReply,
} from './saga.definition';
import { decide, startSaga, type Decision } from './saga.engine';
import {
  appendHistory,
  claimDueSaga,
  findDueSagaIds,
  insertSaga,
  loadHistory,
  loadSaga,
  loadSagaForUpdate,
  quarantineSaga,
  recordProcessingFailure,
  releaseQuarantinedSaga,
  saveSaga,
  type HistoryRecord,
  type StoredSaga,
} from './saga.store';

type AnyDefinition = SagaDefinition<Record<string, unknown>>;

export type StartResult = { started: true } | { started: false; reason: 'already-exists' };
export type ReplyResult = { applied: true } | { applied: false; reason: string };

export interface SagaView extends StoredSaga {
  step: string;
  history: HistoryRecord[];
}

export interface SagaOrchestratorOptions {
  tx: TransactionRunner;
  // Writes commands in the same transaction as the state change that caused them.
  outbox: SagaOutbox;
  clock?: Clock;
  // A wake-up that throws for one instance (while the database answers) is retried this many
  // times in a row, with a growing delay, before the instance is quarantined. Default 3.
  quarantineAfter?: number;
  // Called once an instance is quarantined (a metric, a log line): it needs a person.
  onQuarantined?(sagaId: string, reason: string): void;
}

const describe = (error: unknown) =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1_000);

// Drives saga instances persisted in Postgres. Every state change and the command it causes
// are written in one transaction (the command through the outbox), so a crash leaves either
// both or neither. Replies are applied in the consumer's inbox transaction; timeouts and
// retries are applied by processDue, which a recoverer calls on a schedule.
export class SagaOrchestrator {
  private readonly definitions = new Map<string, AnyDefinition>();
  private readonly clock: Clock;

  constructor(private readonly options: SagaOrchestratorOptions) {
    this.clock = options.clock ?? systemClock;
  }

  register<C extends Record<string, unknown>>(definition: SagaDefinition<C>): this {
    validateDefinition(definition);
    this.definitions.set(definition.type, definition as unknown as AnyDefinition);
    return this;
  }

  // Idempotent by saga id: starting the same id twice starts it once.
  async start(
    type: string,
    sagaId: string,
    context: Record<string, unknown>,
  ): Promise<StartResult> {
    return this.options.tx.inTransaction((sql) => this.startIn(sql, type, sagaId, context));
  }

  // Starts inside the caller's transaction, so the domain write that calls for the saga (an
  // order, say) and the saga's first command commit together or not at all.
  async startIn(
    sql: SqlExecutor,
    type: string,
    sagaId: string,
    context: Record<string, unknown>,
  ): Promise<StartResult> {
    const definition = this.definition(type);
    const now = this.clock.now();
    const decision = startSaga(definition, context, now);
    if (!(await insertSaga(sql, sagaId, type, decision.state, now))) {
      return { started: false, reason: 'already-exists' };
    }
    await this.apply(sql, sagaId, definition, decision, now, false);
    return { started: true };
  }

  // Call inside the transaction that records the reply message in the inbox.
  //
  // A reply that cannot be applied (the code throws for this instance) must not block the
  // partition it came on: Kafka would redeliver it forever, and every saga behind it would
  // wait. Its work is rolled back to a savepoint and the instance is quarantined in the same
  // transaction. If the database itself is failing, that throws too and Kafka redelivers.
  async handleReply(sql: SqlExecutor, reply: SagaReply): Promise<ReplyResult> {
    const saga = await loadSagaForUpdate(sql, reply.sagaId);
    if (!saga) return { applied: false, reason: 'unknown saga' };
    if (saga.quarantinedAt !== null) return { applied: false, reason: 'saga is quarantined' };
    const now = this.clock.now();
    await sql.query('savepoint saga_reply');
    try {
      const definition = this.definition(saga.type);
      const decision = decide(definition, saga, { kind: 'reply', reply }, now);
      if (decision.ignored) return { applied: false, reason: decision.ignored };
      await this.apply(sql, saga.id, definition, decision, now);
      return { applied: true };
    } catch (error) {
      await sql.query('rollback to savepoint saga_reply');
      const reason = `reply to ${reply.phase} ${reply.step} failed: ${describe(error)}`;
      await this.quarantine(sql, saga.id, reason, now);
      return { applied: false, reason: 'saga is quarantined' };
    } finally {
      await sql.query('release savepoint saga_reply').catch(() => undefined);
    }
  }

  // Applies every wake-up that is due (reply deadlines and retry backoffs), up to `limit`,
  // each instance in its own transaction: one that throws is counted and retried later (and
  // quarantined if it keeps throwing) while the others go on. Safe to run from several
  // processes at once: an instance is locked while it is applied, and a locked one skipped.
  async processDue(limit = 100): Promise<number> {
    const ids = await this.options.tx.inTransaction((sql) =>
      findDueSagaIds(sql, this.clock.now(), limit),
    );
    let applied = 0;
    for (const id of ids) {
      try {
        if (await this.wake(id)) applied += 1;
      } catch (error) {
        await this.recordFailure(id, error);
      }
    }
    return applied;
  }

  // A person fixed what made the instance fail: it is driven on from its next wake-up.
  async releaseQuarantined(sagaId: string): Promise<boolean> {
    return this.options.tx.inTransaction(async (sql) => {
      const now = this.clock.now();
      const released = await releaseQuarantinedSaga(sql, sagaId, now);
      if (released) await appendHistory(sql, sagaId, [{ event: 'quarantine-released' }], now);
      return released;
    });
  }

  private wake(id: string): Promise<boolean> {
    return this.options.tx.inTransaction(async (sql) => {
      const now = this.clock.now();
      const saga = await claimDueSaga(sql, id, now);
      if (!saga) return false;
      const definition = this.definition(saga.type);
      const decision = decide(definition, saga, { kind: 'wake' }, now);
      if (!decision.ignored) await this.apply(sql, saga.id, definition, decision, now);
      return true;
    });
  }

  // If this write fails too, the database is what is failing, not the instance: the error
  // goes to the caller (the recoverer's next round tries again) and nothing is counted.
  private async recordFailure(id: string, error: unknown): Promise<void> {
    const reason = `wake-up failed: ${describe(error)}`;
    const limit = this.options.quarantineAfter ?? 3;
    await this.options.tx.inTransaction(async (sql) => {
      const now = this.clock.now();
      if (await recordProcessingFailure(sql, id, reason, now, 1_000, limit)) {
        await appendHistory(sql, id, [{ event: 'quarantined', detail: { reason } }], now);
        this.options.onQuarantined?.(id, reason);
      }
    });
  }

  private async quarantine(sql: SqlExecutor, id: string, reason: string, now: number) {
    await quarantineSaga(sql, id, reason, now);
    await appendHistory(sql, id, [{ event: 'quarantined', detail: { reason } }], now);
    this.options.onQuarantined?.(id, reason);
  }

  async get(sql: SqlExecutor, sagaId: string): Promise<SagaView | undefined> {
    const saga = await loadSaga(sql, sagaId);
    if (!saga) return undefined;
    const step = this.definition(saga.type).steps[saga.stepIndex]?.name ?? '';
    return { ...saga, step, history: await loadHistory(sql, sagaId) };
  }

  private definition(type: string): AnyDefinition {
    const definition = this.definitions.get(type);
    if (!definition) throw new Error(`no saga definition registered for type ${type}`);
    return definition;
  }

  private async apply(
    sql: SqlExecutor,
    sagaId: string,
    definition: AnyDefinition,
    decision: Decision,
    now: number,
    save = true,
  ): Promise<void> {
    if (save) await saveSaga(sql, sagaId, decision.state, now);
    await appendHistory(sql, sagaId, decision.history, now);
    if (!decision.send) return;
    const step = definition.steps[decision.send.stepIndex];
    if (!step) throw new Error(`saga ${definition.type} has no step ${decision.send.stepIndex}`);
    const { phase, attempt } = decision.send;
    const build = phase === 'action' ? step.action : step.compensation;
    if (!build) throw new Error(`step ${step.name} has no ${phase}`);
    const command = build(decision.state.context);
    const envelope: SagaCommandEnvelope = {
      sagaId,
      sagaType: definition.type,
      step: step.name,
      phase,
      attempt,
      idempotencyKey: idempotencyKeyFor(sagaId, step.name, phase),
      type: command.type,
      replyTopic: definition.replyTopic,
      payload: command.payload,
    };
    // Keyed by saga id: one saga's commands stay in order on one partition.
    await this.options.outbox(sql, command.topic, {
      key: sagaId,
      value: JSON.stringify(envelope),
      headers: { 'message-type': command.type, 'saga-id': sagaId },
    });
  }
}
