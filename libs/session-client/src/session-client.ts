import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import type { OnModuleDestroy } from '@nestjs/common';
import { firstValueFrom, timeout } from 'rxjs';
import {
  Patterns,
  type AdminAuditTailInput,
  type AdminGetSessionInput,
  type AdminGetSessionResult,
  type AdminRevokeInput,
  type AdminRevokeResult,
  type AdminStatsResult,
  type AuditTailResult,
  type DestroyForUserInput,
  type DestroyResult,
  type ListSessionsInput,
  type LoginInput,
  type LoginResult,
  type ResolveResult,
  type RpcRequest,
  type RpcResponse,
  type SessionListResult,
  type UpdateCustomDataInput,
  type UpdateUserInput,
} from '#libs/contracts';
import type { SessionClientOptions } from './session-client.options.js';
import { SessionServiceError } from './session-service.error.js';

/** The raw session cookie value as the browser sent it, or null for a visitor without one. */
export type SessionCookie = string | null;

/**
 * Typed calls to the session service over its TCP transport. Every method resolves with the
 * whole `{ data, session }` response (pass it to `setSessionCookie`) and rejects with a
 * `SessionServiceError`.
 */
export class SessionClient implements OnModuleDestroy {
  private readonly proxy: ClientProxy;

  constructor(private readonly options: SessionClientOptions) {
    const { host, port, tls } = options;
    this.proxy = ClientProxyFactory.create({ transport: Transport.TCP, options: { host, port, ...(tls ? { tlsOptions: tls } : {}) } });
  }

  resolve(shopId: string, session: SessionCookie): Promise<RpcResponse<ResolveResult>> {
    return this.call(Patterns.sessionResolve, shopId, session, {});
  }

  login(shopId: string, session: SessionCookie, input: LoginInput): Promise<RpcResponse<LoginResult>> {
    return this.call(Patterns.sessionLogin, shopId, session, input);
  }

  logout(shopId: string, session: SessionCookie): Promise<RpcResponse<null>> {
    return this.call(Patterns.sessionLogout, shopId, session, {});
  }

  updateUser(shopId: string, session: SessionCookie, input: UpdateUserInput): Promise<RpcResponse<ResolveResult>> {
    return this.call(Patterns.sessionUpdateUser, shopId, session, input);
  }

  updateCustomData(shopId: string, session: SessionCookie, input: UpdateCustomDataInput): Promise<RpcResponse<ResolveResult>> {
    return this.call(Patterns.sessionUpdateCustomData, shopId, session, input);
  }

  destroy(shopId: string, session: SessionCookie): Promise<RpcResponse<null>> {
    return this.call(Patterns.sessionDestroy, shopId, session, {});
  }

  destroyForUser(shopId: string, session: SessionCookie, input: DestroyForUserInput): Promise<RpcResponse<DestroyResult>> {
    return this.call(Patterns.sessionDestroyForUser, shopId, session, input);
  }

  /** `admin.sessions.list` runs without a session: the response's `session` is null. */
  listSessions(shopId: string, input: ListSessionsInput): Promise<RpcResponse<SessionListResult>> {
    return this.call(Patterns.adminSessionsList, shopId, null, input);
  }

  /** `admin.sessions.get` runs without a session. `session` in the result is null for an unknown session. */
  getSession(shopId: string, input: AdminGetSessionInput): Promise<RpcResponse<AdminGetSessionResult>> {
    return this.call(Patterns.adminSessionsGet, shopId, null, input);
  }

  /** `admin.sessions.revoke` runs without a session: force-logout in `shopId`, or in every shop with `allShops: true`. */
  revokeSessions(shopId: string, input: AdminRevokeInput): Promise<RpcResponse<AdminRevokeResult>> {
    return this.call(Patterns.adminSessionsRevoke, shopId, null, input);
  }

  /** `admin.audit.tail` runs without a session: the most recent audit entries. */
  auditTail(shopId: string, input: AdminAuditTailInput): Promise<RpcResponse<AuditTailResult>> {
    return this.call(Patterns.adminAuditTail, shopId, null, input);
  }

  /** `admin.stats` runs without a session: live sessions of every configured shop (`shopId` only addresses the request). */
  adminStats(shopId: string): Promise<RpcResponse<AdminStatsResult>> {
    return this.call(Patterns.adminStats, shopId, null, {});
  }

  logoutOtherDevices(shopId: string, session: SessionCookie): Promise<RpcResponse<DestroyResult>> {
    return this.call(Patterns.accountLogoutOtherDevices, shopId, session, {});
  }

  /** Any pattern, including a team's own methods; same timeout and error mapping as the typed ones. */
  async call<TResult>(pattern: string, shopId: string, session: SessionCookie, data: object): Promise<RpcResponse<TResult>> {
    const auth = this.options.tokenProvider ? await this.options.tokenProvider() : this.options.token;
    const request: RpcRequest<object> = { auth, shopId, session, data };
    try {
      return await firstValueFrom(this.proxy.send<RpcResponse<TResult>>(pattern, request).pipe(timeout(this.options.timeoutMs)));
    } catch (e) {
      // No close() on transport errors: ClientTCP already drops a closed or refused socket and
      // connects again on the next call (see the restart test), and closing here could cut a
      // connection a concurrent call has just opened.
      throw SessionServiceError.from(e);
    }
  }

  async close(): Promise<void> {
    await this.proxy.close();
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}
