// A crawl as the API shows it. Pure types and the one rule of its progress.

export interface NewCrawl {
  id: string;
  seeds: string[];
  minIntervalMs: number;
  maxDepth: number;
}

export type CrawlStatus = 'running' | 'finished';

export interface CrawlView {
  id: string;
  status: CrawlStatus;
  seeds: string[];
  minIntervalMs: number;
  maxDepth: number;
  createdAt: string;
  finishedAt: string | null;
  // URLs by state, and fetched URLs by outcome.
  queued: number;
  fetching: number;
  done: number;
  outcomes: Record<string, number>;
  // Requests sent per second from the start to the end (or now).
  fetchesPerSecond: number;
}

// What a fetch came to. 'page' and 'redirect' and 'http-error' were answered by the host;
// 'disallowed' was never sent (robots.txt); 'network-error' was given up after retries.
export type FetchOutcome = 'page' | 'redirect' | 'http-error' | 'disallowed' | 'network-error';

export const FETCHED_OUTCOMES: readonly FetchOutcome[] = ['page', 'redirect', 'http-error'];
