import { Injectable } from '@nestjs/common';
import type { CrawlVerdict } from '@suite/contracts';
import { FetchLedger } from '../domain/fetch-ledger';
import { GeneratedWeb, type WebSettings } from '../domain/generated-web';

// The web being served now and the ledger of what was asked of it. A new run replaces both,
// so counts never mix two crawls.
@Injectable()
export class SimulatedWeb {
  private current: { web: GeneratedWeb; ledger: FetchLedger; since: Date };

  constructor(settings: WebSettings) {
    this.current = this.fresh(settings);
  }

  get web(): GeneratedWeb {
    return this.current.web;
  }

  get ledger(): FetchLedger {
    return this.current.ledger;
  }

  reset(settings: WebSettings): void {
    this.current = this.fresh(settings);
  }

  view(): WebView {
    const { web, since } = this.current;
    return {
      ...web.settings,
      seedUrls: web.seedUrls(),
      hostNames: web.hostNames,
      since: since.toISOString(),
    };
  }

  verdict(seeds?: readonly string[]): CrawlVerdict {
    const { web, ledger } = this.current;
    return ledger.verdict(web.reachableFrom(seeds && seeds.length > 0 ? seeds : web.seedUrls()));
  }

  private fresh(settings: WebSettings) {
    return {
      web: new GeneratedWeb(settings),
      ledger: new FetchLedger(settings.minIntervalMs),
      since: new Date(),
    };
  }
}

export interface WebView extends WebSettings {
  seedUrls: string[];
  hostNames: string[];
  since: string;
}
