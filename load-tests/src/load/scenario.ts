// A load scenario: its load, its thresholds, what it prepares once, and one iteration. The
// iteration talks to the gateway through a GatewayClient whose every call is a measured,
// named request of the run.
import { GatewayClient, type CallResult } from '../lib/gateway-client';
import type { DemoTarget } from '../demo/targets';
import type { IterationContext } from './engine';
import type { LoadModel } from './stages';
import type { Thresholds } from './thresholds';

export interface Scenario<State = unknown> {
  name: string;
  description: string;
  load: LoadModel;
  thresholds: Thresholds;
  // The thresholds of a chaos run (`npm run chaos`), where faults are meant to cost latency
  // and errors; the scenario's own thresholds when absent.
  chaosThresholds?: Thresholds;
  // HTTP statuses that are not errors, per request name; any other name expects 2xx.
  expect?: Record<string, readonly number[]>;
  // Overrides of the services' configuration when the runner starts them (native stack).
  services?: { ticketing: Record<string, string> };
  // The price the money check multiplies tickets by comes from the state, when it sells.
  setup(target: DemoTarget, client: GatewayClient): Promise<State>;
  iteration(state: State, client: GatewayClient, ctx: IterationContext): Promise<string | void>;
  ticketPriceMinor?(state: State): number;
}

// Keeps the state's type between setup and iteration.
export const defineScenario = <State>(scenario: Scenario<State>): Scenario<State> => scenario;

const SUCCESS = [200, 201, 202, 204];

// The client an iteration gets: each call is a request of the run, timed from when it was
// meant to start and judged by the scenario's expected statuses.
export class IterationClient extends GatewayClient {
  constructor(
    baseUrl: string,
    mint: ((userId: string) => Promise<string>) | undefined,
    private readonly ctx: IterationContext,
    private readonly expected: Record<string, readonly number[]>,
  ) {
    super(baseUrl, mint);
  }

  override call<T = Record<string, unknown>>(
    label: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; idempotencyKey?: string; timeoutMs?: number } = {},
  ): Promise<CallResult<T>> {
    return this.ctx.request(
      label,
      () => super.call<T>(label, method, path, { timeoutMs: 10_000, ...options }),
      this.expected[label] ?? SUCCESS,
    );
  }
}
