import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BasketService,
  loadServiceConfig,
  MemoryBasketRepository,
  MemorySessionRepository,
  SessionManager,
  type ServiceConfig,
  type ShopSettings,
} from '#libs/session';

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(public now = Date.UTC(2030, 0, 1)) {}
  readonly read = () => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** idle 10 min, absolute 1 h, slide after 1 min; `limited` holds 2 sessions per user (evicting), `strict` 2 (refusing). */
export const UNIT_SESSION_CONFIG = {
  session: { secret: 'unit-test-cookie-secret-0123456789abcdef', maxAge: 600, absoluteTimeout: 3600, touchAfter: 60 },
  shops: {
    shop: {},
    limited: { session: { maxSessionsPerUser: 2 } },
    strict: { session: { maxSessionsPerUser: 2, maxSessionsPolicy: 'refuse' } },
  },
};

export interface MemoryCore {
  clock: ManualClock;
  config: ServiceConfig;
  sessions: MemorySessionRepository;
  basketRepo: MemoryBasketRepository;
  baskets: BasketService;
  manager: SessionManager;
  shop(id?: string): ShopSettings;
  close(): Promise<void>;
}

/** SessionManager and BasketService over the memory store, all on one manual clock: no Redis, no TCP, no Nest. */
export function memoryCore(sessionConfig: object = UNIT_SESSION_CONFIG): MemoryCore {
  const dir = mkdtempSync(join(tmpdir(), 'session-unit-'));
  writeFileSync(join(dir, 'session.json'), JSON.stringify(sessionConfig));
  const clock = new ManualClock();
  const config = loadServiceConfig({ SESSION_CONFIG: join(dir, 'session.json') });
  config.wallClock = clock.read;
  const basketRepo = new MemoryBasketRepository(clock.read);
  const sessions = new MemorySessionRepository(basketRepo, clock.read);
  const baskets = new BasketService(basketRepo);
  const manager = new SessionManager(sessions, config, baskets);
  return {
    clock,
    config,
    sessions,
    basketRepo,
    baskets,
    manager,
    shop: (id = 'shop') => config.shops.get(id)!,
    close: () => sessions.close(),
  };
}
