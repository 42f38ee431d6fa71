import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  BigCommerceTokenProvider, CommercetoolsTokenProvider, CustomerLoginJwtMinter, isProviderError,
  type CheckoutRedirectUrls, type ProviderCredentials, type ProviderLogin, type ProviderTokens, type TokenProvider,
} from '#libs/token-providers';
import { ErrorCodes } from '#libs/contracts';
import { SERVICE_CONFIG, type ServiceConfig, type ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import { TokenCipher } from '../crypto/token-cipher.js';

function notBigCommerce(shop: ShopSettings, field: string): SessionError {
  return new SessionError(ErrorCodes.validationFailed, `shop ${shop.shopId} has no BigCommerce provider`, [
    { field, message: 'Customer Login JWTs are a BigCommerce feature' },
  ]);
}

/** A token is refreshed when it has less than this left. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** What the session keeps of a provider login, sealed. */
interface SealedState {
  tokens: ProviderTokens;
  cartId: string | null;
}

/**
 * The shops' commerce providers, as the session uses them: login, a valid token (refreshed
 * near expiry), and logout. Tokens are sealed (AES-256-GCM) before they reach the session.
 */
@Injectable()
export class ProviderService {
  private readonly logger = new Logger('Providers');
  private readonly providers = new Map<string, TokenProvider>();
  private readonly cipher: TokenCipher;

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.cipher = new TokenCipher(config.tokenKeys);
    for (const shop of config.shops.values()) {
      const p = shop.provider;
      if (!p) continue;
      const http = p.timeoutMs === undefined ? {} : { http: { timeoutMs: p.timeoutMs } };
      this.providers.set(
        shop.shopId,
        p.type === 'commercetools'
          ? new CommercetoolsTokenProvider({
              authUrl: p.authUrl, apiUrl: p.apiUrl, projectKey: p.projectKey, clientId: p.clientId, clientSecret: p.clientSecret,
              ...(p.activeCartSignInMode ? { activeCartSignInMode: p.activeCartSignInMode } : {}),
              ...http,
            })
          : new BigCommerceTokenProvider({ graphqlUrl: p.graphqlUrl, storefrontToken: p.storefrontToken, ...http }),
      );
    }
  }

  async login(shop: ShopSettings, credentials: ProviderCredentials): Promise<{ login: ProviderLogin; sealed: string }> {
    const login = await this.call(() => this.provider(shop).login(credentials));
    return { login, sealed: this.seal({ tokens: login.tokens, cartId: login.cartId }) };
  }

  /** BigCommerce SSO: a login with a Customer Login JWT (loginWithCustomerLoginJwt). */
  async loginWithCustomerLoginJwt(shop: ShopSettings, jwt: string): Promise<{ login: ProviderLogin; sealed: string }> {
    const provider = this.provider(shop);
    if (!(provider instanceof BigCommerceTokenProvider)) throw notBigCommerce(shop, 'data.customerLoginJwt');
    const login = await this.call(() => provider.loginWithCustomerLoginJwt(jwt));
    return { login, sealed: this.seal({ tokens: login.tokens, cartId: login.cartId }) };
  }

  /** A `/login/token/<jwt>` link on the hosted storefront for a BigCommerce customer. */
  customerLoginUrl(shop: ShopSettings, customerId: string, redirectTo?: string): string {
    const p = shop.provider;
    if (!p || p.type !== 'bigcommerce') throw notBigCommerce(shop, 'shopId');
    const minter = new CustomerLoginJwtMinter({ clientId: p.clientId, clientSecret: p.clientSecret, storeHash: p.storeHash });
    const jwt = minter.mint({
      customerId: Number(customerId),
      ...(p.channelId ? { channelId: p.channelId } : {}),
      ...(redirectTo ? { redirectTo } : {}),
    });
    return `${p.storefrontUrl.replace(/\/+$/, '')}/login/token/${jwt}`;
  }

  /** Hosted-checkout URLs for the provider cart kept at login (BigCommerce). */
  async checkoutRedirectUrls(shop: ShopSettings, sealed: string): Promise<CheckoutRedirectUrls> {
    const provider = this.provider(shop);
    if (!(provider instanceof BigCommerceTokenProvider)) throw notBigCommerce(shop, 'shopId');
    const { tokens, cartId } = this.open(sealed);
    if (!cartId) throw new SessionError(ErrorCodes.validationFailed, 'the customer has no cart at the provider', [{ field: 'cart', message: 'add items first' }]);
    return this.call(() => provider.checkoutRedirectUrls(tokens, cartId));
  }

  /**
   * A valid access token from sealed state, refreshed when it expires within 5 minutes.
   * `resealed` is set when the tokens changed and the session must store them.
   */
  async validToken(shop: ShopSettings, sealed: string, now = Date.now()): Promise<{ tokens: ProviderTokens; resealed: string | null }> {
    const state = this.open(sealed);
    if (state.tokens.expiresAt - now > REFRESH_MARGIN_MS) return { tokens: state.tokens, resealed: null };
    const provider = this.provider(shop);
    if (!provider.refresh) {
      if (state.tokens.expiresAt > now) return { tokens: state.tokens, resealed: null };
      throw new SessionError(ErrorCodes.notLoggedIn, 'the provider session expired; log in again');
    }
    const tokens = await this.call(() => provider.refresh!(state.tokens));
    return { tokens, resealed: this.seal({ ...state, tokens }) };
  }

  /** Best effort: the session is destroyed whatever the provider answers. */
  async logout(shop: ShopSettings, sealed: string): Promise<void> {
    try {
      const state = this.open(sealed);
      await this.provider(shop).logout(state.tokens, state.cartId ?? undefined);
    } catch (e) {
      this.logger.warn(`provider logout failed for shop ${shop.shopId}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private provider(shop: ShopSettings): TokenProvider {
    const provider = this.providers.get(shop.shopId);
    if (!provider) throw new SessionError(ErrorCodes.validationFailed, `shop ${shop.shopId} has no commerce provider`, [{ field: 'data.credentials', message: 'this shop logs shoppers in through the caller: send { user }' }]);
    return provider;
  }

  private seal(state: SealedState): string {
    return this.cipher.encrypt(JSON.stringify(state));
  }

  private open(sealed: string): SealedState {
    const plain = this.cipher.decrypt(sealed);
    if (plain === null) throw new SessionError(ErrorCodes.notLoggedIn, 'the provider session cannot be read (keys rotated out?); log in again');
    return JSON.parse(plain) as SealedState;
  }

  /** Provider failures as contract errors; messages carry no tokens or credentials. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!isProviderError(e)) throw e;
      const code =
        e.code === 'INVALID_CREDENTIALS' ? ErrorCodes.invalidCredentials
        : e.code === 'NOT_LOGGED_IN' ? ErrorCodes.notLoggedIn
        : e.code === 'PROVIDER_UNAVAILABLE' ? ErrorCodes.providerUnavailable
        : ErrorCodes.providerError;
      throw new SessionError(code, e.message, e.details);
    }
  }
}
