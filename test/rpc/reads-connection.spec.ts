import { Patterns } from '#libs/contracts';
import { lastCommand, readsConnectionLines } from '../support/reads-connections.js';
import { serviceWithRedis, type ServiceWithRedis } from '../support/service-with-redis.js';
import { TEST_SESSION_CONFIG } from '../support/session-service.harness.js';

/** The service's connections to a single Redis node, as CLIENT LIST shows them after a resolve. */
async function readsConnectionsAfterResolves(env: ServiceWithRedis): Promise<string[]> {
  const cookie = (await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-reads' } } })).session!.cookie!.value;
  for (let i = 0; i < 20; i++) {
    expect((await env.svc.send(Patterns.sessionResolve, { session: cookie })).session!.userId).toBe('u-reads');
    await new Promise((r) => setTimeout(r, 10));
  }
  return readsConnectionLines(await env.inspect.sendCommand<string>(['CLIENT', 'LIST']));
}

describe('the reads connection (store.readsConnection)', () => {
  describe('by default', () => {
    const env = serviceWithRedis({ inspect: true });
    it('resolves read on a connection of their own', async () => {
      const reads = await readsConnectionsAfterResolves(env);
      expect(reads).toHaveLength(1);
      expect(lastCommand(reads[0])).toBe('pexpiretime');
    });
  });

  describe('switched off', () => {
    const env = serviceWithRedis({
      inspect: true,
      setup: () => ({ sessionConfig: { ...TEST_SESSION_CONFIG, store: { readsConnection: false } } }),
    });
    it('opens none: every command goes through node-redis', async () => {
      expect(await readsConnectionsAfterResolves(env)).toEqual([]);
    });
  });
});
