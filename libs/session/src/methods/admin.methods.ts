import { Controller } from '@nestjs/common';
import { ListSessionsInput, Patterns, Scopes, type SessionListResult } from '#libs/contracts';
import type { RpcContext } from '../rpc/rpc-context.js';
import { RpcMethod } from '../rpc/rpc-method.decorator.js';
import { Input, RpcCtx } from '../rpc/rpc-params.decorators.js';

@Controller()
export class AdminMethods {
  @RpcMethod(Patterns.adminSessionsList, { scopes: [Scopes.admin], input: ListSessionsInput, session: false })
  async list(@Input() input: ListSessionsInput, @RpcCtx() ctx: RpcContext): Promise<SessionListResult> {
    return { sessions: await ctx.listSessionsForUserId(input.userId) };
  }
}
