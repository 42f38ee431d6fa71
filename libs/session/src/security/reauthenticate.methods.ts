import { Controller } from '@nestjs/common';
import { Contract, ErrorCodes, ReauthenticateInput, type ReauthenticateResult } from '#libs/contracts';
import { SessionError } from '../core/session-error.js';
import type { RpcContext } from '../rpc/rpc-context.js';
import { RpcMethod } from '../rpc/rpc-method.decorator.js';
import type { ReauthProof } from './reauthenticate.js';

/** session.reauthenticate, registered as any method is. */
@Controller()
export class ReauthenticateMethods {
  @RpcMethod(Contract.sessionReauthenticate)
  async reauthenticate(ctx: RpcContext, input: ReauthenticateInput): Promise<ReauthenticateResult> {
    const sent = [input.credentials, input.customerLoginJwt, input.trusted].filter((v) => v !== undefined).length;
    if (sent !== 1) {
      throw new SessionError(ErrorCodes.validationFailed, 'send one of credentials, customerLoginJwt, trusted', [
        { field: 'data', message: 'send exactly one of credentials, customerLoginJwt, trusted' },
      ]);
    }
    const proof: ReauthProof = input.credentials
      ? { credentials: { email: input.credentials.email, password: input.credentials.password } }
      : input.customerLoginJwt !== undefined
        ? { customerLoginJwt: input.customerLoginJwt }
        : { trusted: true };
    const result = await ctx.reauthenticate(proof, input.clientKey === undefined ? {} : { clientKey: input.clientKey });
    ctx.log.log(`re-authenticated (${result.authMethod})`);
    return result;
  }
}
