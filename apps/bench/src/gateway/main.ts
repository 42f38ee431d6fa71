/**
 * `npm run bench:gateway`: what the HTTP adapter costs a web tier. Three Express 5 apps,
 * each in its own process, answer `GET /` with the same small JSON, driven in turn by
 * autocannon at 64 connections on loopback with the cookie of a logged-in session:
 * - adapter: the session adapter resolves the session through the service (built, on Redis);
 * - express-session: express-session + connect-redis on the same Redis, same cookie format
 *   (HMAC-SHA256 signed `s:<id>.<mac>`), default touch (GATEWAY_SESSION_TOUCH=0 turns it off);
 * - constant JSON: the same Express app with no session at all.
 * The apps take turns (BENCH_ROUNDS rounds of BENCH_SECONDS each), so a drift of the machine's
 * load hits them alike. Prints req/s, p50/p99 and each process's CPU per request, the ratios,
 * and the targets.
 * Exit code 0 when every target is met, 1 when one is missed, 2 when the bench could not run.
 * Env: BENCH_ROUNDS (default 3), BENCH_SECONDS (seconds per app and round, default 3),
 * BENCH_WARMUP_SECONDS (one unmeasured slice per app first, default 2),
 * BENCH_GATEWAY_NODE_ARGS (node flags for the three apps, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import 'reflect-metadata';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEV_COOKIE_SECRET } from '../../../../libs/session/src/config/dev-defaults.js';
import { measureBackgroundLoad } from '../background-load.js';
import { processCpuMicros } from '../process-cpu.js';
import { freePort, ownPids, runBench, spawnChild, waitUntil } from '../processes.js';
import { startRedisServer } from '../redis-server.js';
import { mintServiceToken } from '../rpc-clients.js';
import { startSessionService } from '../service-processes.js';
import { combine, loadPoint, type LoadPoint } from './load.js';

const CONNECTIONS = 64;
const MIN_ADAPTER_PER_CONSTANT = 0.9;
const MIN_ADAPTER_PER_EXPRESS_SESSION = 1.5;
const GATEWAY_MAIN = fileURLToPath(new URL('./gateway-server.js', import.meta.url));
const seconds = (name: string, fallback: number): number => {
  const n = Number(process.env[name] ?? fallback);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
};
const ROUNDS = Math.max(1, Math.round(seconds('BENCH_ROUNDS', 3)));
const SLICE_SECONDS = Math.max(1, seconds('BENCH_SECONDS', 3));
const WARMUP_SECONDS = seconds('BENCH_WARMUP_SECONDS', 2);

interface Gateway {
  label: string;
  url: string;
  pids: Array<{ label: string; pid: number | undefined }>;
}

interface Row extends LoadPoint {
  label: string;
  cpu: string;
  /** CPU per request of every process it involves, the load generator included; null when one could not be read. */
  cpuTotal: number | null;
}

