import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ProviderSession,
  isProviderError,
  loginCartOutcome,
  supportsCheckoutUrls,
  supportsCustomerLoginJwt,
  supportsCustomerLoginUrls,
  type CheckoutRedirectUrls,
  type GuestCartRef,
  type ProviderCredentials,
  type ProviderLogin,
  type ProviderSessionData,
  type ProviderTokens,
  type TokenProvider,
} from '#libs/token-providers';
import { ErrorCodes, type ProviderCartLogin } from '#libs/contracts';
import { SERVICE_CONFIG, type ServiceConfig, type ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import { TokenCipher } from '../crypto/token-cipher.js';
import { defaultProviderRegistry } from './built-in-providers.js';

/** The shop's provider lacks an optional ability (see libs/token-providers capabilities.ts). */
function unsupported(shop: ShopSettings, field: string, ability: string): SessionError {
  const type = shop.provider?.type ?? 'none';
  return new SessionError(ErrorCodes.validationFailed, `the provider of shop ${shop.shopId} (${type}) does not support ${ability}`, [
    { field, message: `${ability} needs a provider that supports it (bigcommerce does)` },
  ]);
}

/** A token is refreshed when it has less than this left. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** A provider login, and the provider session the new session keeps. */
export interface ProviderLoginOutcome {
  login: ProviderLogin;
  session: ProviderSession;
  cart: ProviderCartLogin;
}

/**
 * The shops' commerce providers, as sessions use them: login (handing over the guest's
 * cart), a valid token (refreshed near expiry; a commercetools guest's anonymous token made
 * on first use), and logout. The ProviderSession is sealed (AES-256-GCM) before it reaches
 * the store.
 */
@Injectable()
export class ProviderService {
  private readonly logger = new Logger('Providers');
  private readonly providers = new Map<string, TokenProvider>();
  private readonly cipher: TokenCipher;

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.cipher = new TokenCipher(config.tokenKeys);
    // The registry the config was checked with builds each shop's provider.
    const registry = config.providerRegistry ?? defaultProviderRegistry();
    for (const shop of config.shops.values()) {
      if (shop.provider) this.providers.set(shop.shopId, registry.create(shop.provider, { shopId: shop.shopId }));
    }
  }

  /** The provider session sealed in a stored session; an empty one when there is none. */
  open(sealed: string | undefined): ProviderSession {
    if (sealed === undefined) return new ProviderSession();
    const plain = this.cipher.decrypt(sealed);
    if (plain === null)
      throw new SessionError(ErrorCodes.notLoggedIn, 'the provider session cannot be read (keys rotated out?); log in again');
    return new ProviderSession(JSON.parse(plain) as ProviderSessionData);
  }

  /**
   * The stored provider session, or an empty one when there is none or it cannot be read
   * (sealed under a retired key): for a login, which must not fail over the state it replaces.
   */
  openOrEmpty(sealed: string | undefined): ProviderSession {
    try {
      return this.open(sealed);
    } catch {
      return new ProviderSession();
    }
  }

  seal(session: ProviderSession): string {
    return this.cipher.encrypt(JSON.stringify(session));
  }

  /** Logs in with credentials; the guest's provider cart (or anonymous session) goes along. */
  login(shop: ShopSettings, credentials: ProviderCredentials, guest: ProviderSession): Promise<ProviderLoginOutcome> {
    const provider = this.provider(shop);
    return this.signin(shop, guest, (ref) => provider.login(credentials, ref));
  }

  /** Single sign-on: a login with a token the platform signed (BigCommerce Customer Login JWT). */
  loginWithCustomerLoginJwt(shop: ShopSettings, jwt: string, guest: ProviderSession): Promise<ProviderLoginOutcome> {
    const provider = this.provider(shop);
    if (!supportsCustomerLoginJwt(provider)) throw unsupported(shop, 'data.customerLoginJwt', 'Customer Login JWTs');
    return this.signin(shop, guest, (ref) => provider.loginWithCustomerLoginJwt(jwt, ref));
  }

  /** A link that logs the customer in on the platform's hosted storefront (BigCommerce `/login/token/<jwt>`). */
  customerLoginUrl(shop: ShopSettings, customerId: string, redirectTo?: string): string {
    const provider = this.providers.get(shop.shopId);
    if (!provider || !supportsCustomerLoginUrls(provider)) throw unsupported(shop, 'shopId', 'customer login links');
    return provider.customerLoginUrl(customerId, redirectTo);
  }

  /** Hosted-checkout URLs for the customer's provider cart. */
  async checkoutRedirectUrls(shop: ShopSettings, session: ProviderSession): Promise<CheckoutRedirectUrls> {
    const provider = this.provider(shop);
    if (!supportsCheckoutUrls(provider)) throw unsupported(shop, 'shopId', 'checkout redirect URLs');
    const token = session.customerId ? session.token : null;
    if (!token) throw new SessionError(ErrorCodes.notLoggedIn, 'this session has no provider login');
    const cartId = session.cartId;
    if (!cartId)
      throw new SessionError(ErrorCodes.validationFailed, 'the customer has no cart at the provider', [
        { field: 'cart', message: 'add items first' },
      ]);
    return this.call(() => provider.checkoutRedirectUrls(token, cartId));
  }

  /**
   * A valid access token, refreshed when it expires within 5 minutes. A commercetools guest
   * gets an anonymous-session token, made the first time it needs one. Mutates `session`;
   * `changed` says the caller must store it again.
   */
  async validToken(shop: ShopSettings, session: ProviderSession, now = Date.now()): Promise<{ tokens: ProviderTokens; changed: boolean }> {
    const provider = this.provider(shop);
    if (session.token === null) return { tokens: await this.startAnonymous(provider, session), changed: true };
    try {
      return await this.refreshed(provider, session, session.token, now);
    } catch (e) {
      // A guest whose anonymous session is gone starts a new one; a customer must log in again.
      if (!(session.isAnonymous && e instanceof SessionError && e.code === ErrorCodes.notLoggedIn)) throw e;
      session.clear();
      return { tokens: await this.startAnonymous(provider, session), changed: true };
    }
  }

  /** `token`, or a refreshed one (stored into `session`) when it expires within 5 minutes; NOT_LOGGED_IN when it cannot be had. */
  private async refreshed(
    provider: TokenProvider,
    session: ProviderSession,
    token: ProviderTokens,
    now: number,
  ): Promise<{ tokens: ProviderTokens; changed: boolean }> {
    if (token.expirationTime - now > REFRESH_MARGIN_MS) return { tokens: token, changed: false };
    if (!provider.refresh) {
      if (token.expirationTime > now) return { tokens: token, changed: false };
      throw new SessionError(ErrorCodes.notLoggedIn, 'the provider session expired; log in again');
    }
    session.token = await this.call(() => provider.refresh!(token));
    return { tokens: session.token, changed: true };
  }

  /**
   * Best effort: revokes the tokens at the provider and answers the cart it hands back as a
   * guest cart (BigCommerce without persistent carts), or null. Never throws.
   */
  async logout(shop: ShopSettings, session: ProviderSession): Promise<string | null> {
    if (!session.token) return null;
    try {
      const out = await this.provider(shop).logout(session.token, session.cartId ?? undefined);
      return out.guestCartId;
    } catch (e) {
      this.logger.warn(`provider logout failed for shop ${shop.shopId}: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  /** Runs a provider login with the guest's cart reference and builds the customer's provider session. */
  private async signin(
    shop: ShopSettings,
    guest: ProviderSession,
    login: (ref: GuestCartRef) => Promise<ProviderLogin>,
  ): Promise<ProviderLoginOutcome> {
    const ref = await this.guestCartRef(shop, guest);
    const result = await this.call(() => login(ref));
    const session = new ProviderSession({ anonymousId: guest.anonymousId, lastOrderId: guest.lastOrderId, cartId: result.cartId });
    session.signin(result.tokens, result.customerId);
    return { login: result, session, cart: { cartId: result.cartId, outcome: loginCartOutcome(guest.cartId, result.cartId) } };
  }

  /**
   * What the provider needs to take the guest's cart over: BigCommerce its cart id, commercetools
   * its anonymous-session token (for me/login). A token that cannot be refreshed is left out:
   * the login itself must not fail for it.
   */
  private async guestCartRef(shop: ShopSettings, guest: ProviderSession): Promise<GuestCartRef> {
    const ref: GuestCartRef = guest.cartId ? { cartId: guest.cartId } : {};
    if (!guest.isAnonymous || !guest.token) return ref;
    try {
      // Refresh only: a new anonymous session here would hold none of the guest's carts.
      ref.anonymousAccessToken = (await this.refreshed(this.provider(shop), guest, guest.token, Date.now())).tokens.accessToken;
    } catch (e) {
      this.logger.warn(`anonymous session of shop ${shop.shopId} unusable at login: ${e instanceof Error ? e.message : String(e)}`);
    }
    return ref;
  }

  private async startAnonymous(provider: TokenProvider, session: ProviderSession): Promise<ProviderTokens> {
    if (session.customerId !== null || !provider.anonymousToken) {
      throw new SessionError(ErrorCodes.notLoggedIn, 'this session has no provider login');
    }
    const anonymous = await this.call(() => provider.anonymousToken!());
    session.token = anonymous.tokens;
    session.anonymousId = anonymous.anonymousId;
    return anonymous.tokens;
  }

  private provider(shop: ShopSettings): TokenProvider {
    const provider = this.providers.get(shop.shopId);
    if (!provider)
      throw new SessionError(ErrorCodes.validationFailed, `shop ${shop.shopId} has no commerce provider`, [
        { field: 'data.credentials', message: 'this shop logs shoppers in through the caller: send { user }' },
      ]);
    return provider;
  }

  /** Provider failures as contract errors; messages carry no tokens or credentials. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!isProviderError(e)) throw e;
      const code =
        e.code === 'INVALID_CREDENTIALS'
          ? ErrorCodes.invalidCredentials
          : e.code === 'NOT_LOGGED_IN'
            ? ErrorCodes.notLoggedIn
            : e.code === 'PROVIDER_UNAVAILABLE'
              ? ErrorCodes.providerUnavailable
              : ErrorCodes.providerError;
      throw new SessionError(code, e.message, e.details);
    }
  }
}
