import { Controller } from '@nestjs/common';
import {
  Contract,
  type AdminAuditTailInput,
  type AdminGetSessionInput,
  type AdminGetSessionResult,
  type AdminRevokeInput,
  type AdminRevokeResult,
  type AdminStatsResult,
  type AuditTailResult,
  type ListSessionsInput,
  type SessionListResult,
} from '#libs/contracts';
import { AdminService } from '../admin/admin.service.js';
import type { ServiceContext } from '../rpc/rpc-context.js';
import { RpcMethod } from '../rpc/rpc-method.decorator.js';

/** Operator methods: `session:admin`, no session; each action is audited under the token's sub. */
@Controller()
export class AdminMethods {
  constructor(private readonly admin: AdminService) {}

  @RpcMethod(Contract.adminSessionsList)
  async list(ctx: ServiceContext, input: ListSessionsInput): Promise<SessionListResult> {
    const sessions = await ctx.listSessionsForUserId(input.userId);
    await this.admin.audit.record(ctx.caller.subject, Contract.adminSessionsList.pattern, ctx.shopId, input.userId, sessions.length);
    return { sessions };
  }

  @RpcMethod(Contract.adminSessionsGet)
  async get(ctx: ServiceContext, input: AdminGetSessionInput): Promise<AdminGetSessionResult> {
    const session = await this.admin.getSession(ctx.shop, input.sessionId, input.userId);
    await this.admin.audit.record(
      ctx.caller.subject,
      Contract.adminSessionsGet.pattern,
      ctx.shopId,
      session?.userId ?? input.userId ?? null,
      session ? 1 : 0,
    );
    return { session };
  }

  @RpcMethod(Contract.adminSessionsRevoke)
  revoke(ctx: ServiceContext, input: AdminRevokeInput): Promise<AdminRevokeResult> {
    const shops = input.allShops ? this.admin.allShops() : [ctx.shop];
    return this.admin.revoke(ctx.caller.subject, Contract.adminSessionsRevoke.pattern, shops, input.userId, input.sessionsToKeep ?? []);
  }

  /** Every configured shop, whichever shop the envelope names (it must name a known one). */
  @RpcMethod(Contract.adminStats)
  async stats(ctx: ServiceContext): Promise<AdminStatsResult> {
    const result = await this.admin.stats();
    await this.admin.audit.record(ctx.caller.subject, Contract.adminStats.pattern, ctx.shopId, null, result.shops.length);
    return result;
  }

  @RpcMethod(Contract.adminAuditTail)
  async auditTail(_ctx: ServiceContext, input: AdminAuditTailInput): Promise<AuditTailResult> {
    return { entries: await this.admin.audit.tail(input.count ?? 20) };
  }
}
