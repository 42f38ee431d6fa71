import { Logger, type Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/service-config.js';
import { AUDIT_REPOSITORY, type AuditRepository } from './audit-repository.js';
import { BASKET_REPOSITORY, type BasketRepository } from './basket-repository.js';
import { MemoryAuditRepository } from './memory/memory-audit.repository.js';
import { RedisAuditRepository } from './redis/redis-audit.repository.js';
import { MemoryBasketRepository } from './memory/memory-basket.repository.js';
import { MemorySessionRepository } from './memory/memory-session.repository.js';
import { createRedisCache, type StoreHealth } from './redis/redis-cache.provider.js';
import { RedisBasketRepository } from './redis/redis-basket.repository.js';
import { RedisSessionRepository } from './redis/redis-session.repository.js';
import { StoreCalls } from './redis/store-calls.js';
import { SESSION_REPOSITORY, type SessionRepository } from './session-repository.js';

const ERROR_LOG_INTERVAL_MS = 30_000;

/** The store: every repository over one backend (and, for Redis, one connection). */
export interface Store {
  sessions: SessionRepository;
  baskets: BasketRepository;
  audit: AuditRepository;
  /** The Redis connection, for other repositories on the same store (absent on the memory store). */
  calls?: StoreCalls;
  /** What /health reports; `ok` false when the store cannot serve. */
  health(): Promise<StoreHealth>;
}

export const STORE = Symbol('STORE');

/** Picks the backend: a Redis Cluster (REDIS_CLUSTER_NODES), one Redis node (REDIS_URL), or the embedded memory store. */
export const storeProviders: Provider[] = [
  {
    provide: STORE,
    inject: [SERVICE_CONFIG],
    useFactory: async (config: ServiceConfig): Promise<Store> => {
      const logger = new Logger('SessionStore');
      if (config.redisUrl === null && config.redisClusterNodes === null) {
        logger.warn('using the embedded in-memory session store (development only)');
        const baskets = new MemoryBasketRepository();
        const sessions = new MemorySessionRepository(baskets);
        return { sessions, baskets, audit: new MemoryAuditRepository(), health: async () => ({ ok: true, store: 'memory' }) };
      }
      let lastLogged = 0;
      const redis = await createRedisCache({
        ...(config.redisClusterNodes ? { clusterNodes: config.redisClusterNodes } : { url: config.redisUrl! }),
        connectTimeoutMs: config.commandTimeoutMs,
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
      const calls = new StoreCalls(redis, config.keyPrefix, config.commandTimeoutMs);
      return {
        sessions: new RedisSessionRepository(calls, config.wallClock),
        baskets: new RedisBasketRepository(calls),
        audit: new RedisAuditRepository(calls),
        calls,
        health: () => calls.health(),
      };
    },
  },
  { provide: SESSION_REPOSITORY, inject: [STORE], useFactory: (store: Store) => store.sessions },
  { provide: BASKET_REPOSITORY, inject: [STORE], useFactory: (store: Store) => store.baskets },
  { provide: AUDIT_REPOSITORY, inject: [STORE], useFactory: (store: Store) => store.audit },
];
