/**
 * The cluster run of `npm run bench`: the service on a private 3-master Redis Cluster
 * (REDIS_CLUSTER_NODES) and, for comparison in the same run, a second service on one
 * redis-server. Both are driven alike, in interleaved rounds at 64 in flight: resolves of
 * logged-in sessions of many users (so the cluster's load spreads over its shards), and a
 * mix of 9 resolves to 1 login. Then 10,000 logins of 300 B users on each, for Redis memory
 * and keys per session on every shard and how evenly sessions spread.
 */
import type { ClientProxy } from '@nestjs/microservices';
import { createClient, type RedisClientType } from 'redis';
import { Patterns, type LoginResult, type RpcRequest, type RpcResponse } from '#libs/contracts';
import { measureBackgroundLoad } from './background-load.js';
import { closedLoop, type LoadOptions } from './closed-loop.js';
import { processCpuMicros } from './process-cpu.js';
import { ownPids } from './processes.js';
import { startRedisCluster } from './redis-cluster.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { backgroundLine, slowestCommandCheck, type Check } from './report.js';
import { BENCH_SHOP_ID, connectClient, mintServiceToken, send } from './rpc-clients.js';
import { startSessionService, type SessionServiceProcess } from './service-processes.js';
import { slowestLogged, slowestOf, startSlowlog } from './slowlog.js';

const MASTERS = 3;
const CONCURRENCY = 64;
/** Logged-in sessions (one user each) the resolves go round. */
const RESOLVED_SESSIONS = 300;
/** One call in this many is a login in the mix. */
const LOGIN_EVERY = 10;
const MEMORY_SESSIONS = 10_000;
/** A shard whose share of the sessions is this far from an even one (relative) counts as uneven. */
const MAX_SPREAD = 0.1;
/** Under the service's default key prefix: a session's key `ss:s:{…}` or `ss:s:{…}:<handle>`, a user's index `ss:ix:{…}`. */
const SESSION_KEYS = 'ss:s:';
const INDEX_KEYS = 'ss:ix:';

interface Store {
  name: string;
  service: SessionServiceProcess;
  client: ClientProxy;
  auth: string;
  /** One admin connection per master (one for the single node). */
  nodes: Array<{ label: string; redis: RedisClientType }>;
  requests: RpcRequest[];
}

interface Point {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  firstError?: string;
  serviceMicros: number | null;
  /** Redis CPU per call, per node (INFO cpu). */
  redisMicros: number[];
}

