import { Inject, Injectable } from '@nestjs/common';
import type { AnyRpcContract, RpcErrorPayload, RpcResponse } from '#libs/contracts';
import { AuditService } from '../admin/audit.service.js';
import { ServiceTokenVerifier } from '../auth/service-token.verifier.js';
import { BasketService } from '../baskets/basket.service.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/service-config.js';
import { SessionManager } from '../core/session-manager.js';
import { logWithin } from '../logging/call-log-context.js';
import { ProviderService } from '../providers/provider.service.js';
import { SessionSecurity } from '../security/session-security.js';
import { CallAdmission } from './call-admission.js';
import { ServiceCallContext, SessionCallContext, type RpcServices } from './call-contexts.js';
import { callLogFields, type CallState } from './call-state.js';
import { toErrorPayload } from './error-payload.js';
import type { RpcMethodOptions } from './rpc-method.decorator.js';

/** A call's answer, as the transport sends it: a response or a contract error. */
export type RpcReply = { response: RpcResponse<unknown>; err?: undefined } | { err: RpcErrorPayload; response?: undefined };

/** The whole work of one call, from its payload to its reply; it never rejects. */
export type CallHandler = (payload: unknown) => Promise<RpcReply>;

type Run = (ctx: ServiceCallContext | SessionCallContext, input: unknown) => unknown;

/**
 * Runs a call in one async function: admission (token, scopes, envelope, shop, input),
 * the session's resolve (one store round trip; none with `session: false`), the recent-login
 * check (methods marked with `recentLogin` or by the shop's config), the handler,
 * and the `{ data, session }` wrapping; an error becomes `{ code, message, details? }`.
 */
@Injectable()
export class RpcDispatcher {
  private readonly admission: CallAdmission;
  private readonly services: RpcServices;

  constructor(
    private readonly manager: SessionManager,
    baskets: BasketService,
    audit: AuditService,
    providers: ProviderService,
    verifier: ServiceTokenVerifier,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    private readonly security: SessionSecurity,
  ) {
    this.admission = new CallAdmission(verifier, config);
    this.services = { manager, baskets, audit, providers, security };
  }

  handlerFor(contract: AnyRpcContract, run: Run, options: RpcMethodOptions = {}): CallHandler {
    return async (payload) => {
      let call: CallState | undefined;
      try {
        call = this.admission.admit(contract, payload);
        if (!contract.session) {
          const out = run(new ServiceCallContext(this.services, call), call.input);
          const data = out instanceof Promise ? await out : out;
          return { response: { data: data ?? null, session: null } };
        }
        const state = await this.manager.resolve(call.shop, call.request.session);
        // What this call changes is reported (session events) under the caller's token subject.
        state.actor = call.caller.subject;
        // REAUTH_REQUIRED before the handler runs, for a method marked by its options or the shop's config.
        this.security.enforceRecentLogin(call, state, options.recentLogin);
        // A sync handler's value (session.resolve) is used as it is: no extra turn of the microtask queue.
        const out = run(new SessionCallContext(this.services, call, state), call.input);
        const data = out instanceof Promise ? await out : out;
        return { response: { data: data ?? null, session: this.manager.view(state) } };
      } catch (e) {
        // A call refused before its token was verified has no log fields.
        let err: RpcErrorPayload | undefined;
        logWithin(call && callLogFields(call), () => (err = toErrorPayload(e)));
        return { err: err! };
      }
    };
  }
}
