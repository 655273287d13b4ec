import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { SCOPES } from '@suite/contracts';
import { answerOf, RequireScopes, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HTTP_ANSWERS } from '../../http/rate-limiter.answers';
import {
  PoliciesResponse,
  ReloadRejectedResponse,
  ReloadResponse,
} from '../../http/rate-limiter.responses';
import { PolicyRegistry } from '../infra/policy-registry';

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

  // 200 when the file in force is the one on disk, 422 when the file on disk was refused.
  @Post('reload')
  @HttpCode(200)
  @ApiOkResponse({ type: ReloadResponse })
  @ApiResponse({
    status: 422,
    description: 'The file on disk was refused; the policies in force stay',
    type: ReloadRejectedResponse,
  })
  async reload(@Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.registry.reload();
    await send(reply, answerOf(HTTP_ANSWERS.reloadPolicies, outcome));
  }
}
