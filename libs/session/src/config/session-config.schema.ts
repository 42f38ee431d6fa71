import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { SecuritySchema } from './security-settings.js';

/** One cluster node: `host:port` or a redis:// / rediss:// URL. */
export const CLUSTER_NODE = /^(?:rediss?:\/\/(?:[^@\s]*@)?)?[A-Za-z0-9.\-[\]:]+:\d{1,5}\/?$/;

/** A secret is a string or a non-empty list of strings (rotation: the last one signs). */
function IsSecret(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isSecret',
      validator: {
        validate: (v: unknown) =>
          (typeof v === 'string' && v.length > 0) ||
          (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.length > 0)),
        defaultMessage: (args) => `${args?.property} must be a non-empty string or a non-empty list of strings`,
      },
    },
    options,
  );
}

/** Session settings; every field is optional so a shop can override key by key. */
export class SessionSettingsSchema {
  @IsOptional() @IsSecret() secret?: string | string[];
  @IsOptional()
  @IsString()
  @Matches(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/, { message: 'cookieName must be a cookie token (1-64 characters, no separators)' })
  cookieName?: string;
  /** Idle timeout and cookie Max-Age, in seconds. */
  @IsOptional() @IsInt() @Min(60) @Max(31_536_000) maxAge?: number;
  /** Absolute lifetime of a session, in seconds. */
  @IsOptional() @IsInt() @Min(60) @Max(31_536_000) absoluteTimeout?: number;
  @IsOptional() @IsIn(['lax', 'strict', 'none']) sameSite?: 'lax' | 'strict' | 'none';
  @IsOptional() @IsBoolean() secure?: boolean;
  @IsOptional() @IsString() @Matches(/^\.?[A-Za-z0-9.-]{1,253}$/, { message: 'domain must be a host name' }) domain?: string;
  @IsOptional() @IsString() @Matches(/^\/[^;\s]*$/, { message: 'path must start with / and contain no ; or spaces' }) path?: string;
  /**
   * Seconds: a call slides the idle timeout (and re-sends the cookie) only when that moves
   * the expiry by at least this much. 0 slides on every call.
   */
  @IsOptional() @IsInt() @Min(0) @Max(86_400) touchAfter?: number;
  /** Live sessions one user may hold in the shop (devices, browsers). */
  @IsOptional() @IsInt() @Min(1) @Max(1_000) maxSessionsPerUser?: number;
  /** A login beyond maxSessionsPerUser: end the user's least recently seen session, or fail with TOO_MANY_SESSIONS. */
  @IsOptional() @IsIn(['evict-oldest', 'refuse']) maxSessionsPolicy?: 'evict-oldest' | 'refuse';
}

export class CartSettingsSchema {
  @IsOptional() @IsInt() @Min(1) @Max(10_000) maxQuantityPerLine?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1_000) maxLines?: number;
  @IsOptional() @IsInt() @Min(2) @Max(65_536) maxCustomDataBytes?: number;
  /** How a guest cart joins the customer's at login (docs/cart-merge-strategies.md). */
  @IsOptional() @IsIn(['sum', 'max', 'replace', 'keep']) mergeStrategy?: 'sum' | 'max' | 'replace' | 'keep';
  /** Days a customer's cart and wishlist are kept after their last change. */
  @IsOptional() @IsInt() @Min(1) @Max(3_650) customerTtlDays?: number;
  /** `provider`: the commerce provider's cart is the cart (needs a `provider` block). */
  @IsOptional() @IsIn(['session', 'provider']) owner?: 'session' | 'provider';
}

export class WishlistSettingsSchema {
  @IsOptional() @IsInt() @Min(1) @Max(10_000) maxItems?: number;
}

export class ShopSchema {
  @IsOptional() @ValidateNested() @Type(() => SessionSettingsSchema) session?: SessionSettingsSchema;
  @IsOptional() @ValidateNested() @Type(() => CartSettingsSchema) cart?: CartSettingsSchema;
  @IsOptional() @ValidateNested() @Type(() => WishlistSettingsSchema) wishlist?: WishlistSettingsSchema;
  @IsOptional() @ValidateNested() @Type(() => SecuritySchema) security?: SecuritySchema;
  /** Validated on its own, by `type` (provider-config.schema.ts). */
  @IsOptional() @IsObject() provider?: Record<string, unknown>;
}

