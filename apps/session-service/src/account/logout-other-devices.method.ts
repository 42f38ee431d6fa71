import { Controller } from '@nestjs/common';
import { Contract, ErrorCodes, type DestroyResult } from '#libs/contracts';
import { RpcMethod, SessionError, type RpcContext } from '#libs/session';

/**
 * Example of a custom method: registered with @RpcMethod like the built-in ones, it gets
 * the same auth, validation, session and RpcContext.
 */
@Controller()
export class LogoutOtherDevicesMethod {
  @RpcMethod(Contract.accountLogoutOtherDevices)
  async handle(ctx: RpcContext): Promise<DestroyResult> {
    if (!ctx.user || !ctx.sessionId) throw new SessionError(ErrorCodes.notLoggedIn, 'log in first');
    const destroyed = await ctx.destroySessionsForUserId(ctx.user.id, [ctx.sessionId]);
    ctx.log.log(`logged out ${destroyed} other device(s)`);
    return { destroyed };
  }
}
