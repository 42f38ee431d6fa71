import type { Socket } from 'node:net';
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
  type CartAddItemInput,
  type CartLineInput,
  type CartResult,
  type CartSetQuantityInput,
  type CheckoutRedirectUrlsResult,
  type CustomerLoginUrlInput,
  type CustomerLoginUrlResult,
  type DestroyForUserInput,
  type DestroyResult,
  type ListSessionsInput,
  type LoginInput,
  type LoginResult,
  type ProviderCartInput,
  type ProviderCartResult,
  type ProviderTokenResult,
  type ResolveResult,
  type RpcRequest,
  type RpcResponse,
  type SessionListResult,
  type UpdateCustomDataInput,
  type UpdateUserInput,
  type WishlistItemInput,
  type WishlistResult,
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

  /** Needs `session:tokens`: the shopper's provider token (a commercetools guest's anonymous one is made on first use). */
  providerToken(shopId: string, session: SessionCookie): Promise<RpcResponse<ProviderTokenResult>> {
    return this.call(Patterns.sessionProviderToken, shopId, session, {});
  }

  customerLoginUrl(shopId: string, session: SessionCookie, input: CustomerLoginUrlInput = {}): Promise<RpcResponse<CustomerLoginUrlResult>> {
    return this.call(Patterns.ssoCustomerLoginUrl, shopId, session, input);
  }

  checkoutRedirectUrls(shopId: string, session: SessionCookie): Promise<RpcResponse<CheckoutRedirectUrlsResult>> {
    return this.call(Patterns.checkoutRedirectUrls, shopId, session, {});
  }

  providerCart(shopId: string, session: SessionCookie): Promise<RpcResponse<ProviderCartResult>> {
    return this.call(Patterns.providerCartGet, shopId, session, {});
  }

  setProviderCart(shopId: string, session: SessionCookie, input: ProviderCartInput): Promise<RpcResponse<ProviderCartResult>> {
    return this.call(Patterns.providerCartSet, shopId, session, input);
  }

  cart(shopId: string, session: SessionCookie): Promise<RpcResponse<CartResult>> {
    return this.call(Patterns.cartGet, shopId, session, {});
  }

  addCartItem(shopId: string, session: SessionCookie, input: CartAddItemInput): Promise<RpcResponse<CartResult>> {
    return this.call(Patterns.cartAddItem, shopId, session, input);
  }

  setCartQuantity(shopId: string, session: SessionCookie, input: CartSetQuantityInput): Promise<RpcResponse<CartResult>> {
    return this.call(Patterns.cartSetQuantity, shopId, session, input);
  }

  removeCartItem(shopId: string, session: SessionCookie, input: CartLineInput): Promise<RpcResponse<CartResult>> {
    return this.call(Patterns.cartRemoveItem, shopId, session, input);
  }

  clearCart(shopId: string, session: SessionCookie): Promise<RpcResponse<CartResult>> {
    return this.call(Patterns.cartClear, shopId, session, {});
  }

  wishlist(shopId: string, session: SessionCookie): Promise<RpcResponse<WishlistResult>> {
    return this.call(Patterns.wishlistGet, shopId, session, {});
  }

  addWishlistItem(shopId: string, session: SessionCookie, input: WishlistItemInput): Promise<RpcResponse<WishlistResult>> {
    return this.call(Patterns.wishlistAdd, shopId, session, input);
  }

  removeWishlistItem(shopId: string, session: SessionCookie, input: WishlistItemInput): Promise<RpcResponse<WishlistResult>> {
    return this.call(Patterns.wishlistRemove, shopId, session, input);
  }

  clearWishlist(shopId: string, session: SessionCookie): Promise<RpcResponse<WishlistResult>> {
    return this.call(Patterns.wishlistClear, shopId, session, {});
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

  /**
   * Closes the connection for good. ClientTCP's close() only half-closes its socket (end()):
   * against a service that never closes its side, the socket, and so the process, would stay
   * alive. The socket is destroyed as well.
   */
  async close(): Promise<void> {
    const socket = (this.proxy as unknown as { socket?: { netSocket?: Socket } | null }).socket?.netSocket;
    await this.proxy.close();
    socket?.destroy();
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}
