import { createHmac } from 'node:crypto';
import { CookieSigner } from '../cookie/cookie-signature.js';
import { DEFAULTS } from './dev-defaults.js';
import { DEFAULT_CART_LIMITS } from '#libs/cart';
import { DEFAULT_WISHLIST_LIMITS } from '#libs/wishlist';
import type { ProviderSettings } from './provider-config.schema.js';
import type { CartSettingsSchema, SessionSettingsSchema, WishlistSettingsSchema } from './session-config.schema.js';
import type { ShopSettings } from './service-config.js';
import { buildSecuritySettings, type SecuritySchema } from './security-settings.js';

/**
 * Merges a shop's session settings key by key over the top-level ones.
 *
 * A secret set on the shop itself is used as is (express-session compatible, e.g. to
 * migrate existing cookies). A secret inherited from the top level is a master key from
 * which a per-shop key is derived, so shops sharing it still reject each other's cookies.
 */
export interface ShopSettingsInput {
  session: SessionSettingsSchema;
  cart?: CartSettingsSchema;
  wishlist?: WishlistSettingsSchema;
  provider?: ProviderSettings;
  security?: SecuritySchema;
}

export function buildShopSettings(
  shopId: string,
  topLevel: ShopSettingsInput,
  shop: ShopSettingsInput,
  masterSecrets: string[],
): ShopSettings {
  const top = topLevel.session;
  const own = shop.session;
  const cart = { ...stripUndefined(topLevel.cart ?? {}), ...stripUndefined(shop.cart ?? {}) };
  const wishlist = { ...stripUndefined(topLevel.wishlist ?? {}), ...stripUndefined(shop.wishlist ?? {}) };
  const merged = { ...stripUndefined(top), ...stripUndefined(own) };
  const ownSecrets = own.secret === undefined ? null : toList(own.secret);
  const secrets = ownSecrets ?? masterSecrets.map((s) => deriveShopSecret(s, shopId));
  const maxAge = merged.maxAge ?? DEFAULTS.maxAge;
  return {
    shopId,
    cookie: {
      name: `${merged.cookieName ?? DEFAULTS.cookieName}-${shopId}`,
      maxAgeSeconds: maxAge,
      secure: merged.secure ?? DEFAULTS.secure,
      sameSite: merged.sameSite ?? DEFAULTS.sameSite,
      path: merged.path ?? DEFAULTS.path,
      domain: merged.domain ?? null,
    },
    signer: new CookieSigner(secrets),
    idleTimeoutMs: maxAge * 1000,
    absoluteTimeoutMs: Math.max(merged.absoluteTimeout ?? DEFAULTS.absoluteTimeout, maxAge) * 1000,
    // Never wait longer than half the idle timeout before sliding it.
    touchAfterMs: Math.min(merged.touchAfter ?? DEFAULTS.touchAfter, Math.floor(maxAge / 2)) * 1000,
    sessionLimit: {
      max: merged.maxSessionsPerUser ?? DEFAULTS.maxSessionsPerUser,
      policy: merged.maxSessionsPolicy ?? DEFAULTS.maxSessionsPolicy,
    },
    cart: {
      limits: {
        ...DEFAULT_CART_LIMITS,
        ...(cart.maxQuantityPerLine === undefined ? {} : { maxQuantityPerLine: cart.maxQuantityPerLine }),
        ...(cart.maxLines === undefined ? {} : { maxLines: cart.maxLines }),
        ...(cart.maxCustomDataBytes === undefined ? {} : { maxCustomDataBytes: cart.maxCustomDataBytes }),
      },
      mergeStrategy: cart.mergeStrategy ?? DEFAULTS.cartMergeStrategy,
      customerTtlMs: (cart.customerTtlDays ?? DEFAULTS.customerBasketTtlDays) * 86_400_000,
      owner: cart.owner ?? 'session',
    },
    provider: shop.provider ?? null,
    security: buildSecuritySettings(topLevel.security, shop.security),
    wishlist: { limits: { ...DEFAULT_WISHLIST_LIMITS, ...(wishlist.maxItems === undefined ? {} : { maxItems: wishlist.maxItems }) } },
  };
}

export function deriveShopSecret(master: string, shopId: string): string {
  return createHmac('sha256', master).update(`session-cookie/shop/${shopId}`).digest('base64url');
}

export function toList(secret: string | string[]): string[] {
  return Array.isArray(secret) ? secret : [secret];
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
