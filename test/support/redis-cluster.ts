import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sleep } from './redis-server.js';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  id: string;
  role: 'master' | 'replica';
  /** For a replica: the id of its master. */
  masterId: string | null;
  /** Slot ranges [from, to] a master serves. */
  slots: [number, number][];
  failed: boolean;
}

/**
 * A private Redis Cluster for tests: redis-server processes in cluster mode on free ports
 * (each with its own --dir and nodes file in a temp dir), joined with
 * `redis-cli --cluster create`, and killed (with the temp dir removed) by `stop()`.
 * `cluster-node-timeout` is 1 s, so a replica takes over a killed master in seconds;
 * `cluster-require-full-coverage no` lets the other masters serve while one shard is down.
 */
export class RedisTestCluster {
  private readonly processes = new Map<number, ChildProcess>();

  private constructor(
    readonly ports: number[],
    private readonly dir: string,
  ) {}

  static async start(options: { masters?: number; replicasPerMaster?: number } = {}): Promise<RedisTestCluster> {
    const masters = options.masters ?? 3;
    const replicas = options.replicasPerMaster ?? 0;
    const ports = await freeClusterPorts(masters * (1 + replicas));
    const cluster = new RedisTestCluster(ports, mkdtempSync(join(tmpdir(), 'redis-cluster-')));
    try {
      await Promise.all(ports.map((port) => cluster.startNode(port)));
      await run(
        'redis-cli',
        ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'],
        {
          timeout: 30_000,
        },
      );
      await cluster.waitUntil(async () => {
        for (const port of ports) {
          if (!(await cluster.command(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
          if ((await cluster.nodes(port)).length !== ports.length) return false; // every node knows every other
        }
        // Replicas have synced, so a failover has data to promote.
        for (const node of (await cluster.nodes()).filter((n) => n.role === 'replica')) {
          if (!(await cluster.command(node.port, 'INFO', 'replication')).includes('master_link_status:up')) return false;
        }
        return true;
      }, 'cluster_state:ok on every node');
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  /** `host:port,...` of the masters, as REDIS_CLUSTER_NODES takes them. */
  async seeds(): Promise<string> {
    return (await this.masters()).map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  /** Runs one command on one node through redis-cli and returns its raw output. */
  async command(port: number, ...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-p', String(port), ...args], { timeout: 10_000 });
    return stdout;
  }

  /** The cluster as a live node sees it (CLUSTER NODES). */
  async nodes(askPort?: number): Promise<ClusterNode[]> {
    const port = askPort ?? [...this.processes.keys()][0];
    if (port === undefined) throw new Error('no live node to ask');
    const text = await this.command(port, 'CLUSTER', 'NODES');
    return text
      .trim()
      .split('\n')
      .map((line) => {
        const [id, address, flags, master, , , , , ...slots] = line.trim().split(' ');
        return {
          id: id!,
          port: Number(address!.split('@')[0]!.split(':')[1]),
          role: flags!.includes('master') ? ('master' as const) : ('replica' as const),
          masterId: master === '-' ? null : master!,
          failed: /(^|,)fail(,|$)/.test(flags!),
          slots: slots
            .filter((s) => !s.startsWith('['))
            .map((s) => {
              const [from, to] = s.split('-').map(Number);
              return [from!, to ?? from!] as [number, number];
            }),
        };
      });
  }

  /** Masters that serve slots and are not failed. */
  async masters(askPort?: number): Promise<ClusterNode[]> {
    return (await this.nodes(askPort)).filter((n) => n.role === 'master' && !n.failed && n.slots.length > 0);
  }

  async masterOfSlot(slot: number, askPort?: number): Promise<ClusterNode> {
    const master = (await this.masters(askPort)).find((n) => n.slots.some(([from, to]) => slot >= from && slot <= to));
    if (!master) throw new Error(`no master serves slot ${slot}`);
    return master;
  }

  /** Empties every master, as a fresh redis-server would be. */
  async flushAll(): Promise<void> {
    await Promise.all((await this.masters()).map((m) => this.command(m.port, 'FLUSHALL')));
  }

  /** SIGKILLs one node (a master dies without a word). */
  async kill(port: number): Promise<void> {
    const child = this.processes.get(port);
    if (!child) return;
    this.processes.delete(port);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes one node (SIGSTOP): its connections stay open, nothing answers. stop() still kills it. */
  pause(port: number): void {
    this.processes.get(port)?.kill('SIGSTOP');
  }

  /** Lets a paused node run again (SIGCONT). */
  resume(port: number): void {
    this.processes.get(port)?.kill('SIGCONT');
  }

  /** Polls `done` every 100 ms until it holds; generous by default, for a loaded machine. */
  async waitUntil(done: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await done().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((port) => this.kill(port)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startNode(port: number): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '1000',
        '--cluster-require-full-coverage',
        'no',
        '--repl-diskless-sync-delay',
        '0',
        '--save',
        '',
        '--appendonly',
        'no',
        '--logfile',
        join(this.dir, `redis-${port}.log`),
      ],
      { stdio: 'ignore' },
    );
    this.processes.set(port, child);
    child.once('exit', () => {
      if (this.processes.get(port) === child) this.processes.delete(port);
    });
    await this.waitUntil(async () => (await this.command(port, 'PING')).trim() === 'PONG', `redis-server on port ${port}`, 10_000);
  }
}

/** Ports below 55535 whose cluster bus port (port + 10000) is free too. */
async function freeClusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 35_000);
    if (ports.includes(port) || ports.includes(port + 10_000) || ports.includes(port - 10_000)) continue;
    if ((await isFree(port)) && (await isFree(port + 10_000))) ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
