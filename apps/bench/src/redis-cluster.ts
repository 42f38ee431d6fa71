import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitUntil } from './processes.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

const run = promisify(execFile);

export interface RedisCluster {
  /** The masters, one redis-server each. */
  masters: RedisServer[];
  /** `host:port,...`, as REDIS_CLUSTER_NODES takes them. */
  seeds: string;
}

/**
 * A private Redis Cluster of `masters` masters without replicas: redis-server processes in
 * cluster mode on free loopback ports (the bus port chosen free too, with `cluster-port`),
 * joined with `redis-cli --cluster create`. The processes are bench children (killed
 * whatever happens to the bench, see processes.ts); their temp dir goes when the bench exits.
 */
export async function startRedisCluster(masters: number): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const nodes = await Promise.all(
    Array.from({ length: masters }, async () => {
      const busPort = await freePort();
      return startRedisServer([
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(busPort),
        '--cluster-config-file',
        `nodes-${busPort}.conf`,
        '--dir',
        dir,
      ]);
    }),
  );
  const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
  await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
  for (const node of nodes) {
    await waitUntil(node.child, 'cluster_state:ok', () => clusterOk(node, masters));
  }
  return { masters: nodes, seeds: addresses.join(',') };
}

/** The node sees the cluster as ok and knows every master. */
async function clusterOk(node: RedisServer, masters: number): Promise<boolean> {
  const { stdout: info } = await run('redis-cli', ['-p', String(node.port), 'CLUSTER', 'INFO'], { timeout: 5_000 });
  return info.includes('cluster_state:ok') && new RegExp(`cluster_known_nodes:${masters}\\b`).test(info);
}
