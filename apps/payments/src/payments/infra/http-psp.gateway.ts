import CircuitBreaker from 'opossum';
import { propagationHeaders } from '@suite/service-kit';
import type {
  ChargeLookup,
  ChargeOutcome,
  PspChargeRequest,
  PspGateway,
  RefundOutcome,
} from '../domain/psp.port';

export interface HttpPspGatewayOptions {
  baseUrl: string;
  // Per attempt. Below the caller's own deadline, so a retry still fits.
  timeoutMs: number;
  maxAttempts: number;
  // Before attempt n+1: backoffMs * 2^(n-1).
  backoffMs: number;
  breaker?: { errorThresholdPercentage: number; volumeThreshold: number; resetTimeoutMs: number };
  // The key sent on attempt n. Every attempt must reuse the request's key; only the
  // naive variant (naive-psp.gateway.ts) does otherwise.
  attemptKey?: (key: string, attempt: number) => string;
  fetch?: typeof fetch;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

// No answer at all: the request may or may not have reached the PSP.
class NoAnswer extends Error {}
// A 5xx: the PSP answered that it did not process the request.
class ServerError extends Error {}

// The PSP over HTTP: a timeout per attempt, retries with backoff that reuse the key,
// and a circuit breaker so a PSP that is down costs one fast failure instead of a
// timeout per request. A declined card is an answer, not a failure: it neither retries
// nor counts against the breaker.
export class HttpPspGateway implements PspGateway {
  private readonly breaker: CircuitBreaker<[string, string, string | undefined, unknown], Answer>;
  private readonly fetch: typeof fetch;
  private readonly attemptKey: (key: string, attempt: number) => string;

  constructor(private readonly options: HttpPspGatewayOptions) {
    this.fetch = options.fetch ?? fetch;
    this.attemptKey = options.attemptKey ?? ((key) => key);
    const breaker = options.breaker ?? {
      errorThresholdPercentage: 50,
      volumeThreshold: 10,
      resetTimeoutMs: 5_000,
    };
    // Only "the PSP is unwell" (no answer, 5xx) opens the circuit: a 4xx is an answer,
    // returned to the caller and never thrown.
    this.breaker = new CircuitBreaker(
      (method, path, key, body) => this.send(method, path, key, body),
      {
        timeout: false,
        errorThresholdPercentage: breaker.errorThresholdPercentage,
        volumeThreshold: breaker.volumeThreshold,
        resetTimeout: breaker.resetTimeoutMs,
      },
    );
  }

