// A small client for the gateway's public API, timing every call.
export interface CallResult<T = unknown> {
  status: number;
  body: T;
  ms: number;
  headers: Headers;
}

export class GatewayClient {
  readonly timings = new Map<string, number[]>();

  // mint: where tokens come from; by default the gateway's development-token route.
  constructor(
    readonly baseUrl: string,
    private readonly mint?: (userId: string) => Promise<string>,
  ) {}

  async call<T = Record<string, unknown>>(
    label: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; idempotencyKey?: string; timeoutMs?: number } = {},
  ): Promise<CallResult<T>> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    const samples = this.timings.get(label) ?? [];
    samples.push(ms);
    this.timings.set(label, samples);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: body as T, ms, headers: response.headers };
  }

  async token(userId: string): Promise<string> {
    if (this.mint) return this.mint(userId);
    const result = await this.call<{ accessToken: string }>('token', 'POST', '/dev/tokens', {
      body: { userId },
    });
    if (result.status !== 200) throw new Error(`dev token for ${userId}: HTTP ${result.status}`);
    return result.body.accessToken;
  }
}
