import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCodes } from '#libs/contracts';
import { ServiceTokenVerifier } from '../auth/service-token.verifier.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import { validatePlain } from '../validation/validate-plain.js';
import { messageStates } from './message-state.js';
import { invalid, parseEnvelope } from './parse-envelope.js';
import { RPC_METHOD, type RpcMethodOptions } from './rpc-method.decorator.js';

/**
 * Global guard for every RPC: token, scopes, envelope, shop and input, in that order, so
 * an unauthenticated caller learns nothing and a refused call executes nothing. A handler
 * registered without @RpcMethod is refused.
 */
@Injectable()
export class ServiceAuthGuard implements CanActivate {
  private readonly maxDataChars: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: ServiceTokenVerifier,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.maxDataChars = Math.max(65_536, config.limits.maxUserBytes + config.limits.maxCustomDataBytes + 4_096);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc') return true;
    const receivedAt = this.config.wallClock();
    const rpc = context.switchToRpc();
    const payload: unknown = rpc.getData();
    const pattern = String(rpc.getContext<{ getPattern?(): string }>()?.getPattern?.() ?? 'unknown');
    const options = this.reflector.get<RpcMethodOptions | undefined>(RPC_METHOD, context.getHandler());
    if (!options) throw new SessionError(ErrorCodes.forbidden, `${pattern} is not registered with @RpcMethod`);

    const auth = (payload as { auth?: unknown } | null)?.auth;
    if (typeof auth !== 'string' || auth.length === 0) throw new SessionError(ErrorCodes.unauthenticated, 'missing service token (auth)');
    const caller = this.verifier.verify(auth, receivedAt);
    const missing = options.scopes.filter((s) => !caller.scopes.has(s));
    if (missing.length) {
      throw new SessionError(ErrorCodes.forbidden, `${pattern} needs scope ${missing.join(' ')}`, { requiredScopes: options.scopes, missing });
    }

    const request = parseEnvelope(payload);
    const shop = this.config.shops.get(request.shopId);
    if (!shop) throw new SessionError(ErrorCodes.unknownShop, `unknown shop "${request.shopId}"`);

    let input: object | undefined;
    if (options.input) {
      const size = request.data === undefined ? 0 : JSON.stringify(request.data).length;
      if (size > this.maxDataChars) {
        throw new SessionError(ErrorCodes.payloadTooLarge, `data is ${size} characters as JSON; the limit is ${this.maxDataChars}`, {
          size,
          limit: this.maxDataChars,
        });
      }
      const checked = validatePlain(options.input, request.data ?? {}, 'data');
      if (!checked.ok) throw invalid(checked.errors);
      input = checked.value;
    }
    messageStates.set(payload as object, { pattern, receivedAt, request, caller, shop, options, input });
    return true;
  }
}