export async function clusterRun(
  load: { warmupMs: number; measureMs: number },
  rounds: number,
  progress: (m: string) => void,
): Promise<{ lines: string[]; checks: Check[]; redisVersion: string }> {
  progress(`starting a ${MASTERS}-master Redis Cluster and one redis-server, a service on each`);
  const [cluster, single] = await Promise.all([startRedisCluster(MASTERS), startRedisServer()]);
  const stores: Store[] = [];
  try {
    stores.push(
      await connectStore('cluster', { clusterNodes: cluster.seeds }, cluster.masters),
      await connectStore('single', single.url, [single]),
    );
    for (const s of stores) {
      s.requests = await loginMany(s, RESOLVED_SESSIONS, 'r');
      for (const n of s.nodes) await startSlowlog(n.redis);
    }

    const targets = stores.flatMap((s) => [
      { name: `resolve, ${s.name}`, store: s, call: resolver(s, 0), points: [] as Point[] },
      { name: `9 resolves : 1 login, ${s.name}`, store: s, call: resolver(s, LOGIN_EVERY), points: [] as Point[] },
    ]);
    const { otherShare } = await measureBackgroundLoad(ownPids, async () => {
      for (let round = 1; round <= rounds; round++) {
        for (const t of targets) {
          progress(`${t.name} @${CONCURRENCY} in flight, round ${round} of ${rounds}`);
          t.points.push(await measure(t.store, t.call, { ...load, concurrency: CONCURRENCY }));
        }
      }
    });
    const slowest = await Promise.all(
      stores.map(async (s) =>
        slowestOf(await Promise.all(s.nodes.map(async (n) => ({ ...(await slowestLogged(n.redis)), node: n.label })))),
      ),
    );

    progress(`Redis memory of ${MEMORY_SESSIONS.toLocaleString('en-US')} logins on each store`);
    const memory: string[] = [];
    const checks: Check[] = [];
    for (const s of stores) {
      const m = await memoryPerShard(s);
      memory.push(
        `- ${s.name}: ${m.bytesPerSession.toFixed(0)} B and ${m.keysPerSession.toFixed(2)} keys per session in all${s.nodes.length > 1 ? `; per master: ${m.shards.map((sh) => `${sh.label} ${sh.sessions} sessions (${((sh.sessions / MEMORY_SESSIONS) * 100).toFixed(1)}%), ${sh.bytesPerSession.toFixed(0)} B (${sh.ownBytesPerSession.toFixed(0)} B without keys of no one session), ${sh.keysPerSession.toFixed(2)} keys`).join('; ')}` : ''}`,
        `  keys of no one session (count buckets, event and audit streams), included above: ${m.shards.map((sh) => `${s.nodes.length > 1 ? `${sh.label} ` : ''}${sh.sharedKeys} keys, ${(sh.sharedBytes / 1024).toFixed(0)} kB`).join('; ')}`,
      );
      if (s.nodes.length > 1) {
        const even = MEMORY_SESSIONS / s.nodes.length;
        const worst = Math.max(...m.shards.map((sh) => Math.abs(sh.sessions - even) / even));
        checks.push({
          label: `sessions spread over the ${s.nodes.length} masters within ±${MAX_SPREAD * 100}% of an even share`,
          ok: worst <= MAX_SPREAD,
          detail: `furthest ${(worst * 100).toFixed(1)}% off`,
        });
      }
    }

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
    const rows = [
      '| target | req/s | p50 ms | p99 ms | service CPU µs/call | Redis CPU µs/call, each node ÷ all calls | errors |',
      '|---|---:|---:|---:|---:|---|---:|',
    ];
    for (const t of targets) {
      const p = t.points;
      const service = p.every((x) => x.serviceMicros !== null) ? median(p.map((x) => x.serviceMicros!)).toFixed(1) : 'n/a';
      const redis = t.store.nodes.map((_, i) => median(p.map((x) => x.redisMicros[i]!)).toFixed(1));
      const errors = p.reduce((n, x) => n + x.errors, 0);
      rows.push(
        `| ${t.name} | ${Math.round(median(p.map((x) => x.perSecond))).toLocaleString('en-US')} | ${median(p.map((x) => x.p50Ms)).toFixed(2)} | ${median(p.map((x) => x.p99Ms)).toFixed(2)} | ${service} | ${redis.join(' + ')} | ${errors} |`,
      );
      const firstError = p.find((x) => x.firstError)?.firstError;
      checks.push({ label: `no failed calls: ${t.name}`, ok: errors === 0, detail: errors ? `${errors} (${firstError})` : '0 errors' });
    }
    const ratios = [0, 1].map((i) => median(targets[i]!.points.map((p, r) => p.perSecond / targets[i + 2]!.points[r]!.perSecond)));
    stores.forEach((s, i) =>
      checks.push(slowestCommandCheck(`${s.name}, resolve and mix rounds`, slowest[i]!.ms, slowest[i]!.command, otherShare)),
    );
    return {
      lines: [
        `Redis Cluster (${MASTERS} masters, no replicas) against one redis-server, a service on each; ${rounds} interleaved round(s) of ${load.warmupMs / 1000} s warm-up + ${load.measureMs / 1000} s at ${CONCURRENCY} in flight, ${RESOLVED_SESSIONS} logged-in sessions of as many users resolved in turn (medians of the rounds; Redis CPU from INFO cpu):`,
        backgroundLine(otherShare),
        '',
        ...rows,
        '',
        `cluster/single throughput (median of the rounds' ratios): resolve ${ratios[0]!.toFixed(2)}×, mix ${ratios[1]!.toFixed(2)}×`,
        `slowest Redis command during the rounds (SLOWLOG, wall time): ${stores.map((s, i) => `${s.name} ${slowest[i]!.ms.toFixed(1)} ms${slowest[i]!.command ? ` (${slowest[i]!.command})` : ''}`).join(', ')}`,
        '',
        `Redis memory per logged-in session (${MEMORY_SESSIONS.toLocaleString('en-US')} logins of as many users with a 300 B user, through the service; INFO used_memory and DBSIZE growth on each master ÷ its sessions):`,
        ...memory,
      ],
      checks,
      redisVersion: /redis_version:(\S+)/.exec(await stores[0]!.nodes[0]!.redis.info('server'))?.[1] ?? 'unknown',
    };
  } finally {
    await Promise.allSettled(stores.flatMap((s) => [s.client.close(), ...s.nodes.map((n) => n.redis.quit())]));
  }
}

async function connectStore(name: string, store: string | { clusterNodes: string }, nodes: RedisServer[]): Promise<Store> {
  const service = await startSessionService(store);
  const admin = await Promise.all(
    nodes.map(async (n) => {
      const redis = createClient({ url: n.url }) as RedisClientType;
      redis.on('error', () => {}); // a failing INFO fails the run; a dropped idle socket must not crash it
      await redis.connect();
      return { label: `:${n.port}`, redis };
    }),
  );
  return { name, service, client: await connectClient(service), auth: mintServiceToken(service.authSecret), nodes: admin, requests: [] };
}

/** A 300-byte user JSON, as in the single-node memory figure. */
function user(id: string): Record<string, unknown> {
  const base = { id, email: `${id}@example.com`, name: 'Bench Shopper', roles: ['customer'], locale: 'de-DE', bio: '' };
  return { ...base, bio: 'x'.repeat(300 - JSON.stringify(base).length) };
}

