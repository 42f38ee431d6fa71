import type { Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/service-config.js';
import { LOGIN_THROTTLE_REPOSITORY, type LoginThrottleRepository } from '../store/login-throttle-repository.js';
import { MemoryLoginThrottleRepository } from '../store/memory/memory-login-throttle.repository.js';
import { RedisLoginThrottleRepository } from '../store/redis/redis-login-throttle.repository.js';
import { STORE, type Store } from '../store/store.providers.js';
import { LoginThrottle } from './login-throttle.js';
import { SecurityEvents } from './security-events.js';
import { SessionSecurity } from './session-security.js';

/**
 * Re-authentication and login throttling. The throttle's store follows the session store:
 * on Redis (one node or a cluster) it shares the store's connection, else it is in memory.
 */
export const securityProviders: Provider[] = [
  {
    provide: LOGIN_THROTTLE_REPOSITORY,
    inject: [SERVICE_CONFIG, STORE],
    useFactory: (config: ServiceConfig, store: Store): LoginThrottleRepository =>
      store.calls ? new RedisLoginThrottleRepository(store.calls) : new MemoryLoginThrottleRepository(config.wallClock),
  },
  SecurityEvents,
  LoginThrottle,
  SessionSecurity,
];
