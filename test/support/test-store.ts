import { RedisTestCluster } from './redis-cluster.js';

/**
 * Which Redis the service specs run on. By default each spec starts its own redis-server;
 * a file that calls `useRedisCluster()` before importing specs runs them all on one private
 * 3-master cluster instead (test/cluster/rpc-on-cluster.spec.ts).
 */
let cluster: RedisTestCluster | null = null;
let clusterMode = false;

export function useRedisCluster(): void {
  clusterMode = true;
  beforeAll(async () => {
    cluster = await RedisTestCluster.start({ masters: 3 });
  }, 60_000);
  afterAll(() => cluster?.stop());
}

/** The shared cluster when specs run on one, null otherwise. */
export function testCluster(): RedisTestCluster | null {
  if (clusterMode && !cluster) throw new Error('the test cluster is not started yet (useRedisCluster registers it in beforeAll)');
  return cluster;
}
