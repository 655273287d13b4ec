import { randomUUID } from 'node:crypto';
import { HttpPspGateway, type HttpPspGatewayOptions } from './http-psp.gateway';

// NAIVE VARIANT, for the demo and the tests that prove the verifier can fail. It retries a
// timed-out charge under a fresh key, as a client without idempotency keys would: when the
// PSP charged but answered too late, the retry charges the card a second time.
export function naivePspGateway(
  options: Omit<HttpPspGatewayOptions, 'attemptKey'>,
): HttpPspGateway {
  return new HttpPspGateway({ ...options, attemptKey: () => randomUUID() });
}
