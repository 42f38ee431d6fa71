import { types } from 'node:util';
import { caching, type Cache } from 'cache-manager';
import calculateSlot from 'cluster-key-slot';
import { redisClusterInsStore } from 'cache-manager-redis-yet';
import { createCluster, type RedisClientType, type RedisClusterType } from 'redis';
import type { RedisClients, RedisClientsOptions, StoreHealth } from './redis-clients.js';
import { openReadPipeline, type ReadPipeline } from './read-pipeline.js';
import { reconnectStrategy, withTimeout } from './redis-timing.js';

/** How often a suspect topology is checked again, until every master answers. */
const WATCH_INTERVAL_MS = 1_000;
/** A retired client is closed this long after its successor took over, so its calls in flight can finish. */
const RETIRE_AFTER_MS = 2_000;
/** A reply that says the slot is served elsewhere: node-redis follows it, a read connection does not. */
const REDIRECT = /^(MOVED|ASK) /;
/** A node's connection gives up after this many reconnect attempts (~0.75 s); the topology check then starts afresh. */
const NODE_RECONNECT_ATTEMPTS = 4;

type Cluster = RedisClusterType;
type MasterNode = Cluster['masters'][number];

/**
 * A Redis Cluster through node-redis's cluster client, which routes each command by its
 * first key and follows MOVED and ASK itself. What it does not do is notice a failover:
 * after a master dies it keeps routing that master's slots to it. So whenever a call fails
 * without a reply (or a node connection errors), this connection checks the topology: it
 * pings every master and compares CLUSTER SLOTS with its routing table; when a replica has
 * taken over (or a node's connection gave up), it builds a fresh cluster client from the
 * seed nodes and swaps it in, with no restart. The check repeats every second until every
 * master answers.
 *
 * A cluster client of the caller's making (`options.client`) cannot be swapped: it is used
 * as it is (node-redis still follows MOVED and ASK), health is reported the same way, and a
 * failover is only reported to `onError`; `close()` leaves it open.
 */
class ClusterConnection implements RedisClients {
  readonly mode = 'cluster' as const;
  cache!: Cache;
  /** Until the first connect succeeds: an unconnected placeholder (calls fail at once). */
  private cluster: Cluster;
  private connected = false;
  private closed = false;
  private readonly readyListeners: (() => void)[] = [];
  private watchTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private readonly retired = new Set<Cluster>();
  /** The caller's client, never swapped nor closed here; null when this connection builds its own. */
  private readonly external: Cluster | null;
  /** Reads connections per master address (read-pipeline.ts); none for a caller's client or TLS. */
  private readonly reads = new Map<string, ReadPipeline | null>();
  private readonly onExternalError = (e: Error) => {
    if (!this.closed) this.options.onError(e);
  };

  constructor(private readonly options: RedisClientsOptions & { nodes: string[] }) {
    this.external = options.client && isCluster(options.client) ? options.client : null;
    this.cluster = this.external ?? this.build();
  }

  async start(): Promise<this> {
    this.cache = await caching(redisClusterInsStore(this.cluster, { rootNodes: [] }));
    if (this.external) {
      this.external.on('error', this.onExternalError);
      if (this.external.isOpen) this.connected = true;
      else void this.connectExternal(this.external);
      return this;
    }
    // Like a single node: start without waiting, answer STORE_UNAVAILABLE until connected.
    void this.rebuild();
    return this;
  }

  private async connectExternal(cluster: Cluster): Promise<void> {
    try {
      await cluster.connect();
    } catch (e) {
      this.options.onError(e as Error);
      return;
    }
    this.connected = true;
    for (const listener of this.readyListeners) listener();
  }

  send<T>(firstKey: string, args: string[], readonly = false): Promise<T> {
    if (!this.connected) return Promise.reject(new Error('redis cluster: not connected yet'));
    return this.cluster.sendCommand<T>(firstKey, readonly, args);
  }

  /**
   * On the reads connection of the master `firstKey`'s slot is routed to, when it is ready;
   * through node-redis otherwise, and again through node-redis when the slot has moved (it
   * follows MOVED/ASK and learns the new owner, which the next call is routed to).
   */
  sendAll(firstKey: string, commands: string[][]): Promise<unknown[]> {
    const viaClient = () => Promise.all(commands.map((args) => this.send(firstKey, args)));
    const reads = this.readsOf(firstKey);
    if (!reads?.isReady()) return viaClient();
    return reads.batch(commands).catch((e: unknown) => {
      if (e instanceof Error && REDIRECT.test(e.message)) return viaClient();
      throw e;
    });
  }

