import { systemClock, type Clock } from '../../clock/clock';
import type { SqlExecutor } from '../../ports/sql-executor';
import type { OutgoingMessage } from '../../ports/message-producer';
import type { TransactionRunner } from '../../ports/transaction-runner';
import { processOnce, type InboxOutcome } from '../../suppression/inbox/inbox';
import { isOutboxWriter, outboxInsert } from '../outbox/outbox-writer';
import {
  idempotencyKeyFor,
  validateDefinition,
  type SagaCommandEnvelope,
  type SagaDefinition,
  type SagaOutbox,
  type SagaPhase,
  type SagaReply,
} from './saga.definition';
import { decide, startSaga, type Decision } from './saga.engine';
import type { SagaCommandHandler } from './saga.messages';
import { isTerminal } from './saga.transitions';
import {
  appendHistory,
  claimDueSaga,
  findDueSagaIds,
  insertSagaWithHistory,
  loadHistory,
  loadSaga,
  loadSagaForUpdate,
  quarantineSaga,
  recordProcessingFailure,
  recordReplyAndLockSaga,
  releaseQuarantinedSaga,
  saveSagaWithHistory,
  type CommandInsert,
  type HistoryRecord,
  type StoredSaga,
} from './saga.store';

type AnyDefinition = SagaDefinition<Record<string, unknown>>;

export type StartResult = { started: true } | { started: false; reason: 'already-exists' };
// localStep: the command the reply led to goes to a local participant, so drive() has a step
// to run now.
export type ReplyResult =
  | { applied: true; localStep: boolean }
  | { applied: false; reason: string };

// A command and the topic it goes to, built from a decision before anything is written.
interface Envelope {
  topic: string;
  command: SagaCommandEnvelope;
}

export interface SagaView extends StoredSaga {
  step: string;
  history: HistoryRecord[];
}

// A participant that shares the orchestrator's database and process (ticketing's own steps
// of its checkout, say). See SagaOrchestrator.drive.
export interface LocalParticipant {
  // The topic its commands are written to.
  topic: string;
  // The inbox name its Kafka consumer (startSagaParticipant) records commands under: both
  // paths must dedupe on the same key, so a step runs once whichever path gets there first.
  inboxConsumer: string;
  handlers: Record<string, SagaCommandHandler>;
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
  // Participants whose steps drive() runs in this process. None by default: every command
  // then travels over Kafka.
  localParticipants?: readonly LocalParticipant[];
  // A local step that drive() could not run (its transaction rolled back). Nothing is lost:
  // the command is in the outbox, and the participant's consumer runs it from Kafka.
  onLocalStepError?(sagaId: string, error: unknown): void;
}

// How many local steps one drive() runs at most, a guard against a definition that loops.
const MAX_LOCAL_STEPS = 64;

const describe = (error: unknown) =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1_000);

// Drives saga instances persisted in Postgres. Every state change and the command it causes
// are written in one transaction (the command through the outbox), so a crash leaves either
// both or neither. Replies are applied in the consumer's inbox transaction; timeouts and
// retries are applied by processDue, which a recoverer calls on a schedule.
//
// Round trips: each statement holds the transaction (and the saga row's lock) open for one
// more wait on this process, so a decision is one statement: its state, history and command
// (when the outbox is an outboxWriter; another outbox function is called after it), and a
// reply's inbox record is written by the statement that locks its saga. The counts per path
// are pinned in saga-round-trips.integration-spec.ts.
export class SagaOrchestrator {
  private readonly definitions = new Map<string, AnyDefinition>();
  private readonly clock: Clock;
  private readonly local = new Map<string, LocalParticipant>();
  // Who waits for a saga to change in this process (see changed()).
  private readonly watchers = new Map<string, Set<() => void>>();

