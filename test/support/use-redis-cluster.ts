import { useRedisCluster } from './test-store.js';

// Imported first by a spec file, before the specs it runs: they then share one private cluster.
useRedisCluster();