export class LimitsSchema {
  @IsOptional() @IsInt() @Min(256) @Max(1_048_576) maxUserBytes?: number;
  @IsOptional() @IsInt() @Min(256) @Max(1_048_576) maxCustomDataBytes?: number;
}

export class ClusterSchema {
  /** Some of the cluster's nodes (`host:port` or `redis://[user:password@]host:port`); the rest are discovered. */
  @IsString({ each: true })
  @Matches(CLUSTER_NODE, { each: true, message: 'nodes must be host:port or redis://[user:password@]host:port entries' })
  nodes!: string[];
}

export class StoreSchema {
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'keyPrefix must be 1-32 characters of A-Z a-z 0-9 _ -' })
  keyPrefix?: string;
  /** A store call that takes longer fails with STORE_UNAVAILABLE. */
  @IsOptional() @IsInt() @Min(50) @Max(10_000) commandTimeoutMs?: number;
  /** New logins may take a user's primary key (a user's only session as one key); false while earlier releases still run. */
  @IsOptional() @IsBoolean() primarySessions?: boolean;
  /** Resolves read on a connection of their own per Redis node; false leaves every command to node-redis. */
  @IsOptional() @IsBoolean() readsConnection?: boolean;
  /** A Redis Cluster instead of REDIS_URL's single node (REDIS_CLUSTER_NODES overrides it). */
  @IsOptional() @ValidateNested() @Type(() => ClusterSchema) cluster?: ClusterSchema;
}

/** Limits of the TCP transport (docs/operations.md, "Transport limits"). */
export class TransportSchema {
  /** Open connections at most; further ones are refused. Default: 4096, or fewer when the open-file limit is lower. */
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) maxConnections?: number;
  /** A connection with no frame in progress and no call in flight for this long is closed. */
  @IsOptional() @IsInt() @Min(100) @Max(3_600_000) idleTimeoutMs?: number;
  /** A frame must be complete this long after its first byte, however the bytes trickle in. */
  @IsOptional() @IsInt() @Min(100) @Max(600_000) frameTimeoutMs?: number;
  /** Largest request frame, in characters (the length prefix may have as many digits as this number). */
  @IsOptional() @IsInt() @Min(1_024) @Max(16_777_216) maxFrameChars?: number;
  /** Bytes of partial frames held across all connections; above it the oldest partial frames' connections are closed. */
  @IsOptional() @IsInt() @Min(65_536) @Max(1_073_741_824) maxBufferedBytes?: number;
  /** On SIGTERM, how long calls in flight may take before the process stops anyway. */
  @IsOptional() @IsInt() @Min(0) @Max(600_000) shutdownGraceMs?: number;
}

/** The session event stream (docs/operations.md, "Session events"). */
export class EventsSchema {
  /** Write session events (default true). */
  @IsOptional() @IsBoolean() enabled?: boolean;
  /** Each shop's stream keeps about this many entries (XADD MAXLEN ~). */
  @IsOptional() @IsInt() @Min(1_000) @Max(100_000_000) maxLength?: number;
  /** Entries older than this many hours are trimmed too; 0 (default): no age cap. */
  @IsOptional() @IsInt() @Min(0) @Max(8_760) maxAgeHours?: number;
}

export class SessionConfigSchema {
  @IsOptional() @ValidateNested() @Type(() => SessionSettingsSchema) session?: SessionSettingsSchema;
  @IsOptional() @ValidateNested() @Type(() => CartSettingsSchema) cart?: CartSettingsSchema;
  @IsOptional() @ValidateNested() @Type(() => WishlistSettingsSchema) wishlist?: WishlistSettingsSchema;
  @IsOptional() @ValidateNested() @Type(() => SecuritySchema) security?: SecuritySchema;
  @IsObject() shops!: Record<string, ShopSchema>;
  @IsOptional() @ValidateNested() @Type(() => LimitsSchema) limits?: LimitsSchema;
  @IsOptional() @ValidateNested() @Type(() => StoreSchema) store?: StoreSchema;
  @IsOptional() @ValidateNested() @Type(() => TransportSchema) transport?: TransportSchema;
  @IsOptional() @ValidateNested() @Type(() => EventsSchema) events?: EventsSchema;
}