async function startGateway(label: string, kind: string, env: Record<string, string>, backends: Gateway['pids']): Promise<Gateway> {
  const port = await freePort();
  const nodeArgs = process.env.BENCH_GATEWAY_NODE_ARGS?.split(' ').filter(Boolean) ?? []; // e.g. --cpu-prof
  const child = spawnChild(label, process.execPath, [...nodeArgs, GATEWAY_MAIN], {
    ...process.env,
    NODE_ENV: 'production',
    GATEWAY_KIND: kind,
    GATEWAY_PORT: String(port),
    ...env,
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitUntil(child, 'HTTP', async () => (await fetch(url, { method: 'HEAD' })).status < 500);
  // autocannon runs in this process: its CPU is part of every request's cost on a shared machine.
  return { label, url, pids: [{ label: 'express', pid: child.process.pid }, ...backends, { label: 'load generator', pid: process.pid }] };
}

/** Logs in once through the app and returns the Cookie header a browser would send back. */
async function loginCookie(gateway: Gateway): Promise<string> {
  const reply = await fetch(gateway.url + 'login', { method: 'POST', headers: { 'x-forwarded-proto': 'https' } });
  if (!reply.ok) throw new Error(`${gateway.label}: login answered ${reply.status}`);
  const set = reply.headers.getSetCookie();
  return set.map((c) => c.split(';')[0]).join('; ');
}

/** Per-request CPU time of each process behind an app, from /proc. */
function cpuReader(pids: Gateway['pids']): () => (number | null)[] {
  return () => pids.map((p) => (p.pid === undefined ? null : processCpuMicros([p.pid])));
}

/**
 * Loads the apps in turn, ROUNDS times, so a drift of the machine's load hits every app
 * alike; each app's figures combine its slices. Warm-up slices are not counted.
 */
async function measureInterleaved(gateways: Gateway[], cookies: string[]): Promise<Row[]> {
  for (const [i, gateway] of gateways.entries()) {
    // Check the app really serves the logged-in session before loading it.
    const probe = (await (await fetch(gateway.url, { headers: { cookie: cookies[i]! } })).json()) as { user: string | null };
    if (probe.user !== 'bench-user') throw new Error(`${gateway.label}: GET / does not see the session (${JSON.stringify(probe)})`);
    if (WARMUP_SECONDS > 0) await loadPoint(gateway.url, { connections: CONNECTIONS, seconds: WARMUP_SECONDS, cookie: cookies[i]! });
  }
  const slices: LoadPoint[][] = gateways.map(() => []);
  const cpu = gateways.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, gateway] of gateways.entries()) {
      progress(`round ${round + 1}/${ROUNDS}: ${gateway.label}, ${SLICE_SECONDS} s at ${CONNECTIONS} connections`);
      const read = cpuReader(gateway.pids);
      const before = read();
      const point = await loadPoint(gateway.url, { connections: CONNECTIONS, seconds: SLICE_SECONDS, cookie: cookies[i]! });
      const after = read();
      slices[i]!.push(point);
      after.forEach((a, k) => (cpu[i]![k] = (cpu[i]![k] ?? 0) + (a === null || before[k] == null ? NaN : a - before[k]!)));
    }
  }
  return gateways.map((gateway, i) => {
    const point = combine(slices[i]!, SLICE_SECONDS);
    const perRequest = gateway.pids
      .map((p, k) => (Number.isNaN(cpu[i]![k]) ? null : `${(cpu[i]![k]! / point.answered).toFixed(0)} ${p.label}`))
      .filter(Boolean)
      .join(' + ');
    const total = gateway.pids.reduce((sum, _p, k) => sum + cpu[i]![k]!, 0) / point.answered;
    return { label: gateway.label, cpu: perRequest, cpuTotal: Number.isNaN(total) ? null : total, ...point };
  });
}

