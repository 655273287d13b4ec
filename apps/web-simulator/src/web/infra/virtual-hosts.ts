import { createWriteStream, type WriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WEB_DOMAIN } from '../domain/generated-web';
import type { WebSimulatorConfig } from '../../config/web-simulator.config';
import { WEB_SIMULATOR_CONFIG } from '../../web-simulator.tokens';
import { LoopWatch } from './loop-watch';
import { SimulatedWeb } from './simulated-web';

// Serves the generated web to requests whose Host header names a host under web.test; every
// other request goes on to the simulator's own API (admin, health, docs). The ledger sees the
// arrival before any delay a slow host adds, with how late this process's event loop may have
// been in stamping it (LoopWatch).
@Injectable()
export class VirtualHosts implements OnModuleInit, OnModuleDestroy {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly loop = new LoopWatch();
  private arrivals: WriteStream | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly simulated: SimulatedWeb,
    @Inject(WEB_SIMULATOR_CONFIG) private readonly config: WebSimulatorConfig,
  ) {}

  onModuleInit(): void {
    this.loop.start();
    if (this.config.WEB_ARRIVALS_FILE) {
      this.arrivals = createWriteStream(this.config.WEB_ARRIVALS_FILE, { flags: 'a' });
    }
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request, reply) => {
      const arrivedAt = performance.now();
      const host = (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
      if (!host.endsWith(`.${WEB_DOMAIN}`)) return;
      await this.serve(host, arrivedAt, request, reply);
      return reply;
    });
  }

  onModuleDestroy(): void {
    this.loop.stop();
    this.arrivals?.end();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async serve(
    host: string,
    arrivedAt: number,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const stallMs = this.loop.lateness(arrivedAt);
    const { web, ledger } = this.simulated;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      await reply.code(405).header('allow', 'GET, HEAD').send();
      return;
    }
    const url = new URL(request.url, `http://${host}`);
    ledger.arrive(host, arrivedAt, stallMs);
    this.arrivals?.write(
      `${JSON.stringify({ host, path: url.pathname, atMs: performance.timeOrigin + arrivedAt, stallMs })}\n`,
    );
    const resolution = web.resolve(host, url.pathname, url.search);
    if (resolution.kind === 'unknown-host') {
      await reply.code(404).type('text/plain').send(`no such host: ${host}\n`);
      return;
    }
    if (resolution.kind === 'robots') {
      ledger.fetchedRobots();
      await reply.code(200).type('text/plain').send(resolution.body);
      return;
    }
    ledger.fetchedPage(resolution.key);
    await this.pause(web.delayMs(host, resolution.key));
    switch (resolution.kind) {
      case 'page':
        await reply
          .code(200)
          .type('text/html; charset=utf-8')
          .send(pageHtml(resolution.key, resolution.links));
        return;
      case 'redirect':
        await reply.code(301).header('location', resolution.location).send();
        return;
      case 'failing':
        await reply.code(503).type('text/plain').send('this page always fails\n');
        return;
      case 'not-found':
        await reply.code(404).type('text/plain').send('no such page\n');
        return;
    }
  }

  private pause(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function pageHtml(key: string, links: readonly string[]): string {
  const items = links.map(
    (href) => `<li><a href="${escapeHtml(href)}">${escapeHtml(href)}</a></li>`,
  );
  return `<!doctype html><html><head><title>${escapeHtml(key)}</title></head><body><ul>${items.join('')}</ul></body></html>\n`;
}
