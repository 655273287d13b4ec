import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CAPTURE_PAYMENT_LIMITS, isSupportedCurrency } from '@suite/contracts';
import {
  IdempotencyStore,
  type Clock,
  type KeyHandle,
  type SagaOrchestrator,
  type SqlExecutor,
  type TransactionRunner,
} from '@suite/coordination';
import type { TicketingConfig } from '../../config/ticketing.config';
import { checkoutEligibility } from '../../holds/domain/hold';
import { GetOrderUseCase, type OrderView } from '../../orders/get-order/get-order.use-case';
import { OrdersRepository } from '../../orders/infra/orders.repository';
import {
  AUTOCOMMIT,
  CLOCK,
  ORCHESTRATOR,
  TICKETING_CONFIG,
  TRANSACTIONS,
} from '../../ticketing.tokens';
import { CHECKOUT_SAGA, type CheckoutContext } from '../domain/checkout.saga';
import { CheckoutRepository } from '../infra/checkout.repository';

export interface StartCheckoutCommand {
  userId: string;
  idempotencyKey: string;
  holdId: string;
  paymentSource: string;
}

export interface CheckoutResponse {
  status: number;
  body: unknown;
  // Set on every response that names an order.
  location?: string;
}

export type StartCheckoutResult =
  | { kind: 'respond'; response: CheckoutResponse }
  | { kind: 'payload-mismatch' }
  | { kind: 'in-progress'; retryAfterMs: number }
  | { kind: 'invalid-key'; reason: string };

type PlaceOrderOutcome =
  | { kind: 'refused'; response: CheckoutResponse }
  | { kind: 'placed'; orderId: string };

// An order payments would refuse as malformed must not start a saga: the checkout would
// only fail after the hold was taken out of sale.
function unpayableReason(amountMinor: number, currency: string): string | undefined {
  const { minAmountMinor, maxAmountMinor } = CAPTURE_PAYMENT_LIMITS;
  if (
    !Number.isSafeInteger(amountMinor) ||
    amountMinor < minAmountMinor ||
    amountMinor > maxAmountMinor
  ) {
    return `the order's amount (${amountMinor} minor units) is outside what payments accept (${minAmountMinor} to ${maxAmountMinor})`;
  }
  if (!isSupportedCurrency(currency)) {
    return `the event's currency ${currency} is not one payments accept`;
  }
  return undefined;
}

const errorBody = (statusCode: number, error: string, message: string) => ({
  status: statusCode,
  body: { statusCode, error, message },
});

