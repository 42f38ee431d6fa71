import type { BigCommerceLineMergePolicy } from './cart-line-merge.js';

export interface BigCommerceEmulatorOptions {
  /** Expected in `Authorization: Bearer ...` on POST /graphql (C1.1). */
  storefrontToken?: string;
  storeHash?: string;
  channelId?: number;
  /** API account of the Customer Login JWT: `iss` and HMAC secret (A3). */
  clientId?: string;
  clientSecret?: string;
  /** CAT lifetime; [U] in A2, so configurable. */
  customerAccessTokenTtlSeconds?: number;
  /** Accepted age of a Customer Login JWT `iat`; 30 s per A3 ([S]/[U]). */
  jwtMaxAgeSeconds?: number;
  /** How far `iat` may lie in the future (clock skew). */
  jwtMaxFutureSkewSeconds?: number;
  /** Guest-cart line merge at login; [U] in A4. */
  lineMergePolicy?: BigCommerceLineMergePolicy;
  /** Store setting "persistent cart": on logout the cart stays with the customer (C1.5). */
  persistentCart?: boolean;
  /** What login does with a `guestCartEntityId` that is unknown or owned by someone else ([U]). */
  unknownGuestCart?: 'ignore' | 'error';
  /** Lifetime of a checkout redirect URL ("generated just-in-time (within 30s)", A4). */
  redirectUrlTtlSeconds?: number;
  /** Origin used in redirect URLs; defaults to the emulator's own URL. */
  storefrontBaseUrl?: string;
  /** Message for accounts that must reset their password (A1: contains `Reset password"`). */
  passwordResetMessage?: string;
  /** Clock in epoch ms; `advanceTime()` adds an offset on top of it. */
  now?: () => number;
}

export type ResolvedBigCommerceOptions = Required<Omit<BigCommerceEmulatorOptions, 'storefrontBaseUrl' | 'now'>> &
  Pick<BigCommerceEmulatorOptions, 'storefrontBaseUrl'>;

// Catalyst matches `Reset password"` against the JSON-serialised error, i.e. a message that
// ends in `Reset password`; this default also contains the literal `Reset password"`.
export const DEFAULT_PASSWORD_RESET_MESSAGE = 'A password reset is required. Use "Reset password" to choose a new password: Reset password';

export function resolveBigCommerceOptions(options: BigCommerceEmulatorOptions): ResolvedBigCommerceOptions {
  return {
    storefrontToken: options.storefrontToken ?? 'test-storefront-token',
    storeHash: options.storeHash ?? 'abc123',
    channelId: options.channelId ?? 1,
    clientId: options.clientId ?? 'test-client-id',
    clientSecret: options.clientSecret ?? 'test-client-secret',
    customerAccessTokenTtlSeconds: options.customerAccessTokenTtlSeconds ?? 86_400,
    jwtMaxAgeSeconds: options.jwtMaxAgeSeconds ?? 30,
    jwtMaxFutureSkewSeconds: options.jwtMaxFutureSkewSeconds ?? 5,
    lineMergePolicy: options.lineMergePolicy ?? 'sum',
    persistentCart: options.persistentCart ?? false,
    unknownGuestCart: options.unknownGuestCart ?? 'ignore',
    redirectUrlTtlSeconds: options.redirectUrlTtlSeconds ?? 30,
    storefrontBaseUrl: options.storefrontBaseUrl,
    passwordResetMessage: options.passwordResetMessage ?? DEFAULT_PASSWORD_RESET_MESSAGE,
  };
}
