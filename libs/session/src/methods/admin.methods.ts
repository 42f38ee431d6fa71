import { Controller } from '@nestjs/common';
import {
  AdminAuditTailInput, AdminGetSessionInput, AdminRevokeInput, ListSessionsInput, Patterns, Scopes,
  type AdminGetSessionResult, type AdminRevokeResult, type AdminStatsResult, type AuditTailResult, type SessionListResult,
} from '#libs/contracts';
import { AdminService } from '../admin/admin.service.js';
import type { RpcContext } from '../rpc/rpc-context.js';
import { RpcMethod } from '../rpc/rpc-method.decorator.js';
import { Input, RpcCtx } from '../rpc/rpc-params.decorators.js';

/** Operator methods: `session:admin`, no session; each action is audited under the token's sub. */
@Controller()
export class AdminMethods {
  constructor(private readonly admin: AdminService) {}

  @RpcMethod(Patterns.adminSessionsList, { scopes: [Scopes.admin], input: ListSessionsInput, session: false })
  async list(@Input() input: ListSessionsInput, @RpcCtx() ctx: RpcContext): Promise<SessionListResult> {
    const sessions = await ctx.listSessionsForUserId(input.userId);
    await this.admin.audit.record(ctx.caller.subject, Patterns.adminSessionsList, ctx.shopId, input.userId, sessions.length);
    return { sessions };
  }

  @RpcMethod(Patterns.adminSessionsGet, { scopes: [Scopes.admin], input: AdminGetSessionInput, session: false })
  async get(@Input() input: AdminGetSessionInput, @RpcCtx() ctx: RpcContext): Promise<AdminGetSessionResult> {
    const session = await this.admin.getSession(ctx.shop, input.sessionId, input.userId);
    await this.admin.audit.record(ctx.caller.subject, Patterns.adminSessionsGet, ctx.shopId, session?.userId ?? input.userId ?? null, session ? 1 : 0);
    return { session };
  }

  @RpcMethod(Patterns.adminSessionsRevoke, { scopes: [Scopes.admin], input: AdminRevokeInput, session: false })
  revoke(@Input() input: AdminRevokeInput, @RpcCtx() ctx: RpcContext): Promise<AdminRevokeResult> {
    const shops = input.allShops ? this.admin.allShops() : [ctx.shop];
    return this.admin.revoke(ctx.caller.subject, Patterns.adminSessionsRevoke, shops, input.userId, input.sessionsToKeep ?? []);
  }

  /** Every configured shop, whichever shop the envelope names (it must name a known one). */
  @RpcMethod(Patterns.adminStats, { scopes: [Scopes.admin], session: false })
  async stats(@RpcCtx() ctx: RpcContext): Promise<AdminStatsResult> {
    const result = await this.admin.stats();
    await this.admin.audit.record(ctx.caller.subject, Patterns.adminStats, ctx.shopId, null, result.shops.length);
    return result;
  }

  @RpcMethod(Patterns.adminAuditTail, { scopes: [Scopes.admin], input: AdminAuditTailInput, session: false })
  async auditTail(@Input() input: AdminAuditTailInput): Promise<AuditTailResult> {
    return { entries: await this.admin.audit.tail(input.count ?? 20) };
  }
}
