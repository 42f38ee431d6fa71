import type { ProviderTokens } from './provider.js';

/** The plain form of a ProviderSession: what the session service seals and stores. */
export interface ProviderSessionData {
  /** A customer's token after signin(); a commercetools guest's anonymous token before. */
  token: ProviderTokens | null;
  /** Set only by signin(). */
  customerId: string | null;
  /** commercetools: the anonymous session whose carts and orders move to the customer at login. */
  anonymousId: string | null;
  /** The shopper's cart at the provider (BigCommerce entityId, commercetools cart id). */
  cartId: string | null;
  lastOrderId: string | null;
}

/**
 * A shopper's state at the commerce provider, shaped after the `ctpSession` pattern:
 * `token`, `customerId` (set only through `signin`), `cartId`, `lastOrderId`, plus
 * `anonymousId`. Plain data in, plain data out: storage and sealing are the caller's.
 */
export class ProviderSession {
  token: ProviderTokens | null;
  cartId: string | null;
  lastOrderId: string | null;
  anonymousId: string | null;
  private signedInAs: string | null;

  constructor(data: Partial<ProviderSessionData> = {}) {
    this.token = data.token ?? null;
    this.signedInAs = data.customerId ?? null;
    this.anonymousId = data.anonymousId ?? null;
    this.cartId = data.cartId ?? null;
    this.lastOrderId = data.lastOrderId ?? null;
  }

  get customerId(): string | null {
    return this.signedInAs;
  }

  /** A guest holding an anonymous token rather than a customer's. */
  get isAnonymous(): boolean {
    return this.signedInAs === null && this.token !== null;
  }

  /** The only way to set the customer: the token becomes the customer's. */
  signin(token: ProviderTokens, customerId: string): void {
    this.token = token;
    this.signedInAs = customerId;
  }

  hasValidToken(now = Date.now()): boolean {
    return this.token !== null && this.token.expirationTime > now;
  }

  /** Forgets everything. */
  clear(): void {
    this.token = null;
    this.signedInAs = null;
    this.anonymousId = null;
    this.cartId = null;
    this.lastOrderId = null;
  }

  /** True when there is nothing worth storing. */
  get isEmpty(): boolean {
    return this.token === null && this.cartId === null && this.lastOrderId === null && this.anonymousId === null;
  }

  toJSON(): ProviderSessionData {
    return {
      token: this.token,
      customerId: this.signedInAs,
      anonymousId: this.anonymousId,
      cartId: this.cartId,
      lastOrderId: this.lastOrderId,
    };
  }
}
