import type { CartLimits, CartMergeStrategy } from '#libs/cart';
import type { WishlistLimits } from '#libs/wishlist';
import type { CookieSigner } from '../cookie/cookie-signature.js';
import type { ProviderSettings } from './provider-config.schema.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import type { CookieSettings } from '../cookie/set-cookie.js';
import type { SecuritySettings } from './security-settings.js';
import type { SessionLimit } from '../store/session-repository.js';
import type { SessionEventSettings } from '../events/session-event-settings.js';

/** Everything one shop needs to issue and verify its sessions. */
export interface ShopSettings {
  shopId: string;
  cookie: CookieSettings;
  signer: CookieSigner;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /** See SessionSettingsSchema.touchAfter. */
  touchAfterMs: number;
  /** session.maxSessionsPerUser and session.maxSessionsPolicy. */
  sessionLimit: SessionLimit;
  cart: { limits: CartLimits; mergeStrategy: CartMergeStrategy; customerTtlMs: number; owner: 'session' | 'provider' };
  /** The shop's commerce provider, or null when the caller logs shoppers in itself. */
  provider: ProviderSettings | null;
  wishlist: { limits: WishlistLimits };
  /** Re-authentication and login throttling (security-settings.ts). */
  security: SecuritySettings;
}

export interface Limits {
  maxUserBytes: number;
  maxCustomDataBytes: number;
}

/** See TransportSchema. */
export interface TransportLimits {
  /** null: 4096, or fewer when the process's open-file limit is lower (decided at start). */
  maxConnections: number | null;
  idleTimeoutMs: number;
  frameTimeoutMs: number;
  maxFrameChars: number;
  maxBufferedBytes: number;
  shutdownGraceMs: number;
}

export interface ServiceConfig {
  production: boolean;
  host: string;
  port: number;
  httpPort: number;
  /** A single Redis node; null with no cluster either selects the embedded in-memory store. */
  redisUrl: string | null;
  /** Seed nodes of a Redis Cluster (`host:port` or redis:// URLs); null for a single node or memory. */
  redisClusterNodes: string[] | null;
  keyPrefix: string;
  commandTimeoutMs: number;
  /** Logins may store a user's session in the user's primary key (docs/operations.md, "The primary session"). */
  primarySessions: boolean;
  /** Resolves read on a connection of their own per Redis node (docs/operations.md, "Connections"). */
  readsConnection: boolean;
  authSecret: string;
  shops: ReadonlyMap<string, ShopSettings>;
  limits: Limits;
  transport: TransportLimits;
  /** The session event stream: on, and capped by length and age (see EventsSchema). */
  events: SessionEventSettings;
  /** Keys that encrypt provider tokens at rest (the last one encrypts). */
  tokenKeys: string[];
  /** Human-readable warnings to log once at start (dev config, memory store, ...). */
  warnings: string[];
  /**
   * This process's wall clock (Date.now): when a message arrived, when a session was made.
   * It may be off by seconds; the Redis store decides expiry and revocation on Redis's clock.
   */
  wallClock: () => number;
  /** The provider types the shops' `provider` blocks were checked with, and that build them (built-ins when absent). */
  providerRegistry?: ProviderRegistry;
}

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
