/**
 * `npm run bench`: session.resolve of an existing session through a stock ClientProxy,
 * against baselines measured in the same run, at 1, 16 and 64 in flight: three echo servers
 * (echo-server.ts: stock Nest; Nest's pipeline on the service's transport, the fair floor;
 * the service's transport alone) and a raw Redis GET; plus Redis commands per resolve.
 * Exit code: 0 when every target is met, 1 when one is missed, 2 when the bench could not run.
 *
 * Then the store's own figures (store-figures.ts): the share of resolves that run the script
 * behind 20 round-robin replicas, Redis memory per session, everything included, and the
 * work of one Redis command at scale (bounded-work.ts).
 *
 * Then the cluster run (cluster-run.ts): the service on a 3-master Redis Cluster against one on
 * a single node, in the same run: throughput, Redis CPU per shard, memory per session.
 *
 * Env: BENCH_ONLY=store (only the store figures), BENCH_ONLY=cluster (only the cluster run),
 * BENCH_CLUSTER=0 (no cluster run), BENCH_USER_SESSIONS (sessions of one user in
 * the bounded-work run, default 100000), BENCH_SECONDS (measured seconds per point, default 4),
 * BENCH_WARMUP_SECONDS (default 1), BENCH_ROUNDS (rounds at 64 in flight whose medians the
 * targets are checked on, default 3),
 * BENCH_SERVICE_NODE_OPTIONS (NODE_OPTIONS of the service child, e.g. `--import <profiler preload>`;
 * node refuses --cpu-prof in NODE_OPTIONS).
 */
import 'reflect-metadata'; // before #libs/contracts, whose DTOs use decorators
import type { ClientProxy } from '@nestjs/microservices';
import { createClient, type RedisClientType } from 'redis';
import { Patterns } from '#libs/contracts';
import { closedLoop, type LoadOptions, type LoadResult } from './closed-loop.js';
import { ECHO_PATTERN } from './echo-pattern.js';
import { measureBackgroundLoad } from './background-load.js';
import { ownPids, runBench } from './processes.js';
import { countRedisCommands } from './redis-command-count.js';
import { startRedisServer } from './redis-server.js';
import { processCpuMicros } from './process-cpu.js';
import {
  backgroundLine,
  cpuRatioLine,
  formatCounts,
  machineLine,
  ratio,
  ratioLine,
  resultsTable,
  slowestCommandCheck,
  verdictLines,
  type Check,
  type CpuCost,
  type PointResult,
  type TargetResults,
} from './report.js';
import { connectClient, existingSessionRequest, mintServiceToken, send } from './rpc-clients.js';
import { startEchoServer, startSessionService } from './service-processes.js';
import { boundedWork } from './bounded-work.js';
import { eventCost } from './event-cost.js';
import { memoryPerSession, scriptShareBehindReplicas } from './store-figures.js';
import { clusterRun } from './cluster-run.js';

const CONCURRENCY = [1, 16, 64];
const REPLICAS = 20;
/** Resolves per session per touchAfter window in the replica run. */
const REPLICA_RATES = [2, 20, 40];
const MAX_SCRIPT_SHARE = 0.05;
const MEMORY_SESSIONS = 10_000;
const MAX_LOGGED_IN_BYTES = 536;
const MAX_GUEST_BYTES = 400;
/** Sessions of one user in the bounded-work run (BENCH_USER_SESSIONS). */
const USER_SESSIONS = seconds('BENCH_USER_SESSIONS', 100_000);
/** Redis CPU per script call that counts as bounded (the 10 ms SLOWLOG target, without a busy machine's stalls). */
const MAX_SCRIPT_CPU_MS = 10;
const TARGET_CONCURRENCY = 64;
/** Rounds at TARGET_CONCURRENCY (BENCH_ROUNDS): the targets are checked against each target's median. */
const ROUNDS = Math.max(1, Math.round(seconds('BENCH_ROUNDS', 3)));
/** Targets at TARGET_CONCURRENCY: resolve throughput over the stock and the fixed echo's, service CPU per resolve over the fixed echo's. */
const MIN_RESOLVE_PER_STOCK_ECHO = 1.0;
const MIN_RESOLVE_PER_FIXED_ECHO = 0.6;
const MAX_CPU_PER_FIXED_ECHO = 1.8;
const COUNTED_RESOLVES = 1_000;
const GET_VALUE_BYTES = 200;

