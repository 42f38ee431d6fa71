import type { Logger } from '@nestjs/common';
import type { ReauthProof } from '../security/reauthenticate.js';
import type { ReauthenticateResult, ProviderCartResult, SessionCustomData, SessionSummary, SessionUser } from '#libs/contracts';
import type { CheckoutRedirectUrls, ProviderCredentials, ProviderTokens } from '#libs/token-providers';
import type { ShopSettings } from '../config/service-config.js';
import type { LoginMergeReport } from '../core/session-manager.js';
import type { ServiceCaller } from '../auth/service-caller.js';
import type { CartAccess, WishlistAccess } from '../baskets/basket-access.js';

/** A provider access token, and whether it is a commercetools guest's anonymous-session token. */
export type ProviderAccessToken = ProviderTokens & { anonymous: boolean };

/** Absent fields stay as they are; null forgets. */
export interface ProviderCartUpdate {
  cartId?: string | null;
  lastOrderId?: string | null;
}

/**
 * What every RPC handler, built in or added by a team, receives through `@RpcCtx()`.
 * It is built once per message by the SessionInterceptor; mutations are persisted
 * before the returned promise settles.
 */
export interface RpcContext {
  readonly shopId: string;
  readonly shop: ShopSettings;
  /** Raw session ID; null for methods registered with `session: false`, or once destroyed. */
  readonly sessionId: string | null;
  /** SHA-256 of the ID: safe to log and to store. */
  readonly sessionHandle: string | null;
  readonly isNew: boolean;
  readonly user: SessionUser | null;
  readonly customData: SessionCustomData;
  /** The calling service, from its token. */
  readonly caller: ServiceCaller;
  /** When the message arrived (ms); a login's authentication instant. */
  readonly receivedAt: number;
  /** Logs with the shop, method and session handle; never the raw ID. */
  readonly log: Pick<Logger, 'log' | 'warn' | 'error' | 'debug'>;

  updateUser(user: SessionUser): Promise<void>;
  /** Replaces the custom data; `{}` on a guest removes the stored session. */
  updateCustomData(data: SessionCustomData): Promise<void>;
  /**
   * Deletes the session (and logs out at the provider); the response clears the cookie, or
   * sets a new guest cookie when the provider handed a guest cart back.
   */
  destroySession(): Promise<void>;
  /** Force-logout of a user in this shop; `sessionsToKeep` takes raw IDs or handles. Returns how many were destroyed. */
  destroySessionsForUserId(userId: string, sessionsToKeep?: string[]): Promise<number>;
  /**
   * Rotates to a user-bound ID `<userId>:<uuid>` for `user` (default: the current user). A
   * guest's cart and wishlist merge into the customer's; the result says how.
   */
  createUserBoundSession(user?: SessionUser): Promise<LoginMergeReport>;
  /** Sets the user and rotates the ID: the same as `createUserBoundSession(user)`. */
  login(user: SessionUser): Promise<LoginMergeReport>;
  listSessionsForUserId(userId: string): Promise<SessionSummary[]>;
  /** Logs in through the shop's commerce provider; its tokens are kept in the session, sealed. */
  loginWithProvider(credentials: ProviderCredentials, options?: { clientKey?: string }): Promise<LoginMergeReport>;
  /** BigCommerce SSO: logs in with a Customer Login JWT. */
  loginWithCustomerLoginJwt(jwt: string): Promise<LoginMergeReport>;
  /**
   * REAUTH_REQUIRED (details: maxAgeSeconds, ageSeconds) unless the session's user logged in
   * or re-authenticated within `maxAgeSeconds`; NOT_LOGGED_IN for a guest.
   */
  requireRecentLogin(maxAgeSeconds: number): void;
  /**
   * The logged-in user proves who they are again (credentials are throttled like a login):
   * `authenticatedAt` is refreshed and the ID rotates; no new session, no cart merge.
   */
  reauthenticate(proof: ReauthProof, options?: { clientKey?: string }): Promise<ReauthenticateResult>;
  /** A single-use link logging the session's (BigCommerce) user in on the hosted storefront. */
  customerLoginUrl(redirectTo?: string): string;
  /** Single-use hosted-checkout URLs for the customer's provider cart (BigCommerce). */
  checkoutRedirectUrls(): Promise<CheckoutRedirectUrls>;
  /**
   * A valid commerce-provider token, refreshed when it expires within 5 minutes: the
   * customer's, or for a commercetools guest an anonymous-session token made on first use.
   * A refresh the provider refuses logs a customer's session out (NOT_LOGGED_IN).
   */
  providerToken(): Promise<ProviderAccessToken>;
  /** The shopper's cart and last order at the provider (`cart.owner: provider`). */
  providerCart(): ProviderCartResult;
  /** Records the cart the storefront created (or the order it became) at the provider. */
  setProviderCart(update: ProviderCartUpdate): Promise<ProviderCartResult>;
  /**
   * The cart: the guest session's, or the logged-in customer's (the same on every device).
   * CART_AT_PROVIDER on shops whose cart lives at the provider.
   */
  readonly cart: CartAccess;
  readonly wishlist: WishlistAccess;
}
