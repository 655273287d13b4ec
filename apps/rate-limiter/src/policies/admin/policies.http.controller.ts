import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { SCOPES } from '@suite/contracts';
import { RequireScopes } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { PolicyRegistry } from '../infra/policy-registry';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  PoliciesResponse,
  ReloadRejectedResponse,
  ReloadResponse,
} from '../../http/rate-limiter.responses';

// Operator endpoints: what is loaded, and reload now. An operator's token (ops:admin) is
// required even on the service network; the gateway does not publish them.
@RequireScopes(SCOPES.opsAdmin)
@ApiTags('admin')
@Controller('admin/policies')
export class PoliciesHttpController {
  constructor(private readonly registry: PolicyRegistry) {}

  @Get()
  @ApiOkResponse({ type: PoliciesResponse })
  show() {
    const set = this.registry.current;
    return {
      file: this.registry.file,
      loaded: this.registry.loaded,
      lastRejected: this.registry.rejected,
      domains: set.domainNames().map((domain) => ({
        domain,
        policies: set.policies(domain).map((p) => ({ limiterPolicy: p.name, ...p.definition })),
      })),
    };
  }

  // 200 when the file in force is the one on disk (reloaded or unchanged); 422 when the
  // file on disk was refused, with every issue, and the policies in force stay.
  @Post('reload')
  @HttpCode(200)
  @ApiOkResponse({ type: ReloadResponse })
  @ApiResponse({
    status: 422,
    description: 'The file on disk was refused; the policies in force stay',
    type: ReloadRejectedResponse,
  })
  async reload(@Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.registry.reload();
    if (outcome.kind === 'rejected') {
      void reply.status(422);
      return {
        statusCode: 422,
        error: 'invalid_policy_file',
        message: outcome.rejected.issues,
        loaded: outcome.loaded,
      };
    }
    return { status: outcome.kind, loaded: outcome.loaded };
  }
}
