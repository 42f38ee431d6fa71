import { checkConfigSchema } from './check-config-schema.js';
import { DEFAULT_EVENT_SETTINGS } from '../events/session-event-settings.js';
import { recordingEnv, unreadVariableWarnings } from './env-reads.js';
import {
  DEFAULTS,
  DEV_AUTH_SECRET,
  DEV_COOKIE_SECRET,
  DEV_SESSION_CONFIG,
  DEV_TOKEN_KEY,
  MIN_PRODUCTION_SECRET_LENGTH,
} from './dev-defaults.js';
import type { ProviderSettings } from './provider-config.schema.js';
import { defaultProviderRegistry } from '../providers/built-in-providers.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { readConfigFile } from './read-config-file.js';
import { CLUSTER_NODE, SessionConfigSchema, SessionSettingsSchema, ShopSchema } from './session-config.schema.js';
import type { ServiceConfig } from './service-config.js';
import { buildShopSettings, toList, type ShopSettingsInput } from './shop-settings.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const SHOP_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The secrets in config/session.example.json all start so. */
const PLACEHOLDER_SECRET = /^replace-me/i;

export interface LoadConfigOptions {
  /** Provider types a shop's `provider` block may name; defaultProviderRegistry() when absent. */
  providers?: ProviderRegistry;
}

/**
 * Reads the environment (and SESSION_CONFIG's file) and validates everything in one pass: it
 * fails with every problem found (schema, unknown keys, secrets, production refusals), each
 * naming the field or variable, so fixing one never reveals the next.
 */