  private readsOf(firstKey: string): ReadPipeline | null {
    if (this.external || !this.connected) return null;
    const address = this.nodeOf(firstKey);
    if (address === undefined) return null;
    let reads = this.reads.get(address);
    if (reads === undefined) {
      reads = this.openReads(address);
      this.reads.set(address, reads);
    }
    return reads;
  }

  /** A reads connection to `address` with the first seed's scheme and credentials (none for an address a URL cannot hold). */
  private openReads(address: string): ReadPipeline | null {
    const first = new URL(seedUrl(this.options.nodes[0]!));
    if (!URL.canParse(`${first.protocol}//${address}`)) return null;
    const url = new URL(`${first.protocol}//${address}`);
    url.username = first.username;
    url.password = first.password;
    return openReadPipeline(url, this.options);
  }

  /** Closes the reads connections of addresses that no longer serve slots (after a failover or a reshard). */
  private dropStaleReads(): void {
    const serving = new Set(masters(this.cluster).map((m) => m.address));
    for (const [address, reads] of this.reads) {
      if (serving.has(address)) continue;
      reads?.close();
      this.reads.delete(address);
    }
  }

  nodeOf(firstKey: string): string | undefined {
    return this.cluster.slots[calculateSlot(firstKey)]?.master.address;
  }

  async eachMaster(fn: (client: RedisClientType) => Promise<unknown>): Promise<void> {
    const cluster = this.cluster;
    await Promise.allSettled(masters(cluster).map((m) => withTimeout(this.nodeClient(cluster, m).then(fn), this.options.connectTimeoutMs)));
  }

  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  isReady(): boolean {
    return this.connected && this.cluster.isOpen;
  }

  reset(reason: string): void {
    if (this.closed) return;
    if (this.external) return this.options.onError(new Error(`redis cluster call failed: ${reason}`));
    if (!this.watchTimer) this.options.onError(new Error(`checking the redis cluster topology: ${reason}`));
    this.watch();
  }

  async health(timeoutMs: number): Promise<StoreHealth> {
    const cluster = this.cluster;
    const pings = await this.pingMasters(cluster, timeoutMs);
    const reachable = pings.find((p) => p.client)?.client;
    const unreachable = new Set(pings.filter((p) => !p.client).map((p) => p.node.address));
    let state = 'unknown';
    if (reachable) {
      const [info, nodes] = await Promise.all([
        withTimeout(reachable.sendCommand<string>(['CLUSTER', 'INFO']), timeoutMs).catch(() => ''),
        withTimeout(reachable.sendCommand<string>(['CLUSTER', 'NODES']), timeoutMs).catch(() => ''),
      ]);
      state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
      for (const address of failedNodes(nodes)) unreachable.add(address);
    }
    if (unreachable.size > 0 && !this.external) this.watch();
    return {
      ok: reachable !== undefined && state === 'ok',
      store: 'redis-cluster',
      cluster: { state, masters: masters(cluster).length, unreachable: [...unreachable].sort() },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.external) return void this.external.off('error', this.onExternalError);
    this.stopWatching();
    for (const reads of this.reads.values()) reads?.close();
    this.reads.clear();
    if (this.refreshing) await withTimeout(this.refreshing, this.options.connectTimeoutMs).catch(() => {});
    await Promise.all([...this.retired].map((c) => this.retire(c)));
    // QUIT waits for every node's reply: a frozen node would hold up the close forever.
    await withTimeout(this.cluster.quit(), this.options.connectTimeoutMs).catch(() => this.cluster.disconnect().catch(() => {}));
  }

  private async retire(cluster: Cluster): Promise<void> {
    if (this.retired.delete(cluster)) await cluster.disconnect().catch(() => {});
  }

  /** `startFrom`: addresses known to answer, asked first (a frozen seed would hold discovery up). */
  private build(startFrom: string[] = []): Cluster {
    const { nodes, connectTimeoutMs } = this.options;
    const urls = nodes.map(seedUrl);
    const first = new URL(urls[0]!);
    const seeds = urls.map((url) => ({ url }));
    const cluster = createCluster({
      // node-redis starts discovery at a random root node: only answering ones, when known.
      rootNodes: startFrom.length ? startFrom.map((address) => ({ url: `${first.protocol}//${address}` })) : seeds,
      // Connections to the masters open on first use, so one dead master does not hold up the others.
      minimizeConnections: true,
      defaults: {
        disableOfflineQueue: true,
        pingInterval: 5_000,
        ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
        ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
        socket: {
          connectTimeout: connectTimeoutMs,
          reconnectStrategy: (retries: number) =>
            retries >= NODE_RECONNECT_ATTEMPTS ? new Error('redis cluster node unreachable') : reconnectStrategy(retries),
          ...(first.protocol === 'rediss:' ? { tls: true as const } : {}),
        },
      },
    }) as Cluster;
    cluster.on('error', (e: Error) => {
      if (cluster !== this.cluster || this.closed) return;
      this.options.onError(e);
      this.watch();
    });
    return cluster;
  }

