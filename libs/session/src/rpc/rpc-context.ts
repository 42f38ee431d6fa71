import type { Logger } from '@nestjs/common';
import type {
  AnyRpcContract,
  ProviderCartResult,
  ReauthenticateResult,
  SessionCustomData,
  SessionSummary,
  SessionUser,
} from '#libs/contracts';
import type { CheckoutRedirectUrls, ProviderCredentials, ProviderTokens } from '#libs/token-providers';
import type { ShopSettings } from '../config/service-config.js';
import type { LoginMergeReport } from '../core/session-manager.js';
import type { ServiceCaller } from '../auth/service-caller.js';
import type { CartAccess, WishlistAccess } from '../baskets/basket-access.js';
import type { ReauthProof } from '../security/reauthenticate.js';

/** A provider access token, and whether it is a commercetools guest's anonymous-session token. */
export type ProviderAccessToken = ProviderTokens & { anonymous: boolean };

/** Absent fields stay as they are; null forgets. */
export interface ProviderCartUpdate {
  cartId?: string | null;
  lastOrderId?: string | null;
}

export type RpcLog = Pick<Logger, 'log' | 'warn' | 'error' | 'debug'>;

/** What every call knows, with or without a session. */
export interface CallContext {
  readonly shopId: string;
  readonly shop: ShopSettings;
  /** The calling service, from its token. */
  readonly caller: ServiceCaller;
  /** When the message arrived (ms); a login's authentication instant. */
  readonly receivedAt: number;
  /** Logs with the shop, method and session handle; never the raw ID. */
  readonly log: RpcLog;
  /** The user's sessions in this shop, most recent first. */
  listSessionsForUserId(userId: string): Promise<SessionSummary[]>;
}

/** The context of a method declared with `session: false`: no session members, so using one does not compile. */
export interface ServiceContext extends CallContext {
  readonly hasSession: false;
}

/**
 * The context of a method with a session (`session: true`): its core, plus the parts
 * `cart`, `wishlist` and `provider`. Mutations are persisted before the returned promise settles.
 */
export interface RpcContext extends CallContext {
  readonly hasSession: true;
  /** Raw session ID; null once destroyed in this call. */
  readonly sessionId: string | null;
  /** SHA-256 of the ID: safe to log and to store. */
  readonly sessionHandle: string | null;
  readonly isNew: boolean;
  readonly user: SessionUser | null;
  readonly customData: SessionCustomData;

  updateUser(user: SessionUser): Promise<void>;
  /** Replaces the custom data; `{}` on a guest removes the stored session. */
  updateCustomData(data: SessionCustomData): Promise<void>;
  /**
   * Sets the user and rotates to a user-bound ID `<userId>:<uuid>`. A guest's cart and
   * wishlist merge into the customer's; the result says how.
   */
  login(user: SessionUser): Promise<LoginMergeReport>;
  /**
   * Logout: deletes the session (and logs out at the provider); the response clears the
   * cookie, or sets a new guest cookie when the provider handed a guest cart back.
   */
  destroySession(): Promise<void>;
  /** Force-logout of a user in this shop; `sessionsToKeep` takes raw IDs or handles. Returns how many were destroyed. */
  destroySessionsForUserId(userId: string, sessionsToKeep?: string[]): Promise<number>;
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

  /**
   * The cart: the guest session's, or the logged-in customer's (the same on every device).
   * CART_AT_PROVIDER on shops whose cart lives at the provider.
   */
  readonly cart: CartAccess;
  readonly wishlist: WishlistAccess;
  /** The shop's commerce provider, for this session. */
  readonly provider: ProviderPart;
}

/** `ctx.provider`: what the session holds at the shop's commerce provider. */
export interface ProviderPart {
  /**
   * Logs in through the shop's commerce provider; its tokens are kept in the session, sealed.
   * Throttled per account and per `clientKey` (e.g. the shopper's IP address): TOO_MANY_ATTEMPTS.
   */
  login(credentials: ProviderCredentials, options?: { clientKey?: string }): Promise<LoginMergeReport>;
  /** BigCommerce SSO: logs in with a Customer Login JWT. */
  loginWithCustomerLoginJwt(jwt: string): Promise<LoginMergeReport>;
  /**
   * A valid commerce-provider token, refreshed when it expires within 5 minutes: the
   * customer's, or for a commercetools guest an anonymous-session token made on first use.
   * A refresh the provider refuses logs a customer's session out (NOT_LOGGED_IN).
   */
  token(): Promise<ProviderAccessToken>;
  /** The shopper's cart and last order at the provider (`cart.owner: provider`). */
  cart(): ProviderCartResult;
  /** Records the cart the storefront created (or the order it became) at the provider. */
  setCart(update: ProviderCartUpdate): Promise<ProviderCartResult>;
  /** A single-use link logging the session's (BigCommerce) user in on the hosted storefront. */
  customerLoginUrl(redirectTo?: string): string;
  /** Single-use hosted-checkout URLs for the customer's provider cart (BigCommerce). */
  checkoutRedirectUrls(): Promise<CheckoutRedirectUrls>;
}

/** The context a handler of `C` receives: RpcContext with a session, ServiceContext without. */
export type ContextOf<C extends AnyRpcContract> = C['session'] extends false ? ServiceContext : RpcContext;
