import { Injectable, Logger } from '@nestjs/common';
import type { ChargeView } from '../domain/charge';

export interface ChargeCallback {
  type: 'charge.succeeded' | 'charge.declined';
  charge: ChargeView;
}

// Webhooks to the merchant's callback URL: best effort, never awaited by the charge.
// With duplicates on, every webhook is sent twice, so merchants must dedupe on charge.id.
@Injectable()
export class CallbackSender {
  private readonly logger = new Logger(CallbackSender.name);

  send(url: string, callback: ChargeCallback, times: number): void {
    for (let i = 0; i < times; i++) {
      void fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(callback),
        // A redirect could lead off the allowed origin: never followed.
        redirect: 'manual',
        signal: AbortSignal.timeout(2_000),
      }).catch((error: unknown) => {
        this.logger.warn(`callback to ${url} failed: ${(error as Error).message}`);
      });
    }
  }
}
