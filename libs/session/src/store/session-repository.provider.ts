import { Logger, type Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/service-config.js';
import { MemorySessionRepository } from './memory/memory-session.repository.js';
import { createRedisCache } from './redis/redis-cache.provider.js';
import { RedisSessionRepository } from './redis/redis-session.repository.js';
import { SESSION_REPOSITORY, type SessionRepository } from './session-repository.js';

const ERROR_LOG_INTERVAL_MS = 30_000;

/** Picks the backend: Redis when REDIS_URL is set, the embedded memory store otherwise. */
export const sessionRepositoryProvider: Provider = {
  provide: SESSION_REPOSITORY,
  inject: [SERVICE_CONFIG],
  useFactory: async (config: ServiceConfig): Promise<SessionRepository> => {
    const logger = new Logger('SessionStore');
    if (config.redisUrl === null) {
      logger.warn('using the embedded in-memory session store (development only)');
      return new MemorySessionRepository();
    }
    let lastLogged = 0;
    const redis = await createRedisCache({
      url: config.redisUrl,
      connectTimeoutMs: config.commandTimeoutMs,
      // Redis errors repeat on every reconnect attempt; log them at most every 30 s.
      onError: (error) => {
        const now = Date.now();
        if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
        lastLogged = now;
        logger.error(`redis: ${error.message}`);
      },
    });
    redis.client.on('ready', () => {
      lastLogged = 0;
      logger.log('redis connection ready');
    });
    return new RedisSessionRepository(redis, config.keyPrefix, config.commandTimeoutMs);
  },
};
