import { Logger, type Provider } from '@nestjs/common';
import type { RedisClientType, RedisClusterType } from 'redis';
import type { ServiceConfig } from '../config/service-config.js';
import { AUDIT_REPOSITORY, type AuditRepository } from './audit-repository.js';
import { BASKET_REPOSITORY, type BasketRepository } from './basket-repository.js';
import { createMemoryStore } from './memory/memory-store.js';
import { RedisAuditRepository } from './redis/redis-audit.repository.js';
import { createRedisClients, type StoreHealth } from './redis/redis-clients.js';
import { RedisBasketRepository } from './redis/redis-basket.repository.js';
import { RedisSessionRepository } from './redis/redis-session.repository.js';
import { RedisConnection } from './redis/redis-connection.js';
import { SESSION_REPOSITORY, type SessionRepository } from './session-repository.js';

const ERROR_LOG_INTERVAL_MS = 30_000;

/** The store: every repository over one backend (and, for Redis, one connection). */
export interface Store {
  sessions: SessionRepository;
  baskets: BasketRepository;
  audit: AuditRepository;
  /** The Redis connection, for other repositories on the same store (the login throttle's); absent on the memory store. */
  calls?: RedisConnection;
  /** What /health reports; `ok` false when the store cannot serve. */
  health(): Promise<StoreHealth>;
}

export const STORE = Symbol('STORE');

/** Where the store comes from. At most one of `store` and `redis`; neither: the config decides. */
export interface StoreSource {
  config: ServiceConfig;
  /** A store of the caller's making (any backend that passes the repository contract suites). The caller closes it. */
  store?: Store;
  /**
   * A node-redis client (`createClient`) or cluster client (`createCluster`) of the caller's
   * making, connected or not. The store's repositories run on it; the caller closes it.
   */
  redis?: RedisClientType | RedisClusterType;
}

/** A store, and whether the module closes it at shutdown (only one it made itself). */
export interface StoreHandle {
  store: Store;
  owned: boolean;
}

export const STORE_HANDLE = Symbol('STORE_HANDLE');

/**
 * Builds the store: the caller's `store` as it is; Redis repositories over the caller's
 * `redis` client; otherwise what the config names: a Redis Cluster (REDIS_CLUSTER_NODES), one
 * Redis node (REDIS_URL), or the embedded memory store.
 */
export async function createStore(source: StoreSource): Promise<StoreHandle> {
  const { config } = source;
  const logger = new Logger('SessionStore');
  if (source.store && source.redis) throw new Error('SessionModule: pass either a store or a redis client, not both');
  if (source.store) return { store: source.store, owned: false };
  if (!source.redis && config.redisUrl === null && config.redisClusterNodes === null) {
    logger.warn('using the embedded in-memory session store (development only)');
    return { store: createMemoryStore(config.wallClock, config.events), owned: true };
  }
  let lastLogged = 0;
  const redis = await createRedisClients({
    ...(source.redis
      ? { client: source.redis }
      : config.redisClusterNodes
        ? { clusterNodes: config.redisClusterNodes }
        : { url: config.redisUrl! }),
    connectTimeoutMs: config.commandTimeoutMs,
    readsConnection: config.readsConnection,
    // Redis errors repeat on every reconnect attempt; log them at most every 30 s.
    onError: (error) => {
      const now = Date.now();
      if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
      lastLogged = now;
      logger.error(`redis: ${error.message}`);
    },
  });
  redis.onReady(() => {
    lastLogged = 0;
    logger.log(`redis ${redis.mode === 'cluster' ? 'cluster' : 'connection'} ready`);
  });
  const calls = new RedisConnection(redis, config.keyPrefix, config.commandTimeoutMs);
  const store: Store = {
    sessions: new RedisSessionRepository(calls, config.wallClock, config.events, { primarySessions: config.primarySessions }),
    baskets: new RedisBasketRepository(calls),
    audit: new RedisAuditRepository(calls),
    calls,
    health: () => calls.health(),
  };
  // The repositories (timers, listeners) are the module's; a caller's client stays open (see createRedisClients).
  return { store, owned: true };
}

/** The repositories of the store behind STORE_HANDLE (which the module provides). */
export const storeProviders: Provider[] = [
  { provide: STORE, inject: [STORE_HANDLE], useFactory: (handle: StoreHandle) => handle.store },
  { provide: SESSION_REPOSITORY, inject: [STORE], useFactory: (store: Store) => store.sessions },
  { provide: BASKET_REPOSITORY, inject: [STORE], useFactory: (store: Store) => store.baskets },
  { provide: AUDIT_REPOSITORY, inject: [STORE], useFactory: (store: Store) => store.audit },
];