  constructor(private readonly options: SagaOrchestratorOptions) {
    this.clock = options.clock ?? systemClock;
    for (const participant of options.localParticipants ?? []) {
      this.local.set(participant.topic, participant);
    }
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
    const sent = this.commandOf(sagaId, definition, decision);
    const folded = sent && this.folded(sagaId, sent);
    const { state, history } = decision;
    if (!(await insertSagaWithHistory(sql, sagaId, type, state, history, now, folded))) {
      return { started: false, reason: 'already-exists' };
    }
    if (sent && !folded) await this.options.outbox(sql, sent.topic, this.message(sagaId, sent));
    return { started: true };
  }

  // Call inside the transaction that records the reply message in the inbox.
  //
  // A reply that cannot be applied (the code throws for this instance) must not block the
  // partition it came on: Kafka would redeliver it forever, and every saga behind it would
  // wait. Its work is rolled back to a savepoint and the instance is quarantined in the same
  // transaction. If the database itself is failing, that throws too and Kafka redelivers.
  async handleReply(sql: SqlExecutor, reply: SagaReply): Promise<ReplyResult> {
    return this.applyReply(sql, await loadSagaForUpdate(sql, reply.sagaId), reply, true);
  }

  // handleReply through the inbox: the reply applied at most once per (inboxConsumer,
  // messageId), its inbox record written by the statement that locks the saga. guarded as
  // in handleReply; unguarded (no savepoint, two round trips fewer), a reply that throws
  // throws and fails the caller's transaction, which must then run again guarded
  // (applySagaReplies does), so that the reply is quarantined there.
  async handleReplyOnce(
    sql: SqlExecutor,
    inboxConsumer: string,
    messageId: string,
    reply: SagaReply,
    guarded: boolean,
  ): Promise<InboxOutcome<ReplyResult>> {
    if (inboxConsumer.length === 0 || messageId.length === 0) {
      throw new TypeError('handleReplyOnce: inboxConsumer and messageId must be non-empty');
    }
    // The inbox's time is the wall clock's, as processOnce's is: purgeInbox ages it.
    const { recorded, saga } = await recordReplyAndLockSaga(
      sql,
      inboxConsumer,
      messageId,
      systemClock.now(),
      reply.sagaId,
    );
    if (!recorded) return { kind: 'duplicate' };
    return { kind: 'processed', result: await this.applyReply(sql, saga, reply, guarded) };
  }

  private async applyReply(
    sql: SqlExecutor,
    saga: StoredSaga | undefined,
    reply: SagaReply,
    guarded: boolean,
  ): Promise<ReplyResult> {
    if (!saga) return { applied: false, reason: 'unknown saga' };
    if (saga.quarantinedAt !== null) return { applied: false, reason: 'saga is quarantined' };
    const now = this.clock.now();
    if (!guarded) return this.decideReply(sql, saga, reply, now);
    await sql.query('savepoint saga_reply');
    try {
      return await this.decideReply(sql, saga, reply, now);
    } catch (error) {
      await sql.query('rollback to savepoint saga_reply');
      const reason = `reply to ${reply.phase} ${reply.step} failed: ${describe(error)}`;
      await this.quarantine(sql, saga.id, reason, now);
      return { applied: false, reason: 'saga is quarantined' };
    } finally {
      await sql.query('release savepoint saga_reply').catch(() => undefined);
    }
  }

