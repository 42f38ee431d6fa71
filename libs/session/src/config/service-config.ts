import type { CartLimits, CartMergeStrategy } from '#libs/cart';
import type { WishlistLimits } from '#libs/wishlist';
import type { CookieSigner } from '../cookie/cookie-signature.js';
import type { CookieSettings } from '../cookie/set-cookie.js';

/** Everything one shop needs to issue and verify its sessions. */
export interface ShopSettings {
  shopId: string;
  cookie: CookieSettings;
  signer: CookieSigner;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /** See SessionSettingsSchema.touchAfter. */
  touchAfterMs: number;
  cart: { limits: CartLimits; mergeStrategy: CartMergeStrategy; customerTtlMs: number };
  wishlist: { limits: WishlistLimits };
}

export interface Limits {
  maxUserBytes: number;
  maxCustomDataBytes: number;
}

export interface ServiceConfig {
  production: boolean;
  host: string;
  port: number;
  httpPort: number;
  /** null selects the embedded in-memory store. */
  redisUrl: string | null;
  keyPrefix: string;
  commandTimeoutMs: number;
  authSecret: string;
  shops: ReadonlyMap<string, ShopSettings>;
  limits: Limits;
  /** Human-readable warnings to log once at start (dev config, memory store, ...). */
  warnings: string[];
}

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
