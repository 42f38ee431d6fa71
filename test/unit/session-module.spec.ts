import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createMemoryStore, SessionManager, SessionModule, STORE, type Store } from '#libs/session';
import { memoryCore, UNIT_SESSION_CONFIG } from './support/memory-core.js';

const CONFIG = Symbol('CONFIG');

describe('SessionModule.forRootAsync', () => {
  it('runs on the options a factory returns, with what another module provides injected', async () => {
    const { config, close } = memoryCore(UNIT_SESSION_CONFIG);
    await close();
    const given: Store = createMemoryStore(config.wallClock);
    const closeStore = given.sessions.close.bind(given.sessions);
    let closeCalls = 0;
    given.sessions.close = async () => void closeCalls++;
    @Module({ providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] })
    class ConfigModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        SessionModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: (c: typeof config) => ({ config: c, store: given }),
        }),
      ],
    }).compile();
    expect(moduleRef.get(STORE)).toBe(given);

    const manager = moduleRef.get(SessionManager);
    const state = await manager.resolve(config.shops.get('shop')!, null);
    await manager.login(state, { id: 'u1' }, config.wallClock());
    expect(await given.sessions.listForUser('shop', 'u1', { now: config.wallClock(), idleTimeoutMs: 600_000 })).toHaveLength(1);

    await moduleRef.close();
    // The caller's store is the caller's to close.
    expect(closeCalls).toBe(0);
    await closeStore();
  });
});
