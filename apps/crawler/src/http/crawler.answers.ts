import { type AnswersTo, refusal } from '@suite/service-kit';
import type { GetCrawlResult } from '../crawls/get-crawl/get-crawl.use-case';
import type { StartCrawlResult } from '../crawls/start-crawl/start-crawl.use-case';

// Every outcome of every use case that has more than one, and the HTTP answer it gets.
export const HTTP_ANSWERS: {
  readonly startCrawl: AnswersTo<StartCrawlResult>;
  readonly getCrawl: AnswersTo<GetCrawlResult>;
} = {
  startCrawl: {
    started: ({ crawl }) => ({ status: 201, body: crawl }),
    // Well-formed JSON naming a URL this crawler may not fetch: refused for what it asks.
    'bad-seed': ({ seed, reason }) =>
      refusal(
        422,
        'seed_not_allowed',
        reason === 'off-loopback'
          ? `${seed} is not on 127.0.0.1, localhost or a *.web.test host; the crawler fetches nothing else`
          : `${seed} is not an absolute http URL`,
      ),
  },
  getCrawl: {
    found: ({ crawl }) => ({ status: 200, body: crawl }),
    'not-found': ({ id }) => refusal(404, 'crawl_not_found', `no crawl ${id}`),
  },
};
