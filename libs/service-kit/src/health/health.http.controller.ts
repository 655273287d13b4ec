import { Controller, Get, HttpStatus, Inject, Logger, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { DebugAccessLog } from '../observability/debug-access-log.decorator';
import { HEALTH_OPTIONS, type HealthOptions } from './health.options';
import { ReadinessRegistry, type CheckState } from './readiness.registry';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';

export interface LivenessBody {
  status: 'ok';
  service: string;
}

export interface ReadinessBody {
  status: 'ready' | 'not_ready';
  checks: Record<string, CheckState>;
}

// The bodies above, for the OpenAPI document.
const LIVENESS_SCHEMA = {
  type: 'object',
  required: ['status', 'service'],
  properties: { status: { enum: ['ok'] }, service: { type: 'string' } },
};
const READINESS_SCHEMA = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { enum: ['ready', 'not_ready'] },
    checks: { type: 'object', additionalProperties: { enum: ['ok', 'down'] } },
  },
};

// Public: probes carry no user token.
@Public()
@ApiTags('health')
@Controller('health')
export class HealthHttpController {
  private readonly logger = new Logger('Readiness');

  constructor(
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly readiness: ReadinessRegistry,
  ) {}

  // Liveness: the process is up and serving HTTP. It checks no dependency, so an
  // outage of Postgres or Redis does not get every instance restarted at once.
  @Get()
  @DebugAccessLog()
  @ApiOkResponse({ schema: LIVENESS_SCHEMA })
  live(): LivenessBody {
    return { status: 'ok', service: this.options.service };
  }

  // Readiness: every registered dependency answers, so traffic may be routed here. The
  // answer names each dependency ok or down and nothing more: a driver's error carries
  // addresses and versions, so it goes to the log.
  @Get('ready')
  @DebugAccessLog()
  @ApiOkResponse({ description: 'Every dependency answers', schema: READINESS_SCHEMA })
  @ApiServiceUnavailableResponse({
    description: 'A dependency does not answer; checks says which (the reason is logged)',
    schema: READINESS_SCHEMA,
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessBody> {
    const report = await this.readiness.run(this.options.checkTimeoutMs);
    void reply.header('cache-control', 'no-store');
    if (!report.ready) {
      for (const [name, reason] of Object.entries(report.failures)) {
        this.logger.warn(`readiness check "${name}" failed: ${reason}`);
      }
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: report.ready ? 'ready' : 'not_ready', checks: report.checks };
  }
}