const load = {
  warmupMs: seconds('BENCH_WARMUP_SECONDS', 1) * 1000,
  measureMs: seconds('BENCH_SECONDS', 4) * 1000,
};

/** Store figures: script share behind replicas, memory per session. */
async function storeFigures(): Promise<{ lines: string[]; checks: Check[] }> {
  const redis = await startRedisServer();
  const client = createClient({ url: redis.url }) as RedisClientType;
  await client.connect();
  try {
    const lines = [`Resolves that run the script, ${REPLICAS} replicas round-robin on one Redis (50 sessions, touchAfter scaled to 1 s):`];
    const checks: Check[] = [];
    for (const rate of REPLICA_RATES) {
      progress(`script share behind ${REPLICAS} replicas at ${rate} resolves per touchAfter`);
      const r = await scriptShareBehindReplicas(redis.url, client, REPLICAS, rate, Math.max(3, load.measureMs / 1000));
      const share = r.scriptRuns / r.resolves;
      lines.push(
        `- ${rate} resolves per touchAfter: ${(share * 100).toFixed(1)}% (${r.scriptRuns} of ${r.resolves}); slides without a script: ${((r.slides / r.resolves) * 100).toFixed(1)}% (${r.slides}); every resolve is 1 MGET with the PEXPIRETIME of each place the session may be, in one round trip`,
      );
      checks.push({
        label: `script path ≤ ${MAX_SCRIPT_SHARE * 100}% at ${rate} resolves per touchAfter, ${REPLICAS} replicas`,
        ok: share <= MAX_SCRIPT_SHARE,
        detail: `${(share * 100).toFixed(1)}%`,
      });
    }
    progress(`Redis memory of ${MEMORY_SESSIONS} logged-in sessions and ${MEMORY_SESSIONS} guests with a 1-line cart`);
    const m = await memoryPerSession(redis.url, client, MEMORY_SESSIONS);
    lines.push(
      '',
      `Redis memory per session (MEMORY USAGE of one sample's keys; INFO used_memory delta / ${m.sessions}, which adds dictionary growth and expiry entries, in brackets):`,
      `- logged in, 300 B user, one session each (the user's primary session, no index; counts cost no memory per session): ${m.loggedInMemoryUsage} B [${m.loggedInBytes.toFixed(0)} B]: session ${m.parts.userSession} B (its value ${m.parts.userValue} B), index ${m.parts.userIndex} B`,
      `- guest with a 1-line cart (session, cart): ${m.guestMemoryUsage} B [${m.guestWithCartBytes.toFixed(0)} B]: session ${m.parts.guestSession} B (its value ${m.parts.guestValue} B), cart ${m.parts.cart} B`,
      `- a second session of the same user: its key ${m.secondSession.session} B, and the user index that lists it ${m.secondSession.index} B`,
      `- baseline, express-session + connect-redis, the same logged-in users: ${m.expressSession.memoryUsage} B [${m.expressSession.bytes.toFixed(0)} B]`,
    );
    checks.push(
      {
        label: `logged-in session ≤ ${MAX_LOGGED_IN_BYTES} B (MEMORY USAGE)`,
        ok: m.loggedInMemoryUsage <= MAX_LOGGED_IN_BYTES,
        detail: `${m.loggedInMemoryUsage} B`,
      },
      {
        label: `guest with a 1-line cart < ${MAX_GUEST_BYTES} B (MEMORY USAGE)`,
        ok: m.guestMemoryUsage < MAX_GUEST_BYTES,
        detail: `${m.guestMemoryUsage} B`,
      },
    );
    progress(`bounded work: a user with ${USER_SESSIONS} sessions, count buckets unpruned for a day`);
    const { result: steps, otherShare } = await measureBackgroundLoad(ownPids, () => boundedWork(redis.url, client, USER_SESSIONS));
    lines.push(
      '',
      'Bounded work per Redis command (Redis CPU per script from INFO cpu; slowest command from SLOWLOG, wall time):',
      backgroundLine(otherShare),
    );
    for (const st of steps) {
      lines.push(
        `- ${st.step}: ${st.scripts} scripts, ${(st.cpuMsPerScript * st.scripts).toFixed(0)} ms Redis CPU in all, ${st.cpuMsPerScript.toFixed(2)} ms each on average, slowest command ${st.slowestMs.toFixed(1)} ms`,
      );
      checks.push(
        {
          label: `${st.step}: < ${MAX_SCRIPT_CPU_MS} ms Redis CPU per script`,
          ok: st.cpuMsPerScript < MAX_SCRIPT_CPU_MS,
          detail: `${st.cpuMsPerScript.toFixed(2)} ms`,
        },
        slowestCommandCheck(st.step, st.slowestMs, st.slowestCommand, otherShare),
      );
    }
    progress('session events: login+logout pairs with the event stream off and on, alternated');
    const ev = await eventCost(redis.url, client);
    lines.push(
      '',
      `Session event stream (${ev.logins} login+logout pairs each way, 20 in flight, alternated rounds):`,
      `- wall time with events on / off: ${ev.wallRatio.toFixed(2)}`,
      `- Redis CPU per login or logout script: ${ev.loginScriptUsOff.toFixed(1)} µs off, ${ev.loginScriptUsOn.toFixed(1)} µs on`,
      `- stream memory per event: ${ev.bytesPerEvent.toFixed(0)} B`,
    );
    return { lines, checks };
  } finally {
    await client.quit().catch(() => undefined);
  }
}

