import { createRedisCache, RedisSessionRepository, StoreCalls } from '#libs/session';
import { RedisServer } from '../support/redis-server.js';
import { sessionRepositoryContract } from './session-repository.contract.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());

sessionRepositoryContract(
  'redis',
  async () => {
    const cache = await createRedisCache({ url: redis.url, connectTimeoutMs: 1000, onError: () => {} });
    await waitReady(cache.client);
    return new RedisSessionRepository(cache, 'test', new StoreCalls(cache, 1000));
  },
  (repo) => repo.close(),
);

async function waitReady(client: { isReady: boolean }): Promise<void> {
  for (let i = 0; i < 100 && !client.isReady; i++) await new Promise((r) => setTimeout(r, 20));
}
