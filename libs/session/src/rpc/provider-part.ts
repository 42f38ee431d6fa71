import { ErrorCodes, type AuthMethod, type ProviderCartResult, type SessionUser } from '#libs/contracts';
import { ProviderSession, type CheckoutRedirectUrls, type ProviderCredentials } from '#libs/token-providers';
import type { ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import type { LoginMergeReport, SessionManager } from '../core/session-manager.js';
import type { SessionState } from '../core/session-state.js';
import type { ProviderLoginOutcome, ProviderService } from '../providers/provider.service.js';
import type { SessionSecurity } from '../security/session-security.js';
import type { ProviderAccessToken, ProviderCartUpdate, ProviderPart } from './rpc-context.js';

/** `ctx.provider` of one call: the session's state at the shop's commerce provider, sealed in the session. */
export class SessionProviderPart implements ProviderPart {
  private readonly manager: SessionManager;
  private readonly providers: ProviderService;
  private readonly security: SessionSecurity;

  constructor(
    services: { manager: SessionManager; providers: ProviderService; security: SessionSecurity },
    private readonly shop: ShopSettings,
    private readonly session: SessionState,
    private readonly receivedAt: number,
    /** The calling service (its token's subject), for the audit of a lock-out. */
    private readonly actor: string,
  ) {
    this.manager = services.manager;
    this.providers = services.providers;
    this.security = services.security;
  }

  /** Under the login throttle: a locked account or client key answers TOO_MANY_ATTEMPTS without reaching the provider. */
  login(credentials: ProviderCredentials, options: { clientKey?: string } = {}): Promise<LoginMergeReport> {
    const attempt = { shop: this.shop, email: credentials.email, clientKey: options.clientKey, actor: this.actor };
    return this.bindLogin(
      (guest) => this.security.throttle.guard(attempt, () => this.providers.login(this.shop, credentials, guest)),
      'credentials',
    );
  }

  loginWithCustomerLoginJwt(jwt: string): Promise<LoginMergeReport> {
    return this.bindLogin((guest) => this.providers.loginWithCustomerLoginJwt(this.shop, jwt, guest), 'sso');
  }

  cart(): ProviderCartResult {
    const state = this.open();
    return { cartId: state.cartId, lastOrderId: state.lastOrderId };
  }

  async setCart(update: ProviderCartUpdate): Promise<ProviderCartResult> {
    if (this.shop.cart.owner !== 'provider') {
      throw new SessionError(ErrorCodes.validationFailed, `shop ${this.shop.shopId} keeps its cart in the session (cart.owner: session)`, [
        { field: 'shopId', message: 'providerCart.* needs cart.owner "provider"; use cart.*' },
      ]);
    }
    const state = this.open();
    if (update.cartId !== undefined) state.cartId = update.cartId;
    if (update.lastOrderId !== undefined) state.lastOrderId = update.lastOrderId;
    await this.manager.updateProviderSession(this.session, this.providers.seal(state));
    return { cartId: state.cartId, lastOrderId: state.lastOrderId };
  }

  customerLoginUrl(redirectTo?: string): string {
    const user = this.session.user;
    if (!user) throw new SessionError(ErrorCodes.notLoggedIn, 'log in first');
    return this.providers.customerLoginUrl(this.shop, user.id, redirectTo);
  }

  checkoutRedirectUrls(): Promise<CheckoutRedirectUrls> {
    return this.endingOnRefusedToken(() => this.providers.checkoutRedirectUrls(this.shop, this.open()));
  }

  async token(): Promise<ProviderAccessToken> {
    return this.endingOnRefusedToken(async () => {
      const state = this.open();
      const { tokens, changed } = await this.providers.validToken(this.shop, state);
      if (changed) await this.manager.updateProviderSession(this.session, this.providers.seal(state));
      return { ...tokens, anonymous: state.isAnonymous };
    });
  }

  /**
   * The provider's customer becomes the session's user; the provider session (tokens, cart)
   * is kept, sealed. A guest's provider cart or anonymous session goes into the login.
   */
  private async bindLogin(
    login: (guest: ProviderSession) => Promise<ProviderLoginOutcome>,
    authMethod: AuthMethod,
  ): Promise<LoginMergeReport> {
    // What the guest holds at the provider goes along; a customer's, or one sealed under a
    // retired key, does not (a login must not fail over the state it replaces).
    const current = this.providers.openOrEmpty(this.session.stored?.providerSession);
    const outcome = await login(current.customerId === null ? current : new ProviderSession());
    const user: SessionUser = { id: outcome.login.customerId, ...(outcome.login.customer ?? {}) };
    const report = await this.manager.login(this.session, user, this.receivedAt, {
      providerSession: this.providers.seal(outcome.session),
      authMethod,
    });
    return this.shop.cart.owner === 'provider' ? { ...report, providerCart: outcome.cart } : report;
  }

  /**
   * A customer token the provider refuses (commercetools `invalid_grant` on refresh,
   * BigCommerce INVALID_CUSTOMER_ACCESS_TOKEN) ends the session: the shopper must log in again.
   */
  private async endingOnRefusedToken<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (this.session.userId !== null && e instanceof SessionError && e.code === ErrorCodes.notLoggedIn)
        await this.manager.destroy(this.session);
      throw e;
    }
  }

  private open(): ProviderSession {
    return this.providers.open(this.session.stored?.providerSession);
  }
}
