import { Controller } from '@nestjs/common';
import { ErrorCodes, Patterns, Scopes, type DestroyResult } from '#libs/contracts';
import { RpcCtx, RpcMethod, SessionError, type RpcContext } from '#libs/session';

/**
 * Example of a custom method: registered with @RpcMethod like the built-in ones, it gets
 * the same auth, validation, session and RpcContext.
 */
@Controller()
export class LogoutOtherDevicesMethod {
  @RpcMethod(Patterns.accountLogoutOtherDevices, { scopes: [Scopes.write] })
  async handle(@RpcCtx() ctx: RpcContext): Promise<DestroyResult> {
    if (!ctx.user || !ctx.sessionId) throw new SessionError(ErrorCodes.notLoggedIn, 'log in first');
    const destroyed = await ctx.destroySessionsForUserId(ctx.user.id, [ctx.sessionId]);
    ctx.log.log(`logged out ${destroyed} other device(s)`);
    return { destroyed };
  }
}
