import { readFileSync } from 'node:fs';
import type { FieldError } from '#libs/contracts';
import { validatePlain } from '../validation/validate-plain.js';
import { DEFAULTS, DEV_AUTH_SECRET, DEV_COOKIE_SECRET, DEV_SESSION_CONFIG, DEV_TOKEN_KEY, MIN_PRODUCTION_SECRET_LENGTH } from './dev-defaults.js';
import { BigCommerceProviderSchema, CommercetoolsProviderSchema, type ProviderSettings } from './provider-config.schema.js';
import { CLUSTER_NODE, SessionConfigSchema, SessionSettingsSchema, ShopSchema } from './session-config.schema.js';
import type { ServiceConfig, ShopSettings } from './service-config.js';
import { buildShopSettings, toList } from './shop-settings.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const SHOP_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Reads the environment (and SESSION_CONFIG's file), validates everything, and fails naming each bad field. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const production = env.NODE_ENV === 'production';
  const problems: string[] = [];
  const warnings: string[] = [];

  const raw = readConfigFile(env.SESSION_CONFIG, problems);
  if (raw === undefined) {
    if (production) problems.push('SESSION_CONFIG is required when NODE_ENV=production');
    else warnings.push('SESSION_CONFIG is unset: using the built-in DEVELOPMENT config (shops 1001 and 1002, public secrets). Never use it in production.');
  }
  const plain = raw ?? DEV_SESSION_CONFIG;

  const parsed = validatePlain(SessionConfigSchema, plain);
  if (!parsed.ok) {
    problems.push(...describe(parsed.errors));
    throw new ConfigError(problems);
  }
  const cfg = parsed.value;
  const top = cfg.session ?? new SessionSettingsSchema();

  const envSecret = env.SESSION_COOKIE_SECRET?.split(',').map((s) => s.trim()).filter(Boolean);
  const masterSecrets = envSecret?.length ? envSecret : top.secret === undefined ? [] : toList(top.secret);

  const shops = new Map<string, ShopSettings>();
  const shopEntries = Object.entries(cfg.shops ?? {});
  if (shopEntries.length === 0) problems.push('shops must configure at least one shop');
  for (const [shopId, shopPlain] of shopEntries) {
    if (!SHOP_ID.test(shopId)) {
      problems.push(`shops.${shopId}: shop IDs must be 1-64 characters of A-Z a-z 0-9 _ -`);
      continue;
    }
    const shop = validatePlain(ShopSchema, shopPlain ?? {}, `shops.${shopId}`);
    if (!shop.ok) {
      problems.push(...describe(shop.errors));
      continue;
    }
    const own = shop.value.session ?? new SessionSettingsSchema();
    if (own.secret === undefined && masterSecrets.length === 0) {
      problems.push(`shops.${shopId}.session.secret: no secret (set session.secret, the shop's own secret, or SESSION_COOKIE_SECRET)`);
      continue;
    }
    if (production) checkProductionSecrets(`shops.${shopId}.session.secret`, own.secret === undefined ? masterSecrets : toList(own.secret), problems);
    const shopSettings = shop.value;
    const provider = shopSettings.provider === undefined ? undefined : validateProvider(`shops.${shopId}.provider`, shopSettings.provider, problems);
    if (shopSettings.provider !== undefined && provider === undefined) continue;
    const cartOwner = shopSettings.cart?.owner ?? cfg.cart?.owner;
    if (cartOwner === 'provider' && !provider) {
      problems.push(`shops.${shopId}.cart.owner: "provider" needs a provider block for the shop`);
      continue;
    }
    shops.set(
      shopId,
      buildShopSettings(
        shopId,
        { session: top, ...(cfg.cart ? { cart: cfg.cart } : {}), ...(cfg.wishlist ? { wishlist: cfg.wishlist } : {}) },
        {
          session: own,
          ...(shopSettings.cart ? { cart: shopSettings.cart } : {}),
          ...(shopSettings.wishlist ? { wishlist: shopSettings.wishlist } : {}),
          ...(provider ? { provider } : {}),
        },
        masterSecrets,
      ),
    );
  }

  const authSecret = env.SESSION_SERVICE_AUTH_SECRET ?? (production ? '' : DEV_AUTH_SECRET);
  if (!env.SESSION_SERVICE_AUTH_SECRET && !production) {
    warnings.push('SESSION_SERVICE_AUTH_SECRET is unset: service tokens are verified with the public development secret.');
  }
  if (production) checkProductionSecrets('SESSION_SERVICE_AUTH_SECRET', [authSecret], problems);

  const tokenKeys = env.SESSION_TOKEN_KEYS?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
  const usesProviders = [...shops.values()].some((s) => s.provider !== null);
  if (tokenKeys.length === 0 && usesProviders) {
    if (production) problems.push('SESSION_TOKEN_KEYS is required when a shop has a provider and NODE_ENV=production');
    else warnings.push('SESSION_TOKEN_KEYS is unset: provider tokens are encrypted with the public development key.');
  }
  if (production && tokenKeys.length) checkProductionSecrets('SESSION_TOKEN_KEYS', tokenKeys, problems);

  const redisUrl = env.REDIS_URL?.trim() || null;
  const redisClusterNodes = clusterNodes(env.REDIS_CLUSTER_NODES, cfg.store?.cluster?.nodes, problems);
  if (redisUrl && redisClusterNodes) problems.push('REDIS_URL and REDIS_CLUSTER_NODES (or store.cluster) both name a store: set one');
  if (!redisUrl && !redisClusterNodes) {
    if (production) problems.push('REDIS_URL or REDIS_CLUSTER_NODES is required when NODE_ENV=production (the in-memory store is for development only)');
    else warnings.push('REDIS_URL is unset: sessions live in the embedded in-memory store and vanish on restart.');
  }

  const port = parsePort('PORT', env.PORT, DEFAULTS.port, problems);
  const httpPort = parsePort('HTTP_PORT', env.HTTP_PORT, DEFAULTS.httpPort, problems);
  if (problems.length) throw new ConfigError(problems);

  return {
    production,
    host: env.HOST?.trim() || DEFAULTS.host,
    port,
    httpPort,
    redisUrl: redisClusterNodes ? null : redisUrl,
    redisClusterNodes,
    keyPrefix: cfg.store?.keyPrefix ?? DEFAULTS.keyPrefix,
    commandTimeoutMs: cfg.store?.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
    authSecret,
    shops,
    limits: {
      maxUserBytes: cfg.limits?.maxUserBytes ?? DEFAULTS.maxUserBytes,
      maxCustomDataBytes: cfg.limits?.maxCustomDataBytes ?? DEFAULTS.maxCustomDataBytes,
    },
    tokenKeys: tokenKeys.length ? tokenKeys : [DEV_TOKEN_KEY],
    warnings,
  };
}

