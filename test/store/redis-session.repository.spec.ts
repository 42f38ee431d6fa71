import { RedisSessionRepository } from '#libs/session';
import { RedisServer } from '../support/redis-server.js';
import { connectRedisStore } from '../support/redis-store-connection.js';
import { sessionRepositoryContract } from './session-repository.contract.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());

sessionRepositoryContract(
  'redis',
  async () => {
    const store = await connectRedisStore(redis.url);
    return new RedisSessionRepository(store.calls);
  },
  (repo) => repo.close(),
);
