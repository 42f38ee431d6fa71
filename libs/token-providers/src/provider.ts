import type { ProviderKind } from './provider-error.js';

export interface ProviderCredentials {
  email: string;
  password: string;
}

/**
 * What the shopper had before logging in.
 * - BigCommerce: `cartId` is the guest cart's entityId (`guestCartEntityId` on `login`).
 * - commercetools: `anonymousAccessToken` is the anonymous session's token; its active cart
 *   is merged by `me/login`.
 */
export interface GuestCartRef {
  cartId?: string;
  anonymousAccessToken?: string;
}

export interface ProviderTokens {
  accessToken: string;
  /** commercetools only; BigCommerce customer access tokens cannot be refreshed. */
  refreshToken?: string;
  /** Epoch ms. */
  expirationTime: number;
}

export interface ProviderCustomer {
  email: string;
  firstName?: string;
  lastName?: string;
}

export interface ProviderLogin {
  tokens: ProviderTokens;
  customerId: string;
  /** The customer's cart after login (guest cart adopted or merged), or null. */
  cartId: string | null;
  customer?: ProviderCustomer;
}

export interface ProviderLogout {
  /** BigCommerce hands the cart back as a guest cart when the persistent cart is off; otherwise null. */
  guestCartId: string | null;
}

/**
 * A commerce platform's customer login. Optional abilities are optional methods here
 * (`refresh`, `anonymousToken`) or capability interfaces (capabilities.ts).
 */
export interface TokenProvider {
  /** 'bigcommerce', 'commercetools', or the type name a provider registered under. */
  readonly kind: ProviderKind | (string & {});
  login(credentials: ProviderCredentials, guest?: GuestCartRef): Promise<ProviderLogin>;
  /** Present only where the platform has refresh tokens (commercetools). */
  refresh?(tokens: ProviderTokens): Promise<ProviderTokens>;
  logout(tokens: ProviderTokens, cartId?: string): Promise<ProviderLogout>;
  /** Present where a guest gets a token of its own (commercetools' anonymous session). */
  anonymousToken?(): Promise<{ tokens: ProviderTokens; anonymousId: string | null }>;
}