/** The cluster run (cluster-run.ts), unless BENCH_CLUSTER=0. */
async function clusterFigures(): Promise<{ lines: string[]; checks: Check[] }> {
  if (process.env.BENCH_CLUSTER === '0') return { lines: [], checks: [] };
  const cluster = await clusterRun(load, ROUNDS, progress);
  return { lines: ['', ...cluster.lines], checks: cluster.checks };
}

async function main(): Promise<number> {
  if (process.env.BENCH_ONLY === 'cluster') {
    const cluster = await clusterRun(load, ROUNDS, progress);
    console.log(
      ['# Redis Cluster run', machineLine(cluster.redisVersion), '', ...cluster.lines, '', verdictLines(cluster.checks)].join('\n'),
    );
    return cluster.checks.every((c) => c.ok) ? 0 : 1;
  }
  if (process.env.BENCH_ONLY === 'store') {
    const store = await storeFigures();
    console.log(['# store figures', '', ...store.lines, '', verdictLines(store.checks)].join('\n'));
    return store.checks.every((c) => c.ok) ? 0 : 1;
  }
  const redis = await startRedisServer();
  const [service, stockEcho, fixedEcho, routedEcho] = await Promise.all([
    startSessionService(redis.url),
    startEchoServer('stock'),
    startEchoServer('fixed'),
    startEchoServer('routed'),
  ]);
  const clients: ClientProxy[] = [];
  const redisClient = createClient({ url: redis.url }) as RedisClientType;
  let redisError: Error | undefined;
  redisClient.on('error', (e: Error) => (redisError ??= e)); // surfaces as failed GETs; never crashes the bench
  try {
    await redisClient.connect();
    const sessionClient = await connectClient(service);
    const [stockClient, fixedClient, routedClient] = await Promise.all([
      connectClient(stockEcho),
      connectClient(fixedEcho),
      connectClient(routedEcho),
    ]);
    clients.push(sessionClient, stockClient, fixedClient, routedClient);

    const request = await existingSessionRequest(sessionClient, mintServiceToken(service.authSecret));
    const getKey = 'bench:get';
    await redisClient.set(getKey, 'x'.repeat(GET_VALUE_BYTES));
    // The processes that serve each target: their CPU time per call is the steady figure.
    const servers: Record<string, Array<{ label: string; pid: number | undefined }>> = {
      resolve: [
        { label: 'service', pid: service.pid },
        { label: 'Redis', pid: redis.child.process.pid },
      ],
      'stock echo': [{ label: 'echo server', pid: stockEcho.pid }],
      'fixed echo': [{ label: 'echo server', pid: fixedEcho.pid }],
      'routed echo': [{ label: 'echo server', pid: routedEcho.pid }],
      'redis GET': [{ label: 'Redis', pid: redis.child.process.pid }],
    };
    const calls = {
      resolve: () => send(sessionClient, Patterns.sessionResolve, request),
      'stock echo': () => send(stockClient, ECHO_PATTERN, request),
      'fixed echo': () => send(fixedClient, ECHO_PATTERN, request),
      'routed echo': () => send(routedClient, ECHO_PATTERN, request),
      'redis GET': () => redisClient.get(getKey),
    };

    progress(`counting Redis commands over ${COUNTED_RESOLVES} sequential resolves`);
    const counted = await countRedisCommands(redis.port, redisClient, async () => {
      for (let i = 0; i < COUNTED_RESOLVES; i++) await calls.resolve();
    });
    // Round trips, not commands: Redis counts the reads it processes, and commands the service
    // pipelines (sent in one write) arrive in one read. Two INFO calls of the bench's own are subtracted.
    const reads = async () => Number(/total_reads_processed:(\d+)/.exec(await redisClient.info('stats'))?.[1]);
    const readsBefore = await reads();
    for (let i = 0; i < COUNTED_RESOLVES; i++) await calls.resolve();
    const roundTrips = (await reads()) - readsBefore - 1;

    // Interleaved by concurrency, so a slow drift of the machine hits every target alike.
    const targets: TargetResults[] = Object.keys(calls).map((name) => ({ name, results: [] }));
    const rounds: Record<string, PointResult[]> = {};
    const { otherShare } = await measureBackgroundLoad(ownPids, async () => {
      for (const concurrency of CONCURRENCY) {
        for (const target of targets) {
          progress(`${target.name} @${concurrency} in flight`);
          const options: LoadOptions = { ...load, concurrency };
          target.results.push(await measured(servers[target.name]!, () => closedLoop(calls[target.name as keyof typeof calls], options)));
        }
      }
      // More interleaved rounds at the target concurrency: the verdict takes each target's median.
      for (let round = 1; round < ROUNDS; round++) {
        for (const target of targets) {
          progress(`${target.name} @${TARGET_CONCURRENCY} in flight, round ${round + 1} of ${ROUNDS}`);
          const options: LoadOptions = { ...load, concurrency: TARGET_CONCURRENCY };
          (rounds[target.name] ??= []).push(
            await measured(servers[target.name]!, () => closedLoop(calls[target.name as keyof typeof calls], options)),
          );
        }
      }
    });

    const at = `at ${TARGET_CONCURRENCY} in flight`;
    const [resolve, stock, fixed, routed, get] = targets as [TargetResults, TargetResults, TargetResults, TargetResults, TargetResults];
    const redisVersion = /redis_version:(\S+)/.exec(await redisClient.info('server'))?.[1] ?? 'unknown';
    const commands = [...counted.sent].filter(([name]) => name !== 'ping').reduce((n, [, c]) => n + c, 0) / COUNTED_RESOLVES;
    const roundTripsPerResolve = roundTrips / COUNTED_RESOLVES;
    const atTarget = (t: TargetResults) =>
      medianPoint([t.results.find((r) => r.concurrency === TARGET_CONCURRENCY)!, ...(rounds[t.name] ?? [])]);
    const perStock = ratio(atTarget(resolve), atTarget(stock));
    const perFixed = ratio(atTarget(resolve), atTarget(fixed));
    const cpuAt = (t: TargetResults) => atTarget(t).cpu[0]?.microsPerRequest ?? null;
    const medianLine = `medians of ${ROUNDS} interleaved rounds ${at}: ${targets
      .map(
        (t) =>
          `${t.name} ${Math.round(atTarget(t).perSecond).toLocaleString('en-US')}/s${cpuAt(t) === null ? '' : ` (${cpuAt(t)!.toFixed(1)} µs)`}`,
      )
      .join(', ')}`;
    const [resolveCpu, fixedCpu, routedCpu] = [cpuAt(resolve), cpuAt(fixed), cpuAt(routed)];
    const cpuPerFixed = resolveCpu !== null && fixedCpu ? resolveCpu / fixedCpu : null;
    const errors = targets.flatMap((t) =>
      t.results.filter((r) => r.errors > 0).map((r) => `${t.name} @${r.concurrency}: ${r.errors} (${r.firstError})`),
    );
    const checks: Check[] = [
      {
        label: `resolve ≥ ${MIN_RESOLVE_PER_STOCK_ECHO}× stock echo ${at}`,
        ok: perStock >= MIN_RESOLVE_PER_STOCK_ECHO,
        detail: `${perStock.toFixed(2)}×`,
      },
      {
        label: `resolve ≥ ${MIN_RESOLVE_PER_FIXED_ECHO}× fixed echo ${at}`,
        ok: perFixed >= MIN_RESOLVE_PER_FIXED_ECHO,
        detail: `${perFixed.toFixed(2)}×`,
      },
      {
        label: `service CPU per resolve ≤ ${MAX_CPU_PER_FIXED_ECHO}× the fixed echo's ${at}`,
        ok: cpuPerFixed !== null && cpuPerFixed <= MAX_CPU_PER_FIXED_ECHO,
        detail:
          cpuPerFixed === null ? 'n/a (no /proc)' : `${cpuPerFixed.toFixed(2)}× (${resolveCpu!.toFixed(1)} / ${fixedCpu!.toFixed(1)} µs)`,
      },
      {
        label: '1 Redis round trip per resolve',
        // A keep-alive PING of the service's connection may fall in the window.
        ok: roundTripsPerResolve >= 1 && roundTripsPerResolve <= 1.01,
        detail: `${roundTripsPerResolve.toFixed(3)} (reads Redis processed; ${commands.toFixed(2)} commands)`,
      },
      { label: 'no failed calls', ok: errors.length === 0, detail: errors.length ? errors.join('; ') : '0 errors' },
    ];
    // Nest's own per-message floor: the handler and rxjs pipeline the fixed echo pays and the routed echo does not.
    const nestFloor =
      fixedCpu !== null && routedCpu !== null
        ? `${(fixedCpu - routedCpu).toFixed(1)} µs of CPU per call (fixed ${fixedCpu.toFixed(1)} − routed ${routedCpu.toFixed(1)})`
        : 'n/a';

    const store = await storeFigures();
    const cluster = await clusterFigures();
    checks.push(...store.checks, ...cluster.checks);
    console.log(
      [
        `# session.resolve bench (${load.warmupMs / 1000} s warm-up + ${load.measureMs / 1000} s measured per point, closed loop, one ClientProxy per target)`,
        machineLine(redisVersion),
        backgroundLine(otherShare),
        '',
        resultsTable(targets),
        '',
        medianLine,
        ratioLine('resolve/stock-echo', resolve, stock),
        ratioLine('resolve/fixed-echo', resolve, fixed),
        ratioLine('resolve/routed-echo', resolve, routed),
        ratioLine('resolve/redis-GET', resolve, get),
        cpuRatioLine('resolve vs fixed echo', resolve, fixed),
        cpuRatioLine('resolve vs routed echo', resolve, routed),
        `Nest's per-message pipeline ${at}: ${nestFloor}`,
        '',
        `Redis commands per resolve (MONITOR, ${COUNTED_RESOLVES} sequential resolves of a user-bound session):`,
        `- sent by the service: ${formatCounts(counted.sent, COUNTED_RESOLVES)} (keep-alive PINGs not counted)`,
        `- run inside scripts: ${formatCounts(counted.inScripts, COUNTED_RESOLVES)}`,
        `- round trips: ${roundTripsPerResolve.toFixed(3)} per resolve (INFO stats total_reads_processed over another ${COUNTED_RESOLVES} sequential resolves)`,
        '',
        ...store.lines,
        ...cluster.lines,
        '',
        verdictLines(checks),
        ...(redisError ? [`(bench Redis client error: ${redisError.message})`] : []),
      ].join('\n'),
    );
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    if (redisClient.isOpen) await redisClient.quit().catch(() => undefined);
  }
}