  private async decideReply(
    sql: SqlExecutor,
    saga: StoredSaga,
    reply: SagaReply,
    now: number,
  ): Promise<ReplyResult> {
    const definition = this.definition(saga.type);
    const decision = decide(definition, saga, { kind: 'reply', reply }, now);
    if (decision.ignored) return { applied: false, reason: decision.ignored };
    return { applied: true, localStep: await this.apply(sql, saga.id, definition, decision, now) };
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
        const woken = await this.wake(id);
        if (woken === 'not-due') continue;
        applied += 1;
        this.notify(id);
        // A retry of a local step is run here rather than left to its Kafka round trip.
        if (woken === 'local-step') await this.drive(id);
      } catch (error) {
        await this.recordFailure(id, error);
      }
    }
    return applied;
  }

  // Runs the saga's local steps now, one transaction each, for as long as the command it
  // waits on goes to a local participant: persist, then execute. Call it after the
  // transaction that started the saga or applied a reply has committed. Each step runs its
  // handler through the participant's inbox, under the key its Kafka consumer uses
  // (idempotency key # attempt), and applies the reply in the same transaction: the step's
  // effect, its inbox record, the saga's next state and its next command commit together.
  // The command also went out through the outbox when it was decided, so a process that
  // dies before or during drive() loses nothing: the participant's consumer runs it from
  // Kafka, and whichever path comes second finds the inbox record and does nothing. A step
  // that throws rolls back and is left to that path (onLocalStepError is told). Never
  // throws; returns how many steps it ran. It stops after a step whose decision sends
  // nothing local, without a transaction to find that out.
  async drive(sagaId: string): Promise<number> {
    let ran = 0;
    if (this.local.size === 0) return ran;
    try {
      let more = true;
      while (more && ran < MAX_LOCAL_STEPS) {
        const step = await this.options.tx.inTransaction((sql) => this.runLocalStep(sql, sagaId));
        if (!step.ran) break;
        ran += 1;
        more = step.localNext;
        this.notify(sagaId);
      }
    } catch (error) {
      this.options.onLocalStepError?.(sagaId, error);
    }
    return ran;
  }

  // Resolves when this process next commits a change to the saga through drive() (or a
  // reply applied by startSagaReplyConsumer), or after `withinMs`, whichever is first: lets
  // a caller that waits for an outcome look again at once instead of on a timer. Other
  // processes' changes are not seen: keep a slower poll beside it.
  changed(sagaId: string, withinMs: number): Promise<void> {
    return new Promise((resolve) => {
      const watchers = this.watchers.get(sagaId) ?? new Set<() => void>();
      this.watchers.set(sagaId, watchers);
      const done = () => {
        clearTimeout(timer);
        watchers.delete(done);
        if (watchers.size === 0 && this.watchers.get(sagaId) === watchers) {
          this.watchers.delete(sagaId);
        }
        resolve();
      };
      const timer = setTimeout(done, withinMs);
      watchers.add(done);
    });
  }

  // Tells this process's waiters (changed()) that the saga moved. Called after a commit.
  notify(sagaId: string): void {
    for (const wake of [...(this.watchers.get(sagaId) ?? [])]) wake();
  }

  // Whether drive() can run anything: some participant is local.
  get hasLocalParticipants(): boolean {
    return this.local.size > 0;
  }

  // ran: a step ran and its reply was applied; localNext: the command that reply led to is
  // local too.
  private async runLocalStep(
    sql: SqlExecutor,
    sagaId: string,
  ): Promise<{ ran: boolean; localNext: boolean }> {
    const none = { ran: false, localNext: false };
    const saga = await loadSagaForUpdate(sql, sagaId);
    if (!saga || saga.quarantinedAt !== null || isTerminal(saga.status)) return none;
    if (saga.waiting !== 'reply') return none;
    const definition = this.definition(saga.type);
    const envelope = this.envelope(
      sagaId,
      definition,
      saga.stepIndex,
      saga.phase,
      saga.attempt,
      saga.context,
    );
    const participant = this.local.get(envelope.topic);
    const handler = participant?.handlers[envelope.command.type];
    if (!participant || !handler) return none;
    const outcome = await processOnce(
      sql,
      participant.inboxConsumer,
      `${envelope.command.idempotencyKey}#${envelope.command.attempt}`,
      async (inner) => {
        const stepOutcome = await handler(inner, envelope.command);
        const reply: SagaReply = {
          sagaId,
          step: envelope.command.step,
          phase: envelope.command.phase,
          attempt: envelope.command.attempt,
          ...stepOutcome,
        };
        const now = this.clock.now();
        const decision = decide(definition, saga, { kind: 'reply', reply }, now);
        if (decision.ignored) return none;
        return { ran: true, localNext: await this.apply(inner, sagaId, definition, decision, now) };
      },
    );
    return outcome.kind === 'processed' ? outcome.result : none;
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

  // not-due: another process took it, or it moved on; local-step: applied, and its command
  // goes to a local participant.
  private wake(id: string): Promise<'not-due' | 'applied' | 'local-step'> {
    return this.options.tx.inTransaction(async (sql) => {
      const now = this.clock.now();
      const saga = await claimDueSaga(sql, id, now);
      if (!saga) return 'not-due';
      const definition = this.definition(saga.type);
      const decision = decide(definition, saga, { kind: 'wake' }, now);
      if (decision.ignored) return 'applied';
      return (await this.apply(sql, saga.id, definition, decision, now)) ? 'local-step' : 'applied';
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

  // Writes a decision: its state, history and command in one statement when the outbox is an
  // outboxWriter, else the command through the outbox function after it. Returns whether
  // the command goes to a local participant (drive() has a step to run).
  private async apply(
    sql: SqlExecutor,
    sagaId: string,
    definition: AnyDefinition,
    decision: Decision,
    now: number,
  ): Promise<boolean> {
    // Built before anything is written: a definition that throws here writes nothing.
    const sent = this.commandOf(sagaId, definition, decision);
    const folded = sent && this.folded(sagaId, sent);
    await saveSagaWithHistory(sql, sagaId, decision.state, decision.history, now, folded);
    if (!sent) return false;
    if (!folded) await this.options.outbox(sql, sent.topic, this.message(sagaId, sent));
    return this.local.get(sent.topic)?.handlers[sent.command.type] !== undefined;
  }

  private commandOf(
    sagaId: string,
    definition: AnyDefinition,
    decision: Decision,
  ): Envelope | undefined {
    if (!decision.send) return undefined;
    const { stepIndex, phase, attempt } = decision.send;
    return this.envelope(sagaId, definition, stepIndex, phase, attempt, decision.state.context);
  }

  // Keyed by saga id: one saga's commands stay in order on one partition.
  private message(sagaId: string, { command }: Envelope): OutgoingMessage {
    return {
      key: sagaId,
      value: JSON.stringify(command),
      headers: { 'message-type': command.type, 'saga-id': sagaId },
    };
  }

  // The command as part of the statement that writes the decision, if the outbox is one
  // this library writes (outboxWriter); another outbox function is called on its own.
  private folded(sagaId: string, sent: Envelope): CommandInsert | undefined {
    const { outbox } = this.options;
    if (!isOutboxWriter(outbox)) return undefined;
    const message = this.message(sagaId, sent);
    return (source, first) => outboxInsert(outbox, sent.topic, message, source, first);
  }

  // The command a step's attempt sends: a function of the saga's state, so drive() builds
  // the same one the outbox carries.
  private envelope(
    sagaId: string,
    definition: AnyDefinition,
    stepIndex: number,
    phase: SagaPhase,
    attempt: number,
    context: Record<string, unknown>,
  ): Envelope {
    const step = definition.steps[stepIndex];
    if (!step) throw new Error(`saga ${definition.type} has no step ${stepIndex}`);
    const build = phase === 'action' ? step.action : step.compensation;
    if (!build) throw new Error(`step ${step.name} has no ${phase}`);
    const command = build(context);
    return {
      topic: command.topic,
      command: {
        sagaId,
        sagaType: definition.type,
        step: step.name,
        phase,
        attempt,
        idempotencyKey: idempotencyKeyFor(sagaId, step.name, phase),
        type: command.type,
        replyTopic: definition.replyTopic,
        payload: command.payload,
      },
    };
  }
}