// POST /checkouts. The Idempotency-Key makes the request safe to retry: the first
// response is stored and replayed (errors included), a different payload under the same
// key is refused, and a retry while the first is still running is told so.
@Injectable()
export class StartCheckoutUseCase {
  constructor(
    @Inject(TICKETING_CONFIG) private readonly config: TicketingConfig,
    @Inject(TRANSACTIONS) private readonly tx: TransactionRunner,
    @Inject(AUTOCOMMIT) private readonly sql: SqlExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ORCHESTRATOR) private readonly orchestrator: SagaOrchestrator,
    private readonly store: IdempotencyStore,
    private readonly checkout: CheckoutRepository,
    private readonly orders: OrdersRepository,
    private readonly getOrder: GetOrderUseCase,
  ) {}

  async execute(command: StartCheckoutCommand): Promise<StartCheckoutResult> {
    // The wait is a budget for the whole request, counted from its arrival: the time the
    // order and its first steps took under load comes out of it, so the answer (202 at the
    // latest) still reaches the caller before the gateway's timeout.
    const answerBy = this.clock.now() + this.config.CHECKOUT_WAIT_MS;
    const begun = await this.store.begin<{ orderId?: string }>(this.sql, {
      scope: command.userId,
      key: command.idempotencyKey,
      method: 'POST',
      path: '/checkouts',
      body: { holdId: command.holdId, paymentSource: command.paymentSource },
    });
    switch (begun.kind) {
      case 'payload-mismatch':
      case 'invalid-key':
      case 'in-progress':
        return begun;
      case 'replay': {
        const orderId = begun.response.status === 202 ? begun.response.body.orderId : undefined;
        // An accepted checkout is replayed as its order's state now, so a client that
        // retries learns the outcome; a refusal is replayed exactly.
        if (orderId) {
          return { kind: 'respond', response: await this.settle(orderId, this.clock.now()) };
        }
        return { kind: 'respond', response: begun.response };
      }
      case 'acquired':
        try {
          return { kind: 'respond', response: await this.run(command, begun.handle, answerBy) };
        } catch (error) {
          // Let the client's retry resume at once rather than after the lock timeout.
          await this.store.release(this.sql, begun.handle).catch(() => undefined);
          throw error;
        }
    }
  }

  private async run(
    command: StartCheckoutCommand,
    handle: KeyHandle,
    answerBy: number,
  ): Promise<CheckoutResponse> {
    const placed = await this.placeOrder(command, handle);
    if (placed.kind === 'refused') return placed.response;
    // The saga is committed: its first steps (ticketing's own) run now, in this process,
    // up to the capture's command to payments, while the answer waits on their changes; a
    // slow step under load then costs the caller a 202, not a timeout. A failure or a crash
    // here leaves the steps to Kafka (drive() never throws).
    void this.orchestrator.drive(placed.orderId);
    return this.settle(placed.orderId, answerBy);
  }

  // One transaction: the order row, the saga with its first command in the outbox, and the
  // key's stored 202, or the key's stored refusal. Either all of it commits or none does, so
  // there is never an order without its saga, and a retry replays instead of re-running.
  private placeOrder(command: StartCheckoutCommand, handle: KeyHandle): Promise<PlaceOrderOutcome> {
    return this.tx.inTransaction(async (sql) => {
      const complete = async (response: CheckoutResponse) => {
        const completed = await this.store.complete(sql, handle, response);
        if (completed.kind === 'lock-lost') throw new Error('idempotency key taken over');
      };
      const refuse = async (response: CheckoutResponse): Promise<PlaceOrderOutcome> => {
        await complete(response);
        return { kind: 'refused', response };
      };
      // The hold, locked, and its event's price in one statement.
      const found = await this.checkout.holdForCheckout(sql, command.holdId);
      const missing = errorBody(404, 'Not Found', `hold ${command.holdId} does not exist`);
      if (!found) return refuse(missing);
      const { hold, event } = found;
      const eligible = checkoutEligibility(hold, command.userId, this.clock.now());
      if (!eligible.ok) {
        // Another user's hold answers as a missing one, as GET /holds/{id} does: a 403
        // would confirm that the id exists.
        return eligible.reason === 'not-owner'
          ? refuse(missing)
          : refuse(errorBody(409, 'Conflict', eligible.message));
      }
      if (!event) throw new Error(`event ${hold.eventId} of hold ${hold.id} vanished`);
      const amountMinor = event.priceMinor * hold.seatIds.length;
      const unpayable = unpayableReason(amountMinor, event.currency);
      if (unpayable) return refuse(errorBody(422, 'Unprocessable Entity', unpayable));
      const order = {
        id: randomUUID(),
        userId: command.userId,
        idempotencyKey: command.idempotencyKey,
        holdId: hold.id,
        eventId: hold.eventId,
        seatIds: hold.seatIds,
        amountMinor,
        currency: event.currency,
      };
      if (!(await this.orders.insert(sql, order))) {
        return refuse(errorBody(409, 'Conflict', 'this hold is already being checked out'));
      }
      const context: CheckoutContext = {
        orderId: order.id,
        holdId: hold.id,
        eventId: order.eventId,
        userId: order.userId,
        seatIds: order.seatIds,
        tokens: hold.tokens,
        amountMinor: order.amountMinor,
        currency: order.currency,
        paymentSource: command.paymentSource,
      };
      await this.orchestrator.startIn(sql, CHECKOUT_SAGA, order.id, context);
      await complete({ status: 202, body: { orderId: order.id } });
      return { kind: 'placed', orderId: order.id };
    });
  }

  // Waits until `deadline` (clock ms) at most for the saga to end: 201 with the tickets, 200
  // with the reason it failed, or 202 with where to look later. Each look is one statement.
  private async settle(orderId: string, deadline: number): Promise<CheckoutResponse> {
    const location = `/orders/${orderId}`;
    for (;;) {
      // Watched before the read, so an end committed during it is not missed.
      const ended = this.endOf(orderId, Math.max(0, deadline - this.clock.now()));
      const found = await this.getOrder.execute(orderId);
      if (found.kind !== 'found') throw new Error(`order ${orderId} vanished`);
      const order: OrderView = found.order;
      if (order.status === 'completed') return { status: 201, body: order, location };
      if (order.status !== 'pending') return { status: 200, body: order, location };
      if (this.clock.now() >= deadline) {
        return { status: 202, body: { orderId, status: 'pending', statusUrl: location }, location };
      }
      await ended;
    }
  }

  // Resolves when the order's saga may have ended, or by `remainingMs` (the answer's
  // deadline) at the latest: when this process commits a change to it (the orchestrator's
  // changed()), when any instance ends it (with CHECKOUT_WAKEUPS, the NOTIFY of the
  // transaction that ended it, passed to the orchestrator by CheckoutSettledListener), and
  // every CHECKOUT_POLL_MS in case a notification was lost.
  private endOf(orderId: string, remainingMs: number): Promise<void> {
    return this.orchestrator.changed(orderId, Math.min(this.config.CHECKOUT_POLL_MS, remainingMs));
  }
}
