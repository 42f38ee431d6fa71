/**
 * The documented development configuration, used when SESSION_CONFIG is unset.
 * These secrets are public: NODE_ENV=production refuses them.
 */
export const DEV_COOKIE_SECRET = 'dev-only-cookie-secret-do-not-use-in-production';
export const DEV_AUTH_SECRET = 'dev-only-auth-secret-do-not-use-in-production';
export const DEV_TOKEN_KEY = 'dev-only-token-key-do-not-use-in-production';

export const DEV_SESSION_CONFIG = {
  session: { secret: DEV_COOKIE_SECRET },
  shops: { '1001': {}, '1002': {} },
};

export const DEFAULTS = {
  cookieName: '$session',
  maxAge: 86_400,
  absoluteTimeout: 2_592_000,
  sameSite: 'lax' as const,
  secure: true,
  path: '/',
  touchAfter: 60,
  maxSessionsPerUser: 50,
  maxSessionsPolicy: 'evict-oldest' as const,
  cartMergeStrategy: 'sum' as const,
  customerBasketTtlDays: 90,
  maxUserBytes: 8_192,
  maxCustomDataBytes: 16_384,
  keyPrefix: 'ss',
  commandTimeoutMs: 800,
  primarySessions: true,
  readsConnection: true,
  port: 4000,
  httpPort: 4001,
  host: '127.0.0.1',
  transport: {
    maxConnections: 4_096,
    idleTimeoutMs: 60_000,
    frameTimeoutMs: 10_000,
    maxFrameChars: 1_048_576,
    maxBufferedBytes: 4 * 1_048_576,
    shutdownGraceMs: 10_000,
  },
};

/** Secrets shorter than this are refused in production. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;