/** REDIS_CLUSTER_NODES (comma-separated) wins over the file's store.cluster.nodes; null when neither names a node. */
function clusterNodes(fromEnv: string | undefined, fromFile: string[] | undefined, problems: string[]): string[] | null {
  if (fromEnv === undefined || fromEnv.trim() === '') return fromFile?.length ? fromFile : null;
  const nodes = fromEnv.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = nodes.filter((n) => !CLUSTER_NODE.test(n));
  if (bad.length) problems.push(`REDIS_CLUSTER_NODES: "${bad.join('", "')}" must be host:port or redis://[user:password@]host:port`);
  return nodes.length ? nodes : null;
}

/** The provider block is checked against the schema its `type` names. */
function validateProvider(field: string, plain: Record<string, unknown>, problems: string[]): ProviderSettings | undefined {
  const type = plain.type;
  const schema = type === 'commercetools' ? CommercetoolsProviderSchema : type === 'bigcommerce' ? BigCommerceProviderSchema : null;
  if (!schema) {
    problems.push(`${field}.type: type must be "commercetools" or "bigcommerce"`);
    return undefined;
  }
  const checked = validatePlain<ProviderSettings>(schema, plain, field);
  if (!checked.ok) {
    problems.push(...describe(checked.errors));
    return undefined;
  }
  return checked.value;
}

function readConfigFile(path: string | undefined, problems: string[]): unknown {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    problems.push(`SESSION_CONFIG (${path}): ${(e as Error).message}`);
    throw new ConfigError(problems);
  }
}

function checkProductionSecrets(field: string, secrets: string[], problems: string[]): void {
  for (const s of secrets) {
    if (s === DEV_COOKIE_SECRET || s === DEV_AUTH_SECRET || s === DEV_TOKEN_KEY) problems.push(`${field}: the public development secret is refused when NODE_ENV=production`);
    else if (s.length < MIN_PRODUCTION_SECRET_LENGTH) problems.push(`${field}: secrets must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters when NODE_ENV=production`);
  }
  if (secrets.length === 0) problems.push(`${field}: required when NODE_ENV=production`);
}

function parsePort(name: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) problems.push(`${name} must be a port number (0-65535), got "${value}"`);
  return n;
}

function describe(errors: FieldError[]): string[] {
  return errors.map((e) => `${e.field}: ${e.message}`);
}