/** Each figure's median over the points (throughput and each server's CPU taken apart). */
function medianPoint(points: PointResult[]): PointResult {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const first = points[0]!;
  return {
    ...first,
    perSecond: median(points.map((p) => p.perSecond)),
    cpu: first.cpu.map((c, i) => ({
      label: c.label,
      microsPerRequest: median(points.map((p) => p.cpu[i]?.microsPerRequest ?? c.microsPerRequest)),
    })),
  };
}

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (Number.isFinite(n) && n >= 0) return n;
  console.error(`bench: ${name} must be a number of seconds, got "${raw}"`);
  process.exit(2);
}

/** Runs a load point and adds each server's CPU time per answered call. */
async function measured(servers: Array<{ label: string; pid: number | undefined }>, run: () => Promise<LoadResult>): Promise<PointResult> {
  const cpuOf = () => servers.map((s) => (s.pid === undefined ? null : processCpuMicros([s.pid])));
  const before = cpuOf();
  const result = await run();
  const after = cpuOf();
  const cpu: CpuCost[] = [];
  servers.forEach((s, i) => {
    const [b, a] = [before[i], after[i]];
    if (b != null && a != null && result.answered > 0) cpu.push({ label: s.label, microsPerRequest: (a - b) / result.answered });
  });
  return { ...result, cpu };
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

const limitMs =
  300_000 +
  (CONCURRENCY.length + ROUNDS) * 5 * (load.warmupMs + load.measureMs) * 1.5 +
  ROUNDS * 4 * (load.warmupMs + load.measureMs) * 1.5;
await runBench('bench', main, limitMs);
