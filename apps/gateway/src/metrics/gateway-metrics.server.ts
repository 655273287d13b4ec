import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { HttpMetrics } from '@suite/service-kit';

// Prometheus metrics on a port of their own (METRICS_HOST:METRICS_PORT, loopback by
// default), so the API port, which faces clients, has no /metrics. GET /metrics only;
// anything else is a 404.
@Injectable()
export class GatewayMetricsServer implements OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: http.Server | undefined;

  constructor(private readonly metrics: HttpMetrics) {}

  // Resolves with the URL once listening; a port in use rejects, and the boot fails.
  async start(host: string, port: number): Promise<string> {
    const server = http.createServer((request, response) => {
      void this.answer(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/metrics`;
    this.logger.log(`metrics at ${url}`);
    return url;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse) {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    try {
      const body = await this.metrics.render();
      response
        .writeHead(200, { 'content-type': this.metrics.contentType, 'cache-control': 'no-store' })
        .end(body);
    } catch (error) {
      this.logger.error(`cannot render metrics: ${String(error)}`);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
    }
  }
}