  private watch(): void {
    if (this.closed) return;
    if (!this.watchTimer) this.watchTimer = setInterval(() => void this.refresh(), WATCH_INTERVAL_MS).unref();
    void this.refresh();
  }

  private stopWatching(): void {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.check().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Compares what the cluster says with how this client routes; rebuilds the client when they differ. */
  private async check(): Promise<void> {
    if (this.closed) return;
    const cluster = this.cluster;
    if (!this.connected) return void (await this.rebuild());
    const timeoutMs = this.options.connectTimeoutMs;
    const pings = await this.pingMasters(cluster, timeoutMs);
    const probe = pings.find((p) => p.client)?.client;
    if (!probe) return void (await this.rebuild());
    const slots = await withTimeout(probe.clusterSlots(), timeoutMs).catch(() => null);
    if (!slots) return;
    const stale = slots.some((range) => cluster.slots[range.from]?.master.address !== `${range.master.ip}:${range.master.port}`);
    const gaveUp = masters(cluster).some((m) => m.client !== undefined && !types.isPromise(m.client) && !m.client.isOpen);
    if (stale || gaveUp) await this.rebuild(pings.filter((p) => p.client).map((p) => p.node.address));
    else if (pings.every((p) => p.client)) this.stopWatching();
  }

  /**
   * Connects a fresh cluster client from the seed nodes and swaps it in; the old one keeps
   * routing until then and is closed once its calls in flight are done.
   */
  private async rebuild(startFrom: string[] = []): Promise<void> {
    const next = this.build(startFrom);
    try {
      await withTimeout(next.connect(), 3 * this.options.connectTimeoutMs, 'redis cluster discovery');
    } catch (e) {
      this.options.onError(e as Error);
      void next.disconnect().catch(() => {});
      if (!this.connected) this.watch(); // keep trying until the cluster is there
      return;
    }
    if (this.closed) return void (await next.disconnect().catch(() => {}));
    const cache = await caching(redisClusterInsStore(next, { rootNodes: [] }));
    const previous = this.cluster;
    const first = !this.connected;
    this.cluster = next;
    this.cache = cache;
    this.connected = true;
    this.dropStaleReads();
    if (!first) {
      this.retired.add(previous);
      setTimeout(() => void this.retire(previous), RETIRE_AFTER_MS).unref();
      this.options.onError(
        new Error(
          `redis cluster topology reloaded: masters ${masters(next)
            .map((m) => m.address)
            .join(', ')}`,
        ),
      );
    }
    for (const listener of this.readyListeners) listener();
  }

  private nodeClient(cluster: Cluster, node: MasterNode): Promise<RedisClientType> {
    return Promise.resolve(cluster.nodeClient(node)) as Promise<RedisClientType>;
  }

  private pingMasters(cluster: Cluster, timeoutMs: number): Promise<{ node: MasterNode; client: RedisClientType | null }[]> {
    return Promise.all(
      masters(cluster).map(async (node) => {
        try {
          const client = await withTimeout(this.nodeClient(cluster, node), timeoutMs);
          await withTimeout(client.ping(), timeoutMs);
          return { node, client };
        } catch {
          return { node, client: null };
        }
      }),
    );
  }
}

function isCluster(client: RedisClientType | Cluster): client is Cluster {
  return 'slots' in client && 'masters' in client;
}

/** node-redis lists a master once per slot range it serves: each master once. */
function masters(cluster: Cluster): MasterNode[] {
  return [...new Map(cluster.masters.map((m) => [m.address, m])).values()];
}

/** Addresses CLUSTER NODES flags as failed (`fail`, or `fail?` while the failure is being agreed). */
function failedNodes(clusterNodes: string): string[] {
  const out: string[] = [];
  for (const line of clusterNodes.split('\n')) {
    const [, address, flags] = line.split(' ');
    if (address && flags && /(^|,)fail\??(,|$)/.test(flags)) out.push(address.split('@')[0]!);
  }
  return out;
}

export async function createRedisClusterClients(options: RedisClientsOptions & { nodes: string[] }): Promise<RedisClients> {
  return new ClusterConnection(options).start();
}

/** A seed node as a URL: `host:port` entries are plain `redis://`. */
function seedUrl(node: string): string {
  return node.includes('://') ? node : `redis://${node}`;
}