export function loadServiceConfig(given: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): ServiceConfig {
  const providerRegistry = options.providers ?? defaultProviderRegistry();
  const { env, read } = recordingEnv(given);
  const production = env.NODE_ENV === 'production';
  const problems: string[] = [];
  const warnings: string[] = [];

  const file = readConfigFile(env.SESSION_CONFIG);
  if (file.kind === 'unreadable') problems.push(file.problem);
  if (file.kind === 'unset') {
    if (production) problems.push('SESSION_CONFIG is required when NODE_ENV=production');
    else
      warnings.push(
        'SESSION_CONFIG is unset: using the built-in DEVELOPMENT config (shops 1001 and 1002, public secrets). Never use it in production.',
      );
  }
  const plain = file.kind === 'read' ? file.value : file.kind === 'unset' ? DEV_SESSION_CONFIG : null;
  const checked = plain === null ? { value: null, problems: [] } : checkConfigSchema(SessionConfigSchema, plain);
  problems.push(...checked.problems);
  const cfg = checked.value;
  const top = cfg?.session ?? new SessionSettingsSchema();

  const envSecret = env.SESSION_COOKIE_SECRET?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const masterSecrets = envSecret?.length ? envSecret : isSecretList(top.secret) ? toList(top.secret) : [];
  if (production && envSecret?.length) checkProductionSecrets('SESSION_COOKIE_SECRET', envSecret, problems);
  else if (production && cfg && masterSecrets.length) checkProductionSecrets('session.secret', masterSecrets, problems);

  const shops = cfg ? checkShops(cfg, top, masterSecrets, production, providerRegistry, problems) : [];

  if (production && !env.SESSION_SERVICE_AUTH_SECRET) {
    problems.push(
      'SESSION_SERVICE_AUTH_SECRET is unset: it is required when NODE_ENV=production (a random secret of at least 32 characters, e.g. `openssl rand -hex 32`)',
    );
  } else if (production) {
    checkProductionSecrets('SESSION_SERVICE_AUTH_SECRET', [env.SESSION_SERVICE_AUTH_SECRET!], problems);
  } else if (!env.SESSION_SERVICE_AUTH_SECRET) {
    warnings.push('SESSION_SERVICE_AUTH_SECRET is unset: service tokens are verified with the public development secret.');
  }
  const authSecret = env.SESSION_SERVICE_AUTH_SECRET || DEV_AUTH_SECRET;

  const tokenKeys =
    env.SESSION_TOKEN_KEYS?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? [];
  const usesProviders = shops.some((s) => s.provider !== undefined);
  if (tokenKeys.length === 0 && usesProviders) {
    if (production) problems.push('SESSION_TOKEN_KEYS is required when a shop has a provider and NODE_ENV=production');
    else warnings.push('SESSION_TOKEN_KEYS is unset: provider tokens are encrypted with the public development key.');
  }
  if (production && tokenKeys.length) checkProductionSecrets('SESSION_TOKEN_KEYS', tokenKeys, problems);

  const redisUrl = env.REDIS_URL?.trim() || null;
  const redisClusterNodes = clusterNodes(env.REDIS_CLUSTER_NODES, cfg?.store?.cluster?.nodes, problems);
  if (redisUrl && redisClusterNodes) problems.push('REDIS_URL and REDIS_CLUSTER_NODES (or store.cluster) both name a store: set one');
  if (!redisUrl && !redisClusterNodes) {
    if (production)
      problems.push('REDIS_URL or REDIS_CLUSTER_NODES is required when NODE_ENV=production (the in-memory store is for development only)');
    else warnings.push('REDIS_URL is unset: sessions live in the embedded in-memory store and vanish on restart.');
  }

  const port = parsePort('PORT', env.PORT, DEFAULTS.port, problems);
  const httpPort = parsePort('HTTP_PORT', env.HTTP_PORT, DEFAULTS.httpPort, problems);
  const host = env.HOST?.trim() || DEFAULTS.host;
  if (problems.length || !cfg) throw new ConfigError(problems);
  // Last: every variable the configuration uses has been read by now.
  warnings.push(...unreadVariableWarnings(given, read));

  const topLevel = {
    session: top,
    ...(cfg.cart ? { cart: cfg.cart } : {}),
    ...(cfg.wishlist ? { wishlist: cfg.wishlist } : {}),
    ...(cfg.security ? { security: cfg.security } : {}),
  };
  return {
    production,
    host,
    port,
    httpPort,
    redisUrl: redisClusterNodes ? null : redisUrl,
    redisClusterNodes,
    keyPrefix: cfg.store?.keyPrefix ?? DEFAULTS.keyPrefix,
    commandTimeoutMs: cfg.store?.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
    primarySessions: cfg.store?.primarySessions ?? DEFAULTS.primarySessions,
    readsConnection: cfg.store?.readsConnection ?? DEFAULTS.readsConnection,
    authSecret,
    shops: new Map(shops.map((shop) => [shop.shopId, buildShopSettings(shop.shopId, topLevel, shop, masterSecrets)])),
    limits: {
      maxUserBytes: cfg.limits?.maxUserBytes ?? DEFAULTS.maxUserBytes,
      maxCustomDataBytes: cfg.limits?.maxCustomDataBytes ?? DEFAULTS.maxCustomDataBytes,
    },
    transport: {
      maxConnections: cfg.transport?.maxConnections ?? null,
      idleTimeoutMs: cfg.transport?.idleTimeoutMs ?? DEFAULTS.transport.idleTimeoutMs,
      frameTimeoutMs: cfg.transport?.frameTimeoutMs ?? DEFAULTS.transport.frameTimeoutMs,
      maxFrameChars: cfg.transport?.maxFrameChars ?? DEFAULTS.transport.maxFrameChars,
      maxBufferedBytes: cfg.transport?.maxBufferedBytes ?? DEFAULTS.transport.maxBufferedBytes,
      shutdownGraceMs: cfg.transport?.shutdownGraceMs ?? DEFAULTS.transport.shutdownGraceMs,
    },
    events: {
      enabled: cfg.events?.enabled ?? DEFAULT_EVENT_SETTINGS.enabled,
      maxLength: cfg.events?.maxLength ?? DEFAULT_EVENT_SETTINGS.maxLength,
      maxAgeMs: (cfg.events?.maxAgeHours ?? 0) * 3_600_000,
    },
    tokenKeys: tokenKeys.length ? tokenKeys : [DEV_TOKEN_KEY],
    warnings,
    wallClock: Date.now,
    providerRegistry,
  };
}

/** REDIS_CLUSTER_NODES (comma-separated) wins over the file's store.cluster.nodes; null when neither names a node. */
function clusterNodes(fromEnv: string | undefined, fromFile: string[] | undefined, problems: string[]): string[] | null {
  if (fromEnv === undefined || fromEnv.trim() === '') return fromFile?.length ? fromFile : null;
  const nodes = fromEnv
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = nodes.filter((n) => !CLUSTER_NODE.test(n));
  if (bad.length) problems.push(`REDIS_CLUSTER_NODES: "${bad.join('", "')}" must be host:port or redis://[user:password@]host:port`);
  return nodes.length ? nodes : null;
}