async function main(): Promise<number> {
  const redis = await startRedisServer();
  const service = await startSessionService(redis.url);
  const redisPid = { label: 'Redis', pid: redis.child.process.pid };
  const gateways = [
    await startGateway(
      'adapter (Express 5)',
      'adapter',
      { SERVICE_PORT: String(service.port), SERVICE_TOKEN: mintServiceToken(service.authSecret) },
      [{ label: 'service', pid: service.pid }, redisPid],
    ),
    await startGateway('express-session + connect-redis', 'express-session', { REDIS_URL: redis.url, COOKIE_SECRET: DEV_COOKIE_SECRET }, [
      redisPid,
    ]),
    await startGateway('constant JSON', 'constant', {}, []),
  ];
  const cookies = await Promise.all(gateways.map(loginCookie));
  const { result: rows, otherShare } = await measureBackgroundLoad(ownPids, () => measureInterleaved(gateways, cookies));
  const [adapter, expressSession, constant] = rows as [Row, Row, Row];
  const vsConstant = adapter.requestsPerSecond / constant.requestsPerSecond;
  const vsSession = adapter.requestsPerSecond / expressSession.requestsPerSecond;
  const checks = [
    {
      label: `adapter ≥ ${MIN_ADAPTER_PER_CONSTANT}× constant JSON`,
      ok: vsConstant >= MIN_ADAPTER_PER_CONSTANT,
      detail: `${vsConstant.toFixed(2)}×`,
    },
    {
      label: `adapter ≥ ${MIN_ADAPTER_PER_EXPRESS_SESSION}× express-session`,
      ok: vsSession >= MIN_ADAPTER_PER_EXPRESS_SESSION,
      detail: `${vsSession.toFixed(2)}×`,
    },
    {
      label: 'adapter p99 below express-session p99',
      ok: adapter.p99Ms < expressSession.p99Ms,
      detail: `${adapter.p99Ms} ms vs ${expressSession.p99Ms} ms`,
    },
    { label: 'no failed requests', ok: rows.every((r) => r.failures === 0), detail: rows.map((r) => `${r.failures}`).join('/') },
  ];
  const touch = process.env.GATEWAY_SESSION_TOUCH === '0' ? 'off (disableTouch)' : 'on (EXPIRE per request, its default)';
  console.log(
    [
      `# gateway bench: GET / with a logged-in session cookie, ${CONNECTIONS} connections, autocannon on loopback, ${WARMUP_SECONDS} s warm-up, then ${ROUNDS} rounds of ${SLICE_SECONDS} s per app, taking turns`,
      `machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}; load generator, apps, service and Redis share it`,
      `express-session touch: ${touch}`,
      otherShare === null
        ? 'other processes: unknown'
        : `other processes during the measurements: ${(otherShare * 100).toFixed(0)}% of the machine's CPU${otherShare > 0.1 ? ' — WARNING: figures are unreliable' : ''}`,
      '',
      '| app | req/s | p50 ms | p99 ms | CPU µs/request |',
      '|---|---:|---:|---:|---|',
      ...rows.map((r) => `| ${r.label} | ${Math.round(r.requestsPerSecond).toLocaleString('en')} | ${r.p50Ms} | ${r.p99Ms} | ${r.cpu} |`),
      '',
      `adapter / constant JSON: ${vsConstant.toFixed(2)}×   adapter / express-session: ${vsSession.toFixed(2)}×`,
      ...ceilingLines(adapter, expressSession, constant),
      '',
      ...checks.map((c) => `${c.ok ? 'MET   ' : 'MISSED'} ${c.label}: ${c.detail}`),
    ].join('\n'),
  );
  return checks.every((c) => c.ok) ? 0 : 1;
}

/**
 * When the processes share the machine's cores and keep them busy, requests per second follow
 * 1 / (CPU per request of all of them, load generator included). An adapter app does everything
 * the constant-JSON app does and more, so adapter / express-session cannot pass
 * express-session's CPU per request / constant JSON's, whatever the adapter costs.
 */
function ceilingLines(adapter: Row, expressSession: Row, constant: Row): string[] {
  if (adapter.cpuTotal === null || expressSession.cpuTotal === null || constant.cpuTotal === null) return [];
  return [
    `CPU per request, every process: adapter ${adapter.cpuTotal.toFixed(0)} µs, express-session ${expressSession.cpuTotal.toFixed(0)} µs, constant JSON ${constant.cpuTotal.toFixed(0)} µs`,
    `ceiling on this machine (CPU-bound, processes sharing its cores): adapter / express-session ≤ express-session's CPU / constant JSON's = ${(expressSession.cpuTotal / constant.cpuTotal).toFixed(2)}×; adapter / constant JSON at this adapter CPU ≈ ${(constant.cpuTotal / adapter.cpuTotal).toFixed(2)}×`,
  ];
}

function progress(message: string): void {
  process.stderr.write(`bench:gateway: ${message}\n`);
}

await runBench('bench:gateway', main, 180_000);