function login(s: Store, userId: string): Promise<RpcResponse<LoginResult>> {
  return send<RpcResponse<LoginResult>>(s.client, Patterns.sessionLogin, {
    auth: s.auth,
    shopId: BENCH_SHOP_ID,
    data: { user: user(userId) },
  });
}

/** Logs `n` users in, 64 at a time, and returns a resolve request for each session. */
async function loginMany(s: Store, n: number, tag: string): Promise<RpcRequest[]> {
  const out: RpcRequest[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const userId = `${tag}-${next++}`;
      const cookie = (await login(s, userId)).session?.cookie?.value;
      if (!cookie) throw new Error(`${s.name}: session.login of ${userId} returned no cookie`);
      out.push({ auth: s.auth, shopId: BENCH_SHOP_ID, session: cookie, data: {} });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

/**
 * Resolves of the store's sessions in turn; with `loginEvery`, one call in that many is a login
 * instead (users reused, so their session limit evicts).
 */
function resolver(s: Store, loginEvery: number): () => Promise<unknown> {
  let i = 0;
  return () => {
    i++;
    if (loginEvery && i % loginEvery === 0) return login(s, `m-${i % 1_000}`);
    return send(s.client, Patterns.sessionResolve, s.requests[i % s.requests.length]!);
  };
}

async function redisCpuSeconds(redis: RedisClientType): Promise<number> {
  const info = await redis.info('cpu');
  return Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]);
}

async function measure(s: Store, call: () => Promise<unknown>, options: LoadOptions): Promise<Point> {
  const serviceCpu = () => (s.service.pid === undefined ? null : processCpuMicros([s.service.pid]));
  const [service0, redis0] = [serviceCpu(), await Promise.all(s.nodes.map((n) => redisCpuSeconds(n.redis)))];
  const r = await closedLoop(call, options);
  const [service1, redis1] = [serviceCpu(), await Promise.all(s.nodes.map((n) => redisCpuSeconds(n.redis)))];
  const calls = Math.max(1, r.answered);
  return {
    perSecond: r.perSecond,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    errors: r.errors,
    ...(r.firstError === undefined ? {} : { firstError: r.firstError }),
    serviceMicros: service0 !== null && service1 !== null ? (service1 - service0) / calls : null,
    redisMicros: redis1.map((c, i) => ((c - redis0[i]!) * 1e6) / calls),
  };
}

interface ShardMemory {
  label: string;
  sessions: number;
  bytesPerSession: number;
  keysPerSession: number;
  /** Keys of no one session (count buckets, event and audit streams) on this node, and their MEMORY USAGE. */
  sharedKeys: number;
  sharedBytes: number;
  /** bytesPerSession less the shared keys' MEMORY USAGE. */
  ownBytesPerSession: number;
}

/** Empties the store, logs MEMORY_SESSIONS users in, and reads the growth on every node. */
async function memoryPerShard(s: Store): Promise<{ bytesPerSession: number; keysPerSession: number; shards: ShardMemory[] }> {
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const used = async (redis: RedisClientType) => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
  const read = () => Promise.all(s.nodes.map(async (n) => ({ bytes: await used(n.redis), keys: await n.redis.dbSize() })));
  await Promise.all(s.nodes.map((n) => n.redis.flushAll()));
  await settle();
  const before = await read();
  await loginMany(s, MEMORY_SESSIONS, 'mem');
  await settle();
  const after = await read();
  const shards: ShardMemory[] = [];
  for (const [i, n] of s.nodes.entries()) {
    let sessions = 0;
    const shared: string[] = [];
    for await (const key of n.redis.scanIterator({ COUNT: 1_000 })) {
      if (key.startsWith(SESSION_KEYS)) sessions++;
      else if (!key.startsWith(INDEX_KEYS)) shared.push(key);
    }
    let sharedBytes = 0;
    for (const key of shared) sharedBytes += Number((await n.redis.sendCommand(['MEMORY', 'USAGE', key, 'SAMPLES', '0'])) ?? 0);
    const per = (x: number) => x / Math.max(1, sessions);
    shards.push({
      label: n.label,
      sessions,
      bytesPerSession: per(after[i]!.bytes - before[i]!.bytes),
      keysPerSession: per(after[i]!.keys - before[i]!.keys),
      sharedKeys: shared.length,
      sharedBytes,
      ownBytesPerSession: per(after[i]!.bytes - before[i]!.bytes - sharedBytes),
    });
  }
  const total = (f: (x: { bytes: number; keys: number }) => number) =>
    after.reduce((sum, a, i) => sum + f(a) - f(before[i]!), 0) / MEMORY_SESSIONS;
  return { bytesPerSession: total((x) => x.bytes), keysPerSession: total((x) => x.keys), shards };
}
