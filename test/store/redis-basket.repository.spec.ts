import { RedisBasketRepository } from '#libs/session';
import { RedisServer } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';
import { basketRepositoryContract } from './basket-repository.contract.js';

let redis: RedisServer;
let store: Awaited<ReturnType<typeof connectRedisStore>> | undefined;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());

basketRepositoryContract(
  'redis',
  async () => {
    store = await connectRedisStore(redis.url);
    return new RedisBasketRepository(store.calls);
  },
  async () => store?.close(),
);