  get circuitOpen(): boolean {
    return this.breaker.opened;
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  async charge(request: PspChargeRequest): Promise<ChargeOutcome> {
    let unanswered = false;
    let refused: string | undefined;
    let reason = 'no attempt made';
    for (let attempt = 1; attempt <= this.options.maxAttempts && !refused; attempt++) {
      try {
        const answer = await this.breaker.fire(
          'POST',
          '/charges',
          this.attemptKey(request.key, attempt),
          {
            amountMinor: request.amountMinor,
            currency: request.currency,
            sourceToken: request.sourceToken,
            merchantReference: request.merchantReference,
          },
        );
        if (answer.status === 201)
          return { kind: 'succeeded', chargeId: String(answer.body['id']) };
        if (answer.status === 402) {
          const charge = answer.body['charge'] as { id?: unknown } | undefined;
          return { kind: 'declined', chargeId: String(charge?.id), reason: 'card_declined' };
        }
        if (!isRefusal(answer)) throw new NoAnswer(`PSP answered ${answer.status}`);
        // Any other 4xx refuses our request as it is: retrying the same one cannot help.
        refused = refusal(answer);
        reason = refused;
      } catch (error) {
        if (this.breaker.opened) return { kind: 'unknown', reason: 'circuit open' };
        if (!(error instanceof ServerError)) unanswered = true;
        reason = (error as Error).message;
      }
      if (attempt < this.options.maxAttempts && !refused) {
        await sleep(this.options.backoffMs * 2 ** (attempt - 1));
      }
    }
    // Out of attempts (or refused): ask by key before giving up, since a timed-out attempt
    // may have charged. "None" is final only if every attempt was answered (a 5xx or a 4xx
    // means the PSP did not charge); an unanswered attempt may still land, so that stays
    // unknown.
    const found = await this.findCharge(request.key);
    if (found.kind === 'found') {
      return found.status === 'succeeded'
        ? { kind: 'succeeded', chargeId: found.chargeId }
        : { kind: 'declined', chargeId: found.chargeId, reason: 'card_declined' };
    }
    if (found.kind === 'none' && !unanswered) {
      return refused ? { kind: 'refused', reason: refused } : { kind: 'not-charged', reason };
    }
    return { kind: 'unknown', reason };
  }

  async findCharge(key: string): Promise<ChargeLookup> {
    try {
      const answer = await this.breaker.fire(
        'GET',
        `/charges?idempotencyKey=${encodeURIComponent(key)}`,
        undefined,
        undefined,
      );
      // A refused lookup tells nothing about the charge: the outcome stays unknown.
      if (answer.status !== 200) return { kind: 'unknown', reason: refusal(answer) };
      const [charge] = (answer.body['data'] as { id: string; status: string }[] | undefined) ?? [];
      if (!charge) return { kind: 'none' };
      return {
        kind: 'found',
        chargeId: charge.id,
        status: charge.status === 'succeeded' ? 'succeeded' : 'declined',
      };
    } catch (error) {
      return { kind: 'unknown', reason: (error as Error).message };
    }
  }

  async refund(request: {
    key: string;
    chargeId: string;
    amountMinor: number;
  }): Promise<RefundOutcome> {
    let reason = 'no attempt made';
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      try {
        const answer = await this.breaker.fire('POST', '/refunds', request.key, {
          chargeId: request.chargeId,
          amountMinor: request.amountMinor,
        });
        if (answer.status === 201) return { kind: 'refunded', refundId: String(answer.body['id']) };
        if (!isRefusal(answer)) throw new NoAnswer(`PSP answered ${answer.status}`);
        // Any 4xx: the PSP refunded nothing and will refuse the same request again.
        return { kind: 'rejected', reason: String(answer.body['error'] ?? refusal(answer)) };
      } catch (error) {
        if (this.breaker.opened) return { kind: 'unknown', reason: 'circuit open' };
        reason = (error as Error).message;
      }
      if (attempt < this.options.maxAttempts) {
        await sleep(this.options.backoffMs * 2 ** (attempt - 1));
      }
    }
    return { kind: 'unknown', reason };
  }

  private async send(
    method: string,
    path: string,
    key: string | undefined,
    body: unknown,
  ): Promise<Answer> {
    let response: Response;
    try {
      response = await this.fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: {
          // The caller's request id and trace continue into the PSP's logs.
          ...propagationHeaders(),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key === undefined ? {} : { 'idempotency-key': key }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      throw new NoAnswer(
        name === 'TimeoutError'
          ? `PSP gave no answer within ${this.options.timeoutMs} ms`
          : `PSP unreachable: ${(error as Error).message}`,
      );
    }
    let parsed: Record<string, unknown> = {};
    try {
      parsed = (await response.json()) as Record<string, unknown>;
    } catch {
      if (response.status < 500) throw new NoAnswer(`PSP answered ${response.status} without JSON`);
    }
    if (response.status >= 500) throw new ServerError(`PSP answered ${response.status}`);
    return { status: response.status, body: parsed };
  }
}

const isRefusal = (answer: Answer) => answer.status >= 400 && answer.status < 500;

function refusal(answer: Answer): string {
  const message = answer.body['message'];
  const text = Array.isArray(message) ? message.join('; ') : String(message ?? '');
  return `PSP refused the request with ${answer.status}: ${text}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
