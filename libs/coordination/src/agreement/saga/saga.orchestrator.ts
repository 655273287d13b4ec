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
  claimDueSagas,
  insertSaga,
  loadHistory,
  loadSaga,
  loadSagaForUpdate,
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
}

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
  async handleReply(sql: SqlExecutor, reply: SagaReply): Promise<ReplyResult> {
    const saga = await loadSagaForUpdate(sql, reply.sagaId);
    if (!saga) return { applied: false, reason: 'unknown saga' };
    const definition = this.definition(saga.type);
    const now = this.clock.now();
    const decision = decide(definition, saga, { kind: 'reply', reply }, now);
    if (decision.ignored) return { applied: false, reason: decision.ignored };
    await this.apply(sql, saga.id, definition, decision, now);
    return { applied: true };
  }

  // Applies every wake-up that is due (reply deadlines and retry backoffs), up to `limit`.
  // Safe to run from several processes at once: claimed rows are locked and skipped.
  async processDue(limit = 100): Promise<number> {
    return this.options.tx.inTransaction(async (sql) => {
      const now = this.clock.now();
      const due = await claimDueSagas(sql, now, limit);
      for (const saga of due) {
        const definition = this.definition(saga.type);
        const decision = decide(definition, saga, { kind: 'wake' }, now);
        if (!decision.ignored) await this.apply(sql, saga.id, definition, decision, now);
      }
      return due.length;
    });
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
