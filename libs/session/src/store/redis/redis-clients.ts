import { caching, type Cache } from 'cache-manager';
import { redisInsStore } from 'cache-manager-redis-yet';
import { createClient, type RedisClientType, type RedisClusterType } from 'redis';
import { openReadPipeline, type ReadPipeline } from './read-pipeline.js';
import { createRedisClusterClients } from './redis-cluster-clients.js';
import { reconnectStrategy, withTimeout } from './redis-timing.js';

/**
 * The one adapter between cache-manager v5 + cache-manager-redis-yet and the rest of the
 * service: a single node (node-redis client, redisInsStore) or a Redis Cluster (node-redis
 * cluster client, redisClusterInsStore; see redis-cluster-clients.ts). `@nestjs/cache-manager`
 * requires cache-manager >= 6, so this small factory replaces it. The service owns the
 * node-redis clients, so it decides how failures behave:
 *  - no offline queue: while a node is down, its commands fail at once instead of piling up;
 *  - reconnect forever with a backoff capped at 1 s, so the service recovers by itself;
 *  - connection errors are reported to `onError`, never thrown at the process.
 * A client of the caller's making (`options.client`) is wrapped instead: its own settings
 * apply, it is connected if it is not yet, and `close()` leaves it open (its owner closes it).
 */
export interface RedisClients {
  readonly mode: 'single' | 'cluster';
  /** cache-manager over the same connection(s); on a cluster it is replaced when the topology is rebuilt. */
  readonly cache: Cache;
  /** Sends one command to the node that serves `firstKey` (on a cluster: its slot's master). */
  send<T = unknown>(firstKey: string, args: string[], readonly?: boolean): Promise<T>;
  /** Sends commands on keys of `firstKey`'s slot together; their replies in order (on a ReadPipeline when there is a ready one). */
  sendAll(firstKey: string, commands: string[][]): Promise<unknown[]>;
  /** Cluster only: the address of the master `firstKey`'s slot is routed to now. */
  nodeOf?(firstKey: string): string | undefined;
  /** Runs `fn` on every master's connection (one for a single node); failures are settled, not thrown. */
  eachMaster(fn: (client: RedisClientType) => Promise<unknown>): Promise<void>;
  /** Calls `listener` whenever the connection (or, on a cluster, the topology) is ready for use. */
  onReady(listener: () => void): void;
  isReady(): boolean;
  /**
   * Something looks wrong (a call failed without a reply, or stalled): a single node drops
   * its connection (failing pending commands at once) and reconnects; a cluster checks its
   * topology and follows a failover.
   */
  reset(reason: string): void;
  health(timeoutMs: number): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** What /health reports about the store. `ok` false means it cannot serve at all. */
export interface StoreHealth {
  ok: boolean;
  store: 'memory' | 'redis' | 'redis-cluster';
  cluster?: {
    /** cluster_state from CLUSTER INFO of a reachable node ('unknown' when none answers). */
    state: string;
    masters: number;
    /** Nodes that do not answer, or that the cluster itself marks as failed. */
    unreachable: string[];
  };
}

export interface RedisClientsOptions {
  /** A single node's URL, or the seed nodes of a cluster. */
  url?: string;
  clusterNodes?: string[];
  /** A node-redis client (createClient) or cluster client (createCluster) made by the caller: used instead of `url`/`clusterNodes`. */
  client?: RedisClientType | RedisClusterType;
  connectTimeoutMs: number;
  /** Reads on a ReadPipeline per node where the store makes the connections (default true). */
  readsConnection?: boolean;
  onError(error: Error): void;
}

/** A node-redis cluster client has a slot table; a single-node client has none. */
export function isRedisCluster(client: RedisClientType | RedisClusterType): client is RedisClusterType {
  return 'slots' in client && 'masters' in client;
}

export async function createRedisClients(options: RedisClientsOptions): Promise<RedisClients> {
  if (options.client) {
    return isRedisCluster(options.client)
      ? createRedisClusterClients({ ...options, nodes: [], client: options.client })
      : wrapSingleClient(options.client, options, null, false);
  }
  if (options.clusterNodes?.length) return createRedisClusterClients({ ...options, nodes: options.clusterNodes });
  if (!options.url) throw new Error('createRedisClients needs a url, cluster nodes or a client');
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    pingInterval: 5_000,
    socket: { connectTimeout: options.connectTimeoutMs, reconnectStrategy },
  }) as RedisClientType;
  // A second connection for reads (read-pipeline.ts).
  return wrapSingleClient(client, options, openReadPipeline(new URL(options.url), options), true);
}

/** `owned`: the store made the client, so it closes it (and `reads`); a caller's client is left open. */
async function wrapSingleClient(
  client: RedisClientType,
  options: RedisClientsOptions,
  reads: ReadPipeline | null,
  owned: boolean,
): Promise<RedisClients> {
  client.on('error', options.onError);
  // Start connecting without waiting: the service starts even while Redis is still down,
  // answers STORE_UNAVAILABLE meanwhile, and /health reports it.
  if (!client.isOpen) client.connect().catch(options.onError);
  const cache = await caching(redisInsStore(client));
  const readyListeners: (() => void)[] = [];
  let closed = false;
  return {
    mode: 'single',
    cache,
    // sendCommand skips node-redis's per-command wrapper: about 1 µs of CPU per call.
    send: <T>(_firstKey: string, args: string[]) => client.sendCommand<T>(args),
    sendAll: (_firstKey: string, commands: string[][]) =>
      reads?.isReady() ? reads.batch(commands) : Promise.all(commands.map((args) => client.sendCommand(args))),
    async eachMaster(fn) {
      await fn(client).catch(() => {});
    },
    onReady(listener) {
      readyListeners.push(listener);
      client.on('ready', listener);
    },
    isReady: () => client.isReady,
    reset(reason: string) {
      reads?.reset();
      if (closed || !client.isOpen) return;
      options.onError(new Error(`resetting the redis connection: ${reason}`));
      client
        .disconnect()
        .catch(() => {})
        .then(() => (closed ? undefined : client.connect()))
        .catch(options.onError);
    },
    async health(timeoutMs) {
      const ok = await withTimeout(client.ping(), timeoutMs).then(
        () => true,
        () => false,
      );
      return { ok, store: 'redis' };
    },
    async close() {
      closed = true;
      reads?.close();
      if (owned) {
        if (client.isOpen) await client.quit().catch(() => client.disconnect());
        return;
      }
      // The caller's client lives on: take back only what the store attached.
      client.off('error', options.onError);
      for (const listener of readyListeners) client.off('ready', listener);
    },
  };
}
