import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import type { RpcResponse } from '#libs/contracts';
import { AuditService } from '../admin/audit.service.js';
import { BasketService } from '../baskets/basket.service.js';
import { SessionManager } from '../core/session-manager.js';
import { ProviderService } from '../providers/provider.service.js';
import { SessionSecurity } from '../security/session-security.js';
import { messageStates } from './message-state.js';
import { MessageRpcContext } from './message-rpc-context.js';

/** Resolves the session (one store round trip), builds the RpcContext, and wraps the result as `{ data, session }`. */
@Injectable()
export class SessionInterceptor implements NestInterceptor {
  constructor(
    private readonly manager: SessionManager,
    private readonly baskets: BasketService,
    private readonly audit: AuditService,
    private readonly providers: ProviderService,
    private readonly security: SessionSecurity,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'rpc') return next.handle();
    const message = messageStates.get(context.switchToRpc().getData() as object);
    if (!message) return next.handle();
    const state = message.options.session === false ? null : await this.manager.resolve(message.shop, message.request.session);
    this.security.enforceRecentLogin(message, state);
    message.context = new MessageRpcContext(this.manager, this.baskets, this.audit, this.providers, message, state, this.security);
    return next.handle().pipe(
      map((data): RpcResponse<unknown> => ({ data: data ?? null, session: state ? this.manager.view(state) : null })),
    );
  }
}