interface CheckedShop extends ShopSettingsInput {
  shopId: string;
}

/** Checks every shop (its schema, secret and provider), reporting all of their problems. */
function checkShops(
  cfg: SessionConfigSchema,
  top: SessionSettingsSchema,
  masterSecrets: string[],
  production: boolean,
  providers: ProviderRegistry,
  problems: string[],
): CheckedShop[] {
  const shops: CheckedShop[] = [];
  const shopEntries = cfg.shops !== null && typeof cfg.shops === 'object' ? Object.entries(cfg.shops) : [];
  if (shopEntries.length === 0 && cfg.shops !== undefined && typeof cfg.shops === 'object')
    problems.push('shops: configure at least one shop');
  for (const [shopId, shopPlain] of shopEntries) {
    if (!SHOP_ID.test(shopId)) {
      problems.push(`shops.${shopId}: shop IDs must be 1-64 characters of A-Z a-z 0-9 _ -`);
      continue;
    }
    const field = `shops.${shopId}`;
    const checked = checkConfigSchema(ShopSchema, shopPlain ?? {}, field);
    problems.push(...checked.problems);
    const shop = checked.value;
    if (!shop) continue;
    const own = shop.session ?? new SessionSettingsSchema();
    // A top-level secret that is set but invalid is reported by the schema already.
    if (own.secret === undefined && masterSecrets.length === 0 && top.secret === undefined) {
      problems.push(`${field}.session.secret: no secret (set session.secret, the shop's own secret, or SESSION_COOKIE_SECRET)`);
    }
    if (production && isSecretList(own.secret)) checkProductionSecrets(`${field}.session.secret`, toList(own.secret), problems);
    const provider = shop.provider === undefined ? undefined : checkProvider(providers, `${field}.provider`, shop.provider, problems);
    const cartOwner = shop.cart?.owner ?? cfg.cart?.owner;
    if (cartOwner === 'provider' && shop.provider === undefined)
      problems.push(`${field}.cart.owner: "provider" needs a provider block for the shop`);
    shops.push({
      shopId,
      session: own,
      ...(shop.cart ? { cart: shop.cart } : {}),
      ...(shop.wishlist ? { wishlist: shop.wishlist } : {}),
      ...(provider ? { provider } : {}),
      ...(shop.security ? { security: shop.security } : {}),
    });
  }
  return shops;
}

/** The provider block is checked against the schema its `type` names in the registry. */
function checkProvider(
  providers: ProviderRegistry,
  field: string,
  plain: Record<string, unknown>,
  problems: string[],
): ProviderSettings | undefined {
  const checked = providers.check(field, plain);
  problems.push(...checked.problems);
  return checked.settings ?? undefined;
}

/** A secret setting that passed the schema (an invalid one is reported there). */
function isSecretList(secret: unknown): secret is string | string[] {
  if (secret === undefined) return false;
  return (
    (typeof secret === 'string' && secret.length > 0) ||
    (Array.isArray(secret) && secret.length > 0 && secret.every((s) => typeof s === 'string' && s.length > 0))
  );
}

/** Production refuses the public development secrets, the example file's placeholders, and short secrets. */
function checkProductionSecrets(field: string, secrets: string[], problems: string[]): void {
  for (const s of secrets) {
    if (s === DEV_COOKIE_SECRET || s === DEV_AUTH_SECRET || s === DEV_TOKEN_KEY) {
      problems.push(`${field}: the public development secret is refused when NODE_ENV=production`);
    } else if (PLACEHOLDER_SECRET.test(s)) {
      problems.push(
        `${field}: "${s}" is a placeholder from config/session.example.json, refused when NODE_ENV=production (generate one: openssl rand -hex 32)`,
      );
    } else if (s.length < MIN_PRODUCTION_SECRET_LENGTH) {
      problems.push(
        `${field}: a secret is ${s.length} characters long; secrets must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters when NODE_ENV=production`,
      );
    }
  }
}

function parsePort(name: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) problems.push(`${name} must be a port number (0-65535), got "${value}"`);
  return n;
}
