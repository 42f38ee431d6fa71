import { ErrorCodes, type ProviderCartResult, type SessionUser } from '#libs/contracts';
import { ProviderSession, type CheckoutRedirectUrls, type ProviderCredentials } from '#libs/token-providers';
import type { ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import type { LoginMergeReport, SessionManager } from '../core/session-manager.js';
import type { SessionState } from '../core/session-state.js';
import type { ProviderLoginOutcome, ProviderService } from '../providers/provider.service.js';
import type { ProviderAccessToken, ProviderCartUpdate, ProviderPart } from './rpc-context.js';

/** `ctx.provider` of one call: the session's state at the shop's commerce provider, sealed in the session. */
export class SessionProviderPart implements ProviderPart {
  constructor(
    private readonly manager: SessionManager,
    private readonly providers: ProviderService,
    private readonly shop: ShopSettings,
    private readonly session: SessionState,
    private readonly receivedAt: number,
  ) {}

  login(credentials: ProviderCredentials): Promise<LoginMergeReport> {
    return this.bindLogin((guest) => this.providers.login(this.shop, credentials, guest));
  }

  loginWithCustomerLoginJwt(jwt: string): Promise<LoginMergeReport> {
    return this.bindLogin((guest) => this.providers.loginWithCustomerLoginJwt(this.shop, jwt, guest));
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
  private async bindLogin(login: (guest: ProviderSession) => Promise<ProviderLoginOutcome>): Promise<LoginMergeReport> {
    // What the guest holds at the provider goes along; a customer's, or one sealed under a
    // retired key, does not (a login must not fail over the state it replaces).
    let current: ProviderSession;
    try {
      current = this.open();
    } catch {
      current = new ProviderSession();
    }
    const outcome = await login(current.customerId === null ? current : new ProviderSession());
    const user: SessionUser = { id: outcome.login.customerId, ...(outcome.login.customer ?? {}) };
    const report = await this.manager.login(this.session, user, this.receivedAt, { providerSession: this.providers.seal(outcome.session) });
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
      if (this.session.userId !== null && e instanceof SessionError && e.code === ErrorCodes.notLoggedIn) await this.manager.destroy(this.session);
      throw e;
    }
  }

  private open(): ProviderSession {
    return this.providers.open(this.session.stored?.providerSession);
  }
}
