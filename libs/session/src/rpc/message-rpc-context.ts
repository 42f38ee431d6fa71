import { Logger } from '@nestjs/common';
import { ErrorCodes, Patterns, type AuthMethod, type ReauthenticateResult, type ProviderCartResult, type SessionCustomData, type SessionSummary, type SessionUser } from '#libs/contracts';
import type { AuditService } from '../admin/audit.service.js';
import type { ServiceCaller } from '../auth/service-caller.js';
import { CartAccess, WishlistAccess } from '../baskets/basket-access.js';
import type { BasketService } from '../baskets/basket.service.js';
import type { BasketOwner } from '../store/basket-repository.js';
import type { ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import type { LoginMergeReport, SessionManager } from '../core/session-manager.js';
import type { ProviderLoginOutcome, ProviderService } from '../providers/provider.service.js';
import { ProviderSession, type CheckoutRedirectUrls, type ProviderCredentials } from '#libs/token-providers';
import type { SessionState } from '../core/session-state.js';
import type { SessionSecurity } from '../security/session-security.js';
import { reauthenticate, type ProviderCheck, type ReauthProof } from '../security/reauthenticate.js';
import { logWithin } from '../logging/call-log-context.js';
import { callLogFields, type MessageState } from './message-state.js';
import type { ProviderAccessToken, ProviderCartUpdate, RpcContext } from './rpc-context.js';

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
    private readonly security: SessionSecurity,
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

  /** Throws CART_AT_PROVIDER on a shop whose cart lives at its provider (`cart.owner: provider`). */
  get cart(): CartAccess {
    if (this.shop.cart.owner === 'provider') {
      throw new SessionError(ErrorCodes.cartAtProvider, `shop ${this.shopId} keeps its cart at the commerce provider: use ${Patterns.providerCartGet} / ${Patterns.providerCartSet}`);
    }
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
  /**
   * Logs out at the provider too (best effort): the session is destroyed whatever it answers.
   * A cart the provider hands back (BigCommerce without persistent carts) stays with the
   * shopper in a new guest session, on shops whose cart lives at the provider.
   */
  async destroySession(): Promise<void> {
    const session = this.session();
    const sealed = session.stored?.providerSession;
    const handedBack = sealed ? await this.providers.logout(this.shop, this.providers.open(sealed)) : null;
    await this.manager.destroy(session);
    if (handedBack && this.shop.cart.owner === 'provider') {
      await this.manager.restartAsGuest(session, { providerSession: this.providers.seal(new ProviderSession({ cartId: handedBack })) });
    }
  }

  loginWithProvider(credentials: ProviderCredentials, options: { clientKey?: string } = {}): Promise<LoginMergeReport> {
    const session = this.session();
    const attempt = { shop: this.shop, email: credentials.email, clientKey: options.clientKey, actor: this.caller.subject };
    return this.bindProviderLogin(session, (guest) => this.security.throttle.guard(attempt, () => this.providers.login(this.shop, credentials, guest)), 'credentials');
  }

  loginWithCustomerLoginJwt(jwt: string): Promise<LoginMergeReport> {
    const session = this.session();
    return this.bindProviderLogin(session, (guest) => this.providers.loginWithCustomerLoginJwt(this.shop, jwt, guest), 'sso');
  }

  requireRecentLogin(maxAgeSeconds: number): void {
    this.security.requireRecentLogin(this.message, this.session(), maxAgeSeconds);
  }

  async reauthenticate(proof: ReauthProof, options: { clientKey?: string } = {}): Promise<ReauthenticateResult> {
    const check: ProviderCheck = (login) =>
      'credentials' in proof ? this.security.throttle.guard({ shop: this.shop, email: proof.credentials.email, clientKey: options.clientKey, actor: this.caller.subject }, login) : login();
    const authMethod = await reauthenticate({ manager: this.manager, providers: this.providers, check }, this.shop, this.session(), proof);
    return { authenticatedAt: new Date(this.session().stored!.authenticatedAt!).toISOString(), authMethod };
  }

  providerCart(): ProviderCartResult {
    const state = this.openProviderSession(this.session());
    return { cartId: state.cartId, lastOrderId: state.lastOrderId };
  }

  async setProviderCart(update: ProviderCartUpdate): Promise<ProviderCartResult> {
    if (this.shop.cart.owner !== 'provider') {
      throw new SessionError(ErrorCodes.validationFailed, `shop ${this.shopId} keeps its cart in the session (cart.owner: session)`, [
        { field: 'shopId', message: 'providerCart.* needs cart.owner "provider"; use cart.*' },
      ]);
    }
    const session = this.session();
    const state = this.openProviderSession(session);
    if (update.cartId !== undefined) state.cartId = update.cartId;
    if (update.lastOrderId !== undefined) state.lastOrderId = update.lastOrderId;
    await this.manager.updateProviderSession(session, this.providers.seal(state));
    return { cartId: state.cartId, lastOrderId: state.lastOrderId };
  }

  customerLoginUrl(redirectTo?: string): string {
    const user = this.session().user;
    if (!user) throw new SessionError(ErrorCodes.notLoggedIn, 'log in first');
    return this.providers.customerLoginUrl(this.shop, user.id, redirectTo);
  }

  checkoutRedirectUrls(): Promise<CheckoutRedirectUrls> {
    const session = this.session();
    return this.endingOnRefusedToken(session, () => this.providers.checkoutRedirectUrls(this.shop, this.openProviderSession(session)));
  }

  /**
   * The provider's customer becomes the session's user; the provider session (tokens, cart)
   * is kept, sealed. A guest's provider cart or anonymous session goes into the login.
   */
  private async bindProviderLogin(session: SessionState, login: (guest: ProviderSession) => Promise<ProviderLoginOutcome>, authMethod: AuthMethod): Promise<LoginMergeReport> {
    // What the guest holds at the provider goes along; a customer's, or one sealed under a
    // retired key, does not (a login must not fail over the state it replaces).
    let current: ProviderSession;
    try {
      current = this.openProviderSession(session);
    } catch {
      current = new ProviderSession();
    }
    const outcome = await login(current.customerId === null ? current : new ProviderSession());
    const user: SessionUser = { id: outcome.login.customerId, ...(outcome.login.customer ?? {}) };
    const report = await this.manager.login(session, user, this.receivedAt, { providerSession: this.providers.seal(outcome.session), authMethod });
    return this.shop.cart.owner === 'provider' ? { ...report, providerCart: outcome.cart } : report;
  }

  async providerToken(): Promise<ProviderAccessToken> {
    const session = this.session();
    return this.endingOnRefusedToken(session, async () => {
      const state = this.openProviderSession(session);
      const { tokens, changed } = await this.providers.validToken(this.shop, state);
      if (changed) await this.manager.updateProviderSession(session, this.providers.seal(state));
      return { ...tokens, anonymous: state.isAnonymous };
    });
  }

  /**
   * A customer token the provider refuses (commercetools `invalid_grant` on refresh,
   * BigCommerce INVALID_CUSTOMER_ACCESS_TOKEN) ends the session: the shopper must log in again.
   */
  private async endingOnRefusedToken<T>(session: SessionState, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (session.userId !== null && e instanceof SessionError && e.code === ErrorCodes.notLoggedIn) await this.manager.destroy(session);
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

  private openProviderSession(session: SessionState): ProviderSession {
    return this.providers.open(session.stored?.providerSession);
  }

  private session(): SessionState {
    if (!this.state) throw new SessionError(ErrorCodes.internal, `${this.message.pattern} was registered with session: false`);
    return this.state;
  }
}

/**
 * Tags each line with the method, the shop and the session handle (never the raw ID), and
 * with the call's log fields (call id, caller) for JSON logs.
 */
function taggedLogger(message: MessageState, state: SessionState | null): RpcContext['log'] {
  const logger = new Logger(`rpc ${message.pattern} shop=${message.shop.shopId}`);
  const tag = (msg: string) => (state?.handle ? `${msg} [session ${state.handle.slice(0, 12)}]` : msg);
  const write = (level: 'log' | 'warn' | 'error' | 'debug') => (msg: string) => logWithin(callLogFields(message), () => logger[level](tag(msg)));
  return { log: write('log'), warn: write('warn'), error: write('error'), debug: write('debug') };
}
