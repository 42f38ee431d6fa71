import type { SessionEventSettings } from '../../events/session-event-settings.js';
import { MemorySessionEvents } from '../../events/memory-session-events.js';
import type { Store } from '../store.providers.js';
import { MemoryAuditRepository } from './memory-audit.repository.js';
import { MemoryBasketRepository } from './memory-basket.repository.js';
import { MemorySessionRepository } from './memory-session.repository.js';

/** The embedded store (development, tests): every repository in this process's memory, on `wallClock`. */
export function createMemoryStore(wallClock: () => number = Date.now, events?: SessionEventSettings): Store {
  const baskets = new MemoryBasketRepository(wallClock);
  const sessions = new MemorySessionRepository(baskets, wallClock, new MemorySessionEvents(events, wallClock));
  return { sessions, baskets, audit: new MemoryAuditRepository(), health: async () => ({ ok: true, store: 'memory' }) };
}
