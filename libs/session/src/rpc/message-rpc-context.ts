import { Logger } from '@nestjs/common';
import { ErrorCodes, type SessionCustomData, type SessionSummary, type SessionUser } from '#libs/contracts';
import type { AuditService } from '../admin/audit.service.js';
import type { ServiceCaller } from '../auth/service-caller.js';
import { CartAccess, WishlistAccess } from '../baskets/basket-access.js';
import type { BasketService } from '../baskets/basket.service.js';
import type { BasketOwner } from '../store/basket-repository.js';
import type { ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import type { LoginMergeReport, SessionManager } from '../core/session-manager.js';
import type { ProviderService } from '../providers/provider.service.js';
import type { CheckoutRedirectUrls, ProviderCredentials, ProviderLogin, ProviderTokens } from '#libs/token-providers';
import type { SessionState } from '../core/session-state.js';
import type { MessageState } from './message-state.js';
import type { RpcContext } from './rpc-context.js';

/** The RpcContext of one message, over its session state (null for methods registered with `session: false`). */
export class MessageRpcContext implements RpcContext {
  readonly shopId: string;
  readonly shop: ShopSettings;
  readonly caller: ServiceCaller;
  readonly receivedAt: number;
  private logger: RpcContext['log'] | undefined;
  private carts: CartAccess | undefined;
  private wishlists: WishlistAccess | undefined;

  constructor(
    private readonly manager: SessionManager,
    private readonly baskets: BasketService,
    private readonly audit: AuditService,
    private readonly providers: ProviderService,
    private readonly message: MessageState,
    private readonly state: SessionState | null,
  ) {
    this.shop = message.shop;
    this.shopId = message.shop.shopId;
    this.caller = message.caller;
    this.receivedAt = message.receivedAt;
  }

  get sessionId(): string | null {
    return this.state?.id ?? null;
  }
  get sessionHandle(): string | null {
    return this.state?.handle ?? null;
  }
  get isNew(): boolean {
    return this.state?.isNew ?? false;
  }
  get user(): SessionUser | null {
    return this.state?.user ?? null;
  }
  get customData(): SessionCustomData {
    return this.state?.customData ?? {};
  }

  /** Built on first use: most messages log nothing. */
  get log(): RpcContext['log'] {
    return (this.logger ??= taggedLogger(this.message, this.state));
  }

  get cart(): CartAccess {
    return (this.carts ??= new CartAccess(this.baskets, this.shop, (w) => this.basketOwner(w), this.basketTtlMs()));
  }

  get wishlist(): WishlistAccess {
    return (this.wishlists ??= new WishlistAccess(this.baskets, this.shop, (w) => this.basketOwner(w), this.basketTtlMs()));
  }

  updateUser(user: SessionUser): Promise<void> {
    return this.manager.updateUser(this.session(), user);
  }
  updateCustomData(data: SessionCustomData): Promise<void> {
    return this.manager.updateCustomData(this.session(), data);
  }
  /** Logs out at the provider too (best effort): the session is destroyed whatever it answers. */
  async destroySession(): Promise<void> {
    const session = this.session();
    if (session.stored?.providerTokens) await this.providers.logout(this.shop, session.stored.providerTokens);
    return this.manager.destroy(session);
  }

  async loginWithProvider(credentials: ProviderCredentials): Promise<LoginMergeReport> {
    const session = this.session();
    return this.bindProviderLogin(session, await this.providers.login(this.shop, credentials));
  }

  async loginWithCustomerLoginJwt(jwt: string): Promise<LoginMergeReport> {
    const session = this.session();
    return this.bindProviderLogin(session, await this.providers.loginWithCustomerLoginJwt(this.shop, jwt));
  }

  customerLoginUrl(redirectTo?: string): string {
    const user = this.session().user;
    if (!user) throw new SessionError(ErrorCodes.notLoggedIn, 'log in first');
    return this.providers.customerLoginUrl(this.shop, user.id, redirectTo);
  }

  checkoutRedirectUrls(): Promise<CheckoutRedirectUrls> {
    return this.providers.checkoutRedirectUrls(this.shop, sealedProviderTokens(this.session()));
  }

  /** The provider's customer becomes the session's user; its tokens are kept, sealed. */
  private bindProviderLogin(session: SessionState, result: { login: ProviderLogin; sealed: string }): Promise<LoginMergeReport> {
    const user: SessionUser = { id: result.login.customerId, ...(result.login.customer ?? {}) };
    return this.manager.login(session, user, this.receivedAt, { providerTokens: result.sealed });
  }

  async providerToken(): Promise<ProviderTokens> {
    const session = this.session();
    const sealed = sealedProviderTokens(session);
    try {
      const { tokens, resealed } = await this.providers.validToken(this.shop, sealed);
      if (resealed) await this.manager.updateProviderTokens(session, resealed);
      return tokens;
    } catch (e) {
      // A refresh the provider refuses ends the session: the shopper must log in again.
      if (e instanceof SessionError && e.code === ErrorCodes.notLoggedIn) await this.manager.destroy(session);
      throw e;
    }
  }
  /** Every force-logout is audited under the caller's token subject. */
  async destroySessionsForUserId(userId: string, sessionsToKeep: string[] = []): Promise<number> {
    const destroyed = await this.manager.destroyForUser(this.shop, userId, sessionsToKeep, this.state);
    await this.audit.record(this.caller.subject, this.message.pattern, this.shopId, userId, destroyed);
    return destroyed;
  }
  async createUserBoundSession(user?: SessionUser): Promise<LoginMergeReport> {
    const session = this.session();
    const target = user ?? session.user;
    if (!target) throw new SessionError(ErrorCodes.notLoggedIn, 'createUserBoundSession needs a user');
    return this.manager.login(session, target, this.receivedAt);
  }
  login(user: SessionUser): Promise<LoginMergeReport> {
    return this.manager.login(this.session(), user, this.receivedAt);
  }
  listSessionsForUserId(userId: string): Promise<SessionSummary[]> {
    return this.manager.listForUser(this.shop, userId);
  }

  private basketOwner(forWrite: boolean): Promise<BasketOwner> {
    return this.manager.basketOwner(this.session(), forWrite);
  }

  /** A customer's basket outlives sessions; a guest's cannot outlive its session's absolute timeout. */
  private basketTtlMs(): number {
    return this.state?.userId ? this.shop.cart.customerTtlMs : this.shop.absoluteTimeoutMs;
  }

  private session(): SessionState {
    if (!this.state) throw new SessionError(ErrorCodes.internal, `${this.message.pattern} was registered with session: false`);
    return this.state;
  }
}

function sealedProviderTokens(session: SessionState): string {
  const sealed = session.stored?.providerTokens;
  if (!sealed) throw new SessionError(ErrorCodes.notLoggedIn, 'this session has no provider login');
  return sealed;
}

/** Tags each line with the method, the shop and the session handle (never the raw ID). */
function taggedLogger(message: MessageState, state: SessionState | null): RpcContext['log'] {
  const logger = new Logger(`rpc ${message.pattern} shop=${message.shop.shopId}`);
  const tag = (msg: string) => (state?.handle ? `${msg} [session ${state.handle.slice(0, 12)}]` : msg);
  return {
    log: (msg: string) => logger.log(tag(msg)),
    warn: (msg: string) => logger.warn(tag(msg)),
    error: (msg: string) => logger.error(tag(msg)),
    debug: (msg: string) => logger.debug(tag(msg)),
  };
}
