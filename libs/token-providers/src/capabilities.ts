import type { GuestCartRef, ProviderLogin, ProviderTokens, TokenProvider } from './provider.js';

/**
 * Optional abilities of a TokenProvider beyond login/logout. A provider has one by having its
 * method(s); the guards below look for the methods, never at the provider's class, so any
 * provider (built in or not) that implements an interface gets the feature that uses it.
 */

/** Login with a signed single-sign-on token issued by the platform (BigCommerce Customer Login JWT). */
export interface SupportsCustomerLoginJwt {
  loginWithCustomerLoginJwt(jwt: string, guest?: GuestCartRef): Promise<ProviderLogin>;
}

/** Links that log a customer in on the platform's hosted storefront (BigCommerce `/login/token/<jwt>`). */
export interface SupportsCustomerLoginUrls {
  customerLoginUrl(customerId: string, redirectTo?: string): string;
}

export interface CheckoutRedirectUrls {
  checkoutUrl: string;
  embeddedCheckoutUrl: string;
}

/** Hosted-checkout URLs for the customer's cart at the platform. */
export interface SupportsCheckoutUrls {
  checkoutRedirectUrls(tokens: ProviderTokens, cartId: string): Promise<CheckoutRedirectUrls>;
}

export function supportsCustomerLoginJwt(provider: TokenProvider): provider is TokenProvider & SupportsCustomerLoginJwt {
  return hasMethod(provider, 'loginWithCustomerLoginJwt');
}

export function supportsCustomerLoginUrls(provider: TokenProvider): provider is TokenProvider & SupportsCustomerLoginUrls {
  return hasMethod(provider, 'customerLoginUrl');
}

export function supportsCheckoutUrls(provider: TokenProvider): provider is TokenProvider & SupportsCheckoutUrls {
  return hasMethod(provider, 'checkoutRedirectUrls');
}

function hasMethod(provider: object, name: string): boolean {
  return typeof (provider as Record<string, unknown>)[name] === 'function';
}
