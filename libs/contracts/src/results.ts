import type { SessionCustomData, SessionUser } from './session-user.js';

export interface ResolveResult {
  user: SessionUser | null;
  customData: SessionCustomData;
}

export interface LoginResult {
  user: SessionUser;
  /** What the login did with the guest's cart; absent when the guest had none. */
  cart?: CartMergeSummary;
  wishlist?: WishlistMergeSummary;
  /** Provider logins on a shop whose cart lives at the provider (`cart.owner: provider`). */
  providerCart?: ProviderCartLogin;
}

/**
 * The provider cart after a provider login: `restored` (no guest cart; the customer's saved
 * cart came back), `adopted` (the guest cart became the customer's), `combined` (the guest
 * cart was merged into another customer cart), `none` (no cart).
 */
export interface ProviderCartLogin {
  cartId: string | null;
  outcome: 'none' | 'restored' | 'adopted' | 'combined';
}

/** The shopper's cart at the commerce provider, as the session keeps it (`cart.owner: provider`). */
export interface ProviderCartResult {
  cartId: string | null;
  lastOrderId: string | null;
}

export interface MergedLineRef {
  productId: string;
  variantId?: string;
}

export interface CartMergeSummary {
  strategy: 'sum' | 'max' | 'replace' | 'keep';
  /** Guest lines that changed a customer line or were added. */
  merged: number;
  added: number;
  /** Guest lines whose quantity was clipped at the per-line cap. */
  capped: number;
  /** Guest lines left out because the cart was full. */
  dropped: MergedLineRef[];
  /** Lines the strategy threw away: the guest's under keep, the customer's under replace. */
  discarded: number;
  /** True when this guest session had been merged already (a retried or concurrent login): nothing was merged again. */
  alreadyMerged: boolean;
}

export interface WishlistMergeSummary {
  merged: number;
  added: number;
  dropped: MergedLineRef[];
  alreadyMerged: boolean;
}

export interface DestroyResult {
  destroyed: number;
}

export interface SessionSummary {
  /** Session handle: base64url SHA-256 of the session ID. Raw IDs are never stored. */
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface SessionListResult {
  sessions: SessionSummary[];
}

/** Cart lines: references and quantities only; prices belong to the commerce backend. */
export interface CartLineView {
  productId: string;
  variantId: string;
  quantity: number;
  customData?: Record<string, unknown>;
  /** ISO time the line was first added. */
  addedAt: string;
}

export interface CartResult {
  lines: CartLineView[];
}

export interface WishlistItemView {
  productId: string;
  variantId?: string;
  addedAt: string;
}

export interface WishlistResult {
  items: WishlistItemView[];
}

export interface AdminSessionDetails {
  /** The session handle. */
  id: string;
  shopId: string;
  userId: string | null;
  createdAt: string;
  expiresAt: string;
  /** The session's absolute end, whatever its activity. */
  absoluteExpiresAt: string;
  hasCustomData: boolean;
}

export interface AdminGetSessionResult {
  session: AdminSessionDetails | null;
}

export interface AdminRevokeResult {
  destroyed: number;
  byShop: Record<string, number>;
}

/** One audit entry: who (the token's sub) did what, when, how many. Never raw session IDs. */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  shopId: string;
  userId: string | null;
  count: number;
}

export interface AuditTailResult {
  entries: AuditEntry[];
}

/**
 * Live stored sessions of one shop. A guest holding nothing is never stored, so it is not
 * counted; `liveSessions` = `loggedInSessions` + `guestsWithData`.
 */
export interface ShopSessionStats {
  shopId: string;
  liveSessions: number;
  loggedInSessions: number;
  guestsWithData: number;
}

/** `admin.stats`: every configured shop, counted in O(number of shops). */
export interface AdminStatsResult {
  /** ISO time the counts were taken. */
  at: string;
  shops: ShopSessionStats[];
}

/** Only for callers whose token has `session:tokens`. */
export interface ProviderTokenResult {
  accessToken: string;
  /** ISO time. */
  expiresAt: string;
  /** True for a commercetools guest's anonymous-session token; false for a customer's. */
  anonymous: boolean;
}

/** A single-use link that logs the session's user in on the hosted BigCommerce storefront (valid about 30 s). */
export interface CustomerLoginUrlResult {
  url: string;
}

/** Single-use hosted-checkout URLs for the logged-in customer's provider cart (valid about 30 s). */
export interface CheckoutRedirectUrlsResult {
  checkoutUrl: string;
  embeddedCheckoutUrl: string;
}
