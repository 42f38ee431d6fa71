import { createRedisCache, RedisBasketRepository, StoreCalls, type RedisCache } from '#libs/session';
import { RedisServer } from '../support/redis-server.js';
import { basketRepositoryContract } from './basket-repository.contract.js';

let redis: RedisServer;
let cache: RedisCache | undefined;
let calls: StoreCalls | undefined;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());

basketRepositoryContract(
  'redis',
  async () => {
    cache = await createRedisCache({ url: redis.url, connectTimeoutMs: 1000, onError: () => {} });
    for (let i = 0; i < 100 && !cache.client.isReady; i++) await new Promise((r) => setTimeout(r, 20));
    calls = new StoreCalls(cache, 1000);
    return new RedisBasketRepository(cache, 'test', calls);
  },
  async () => {
    calls?.stop();
    await cache?.close();
  },
);
