/**
 * `npm run bench:hostile`: the built service with its default transport limits, against
 * hostile clients that run in a process of their own (hostile-client-process.ts):
 * - normal callers' latency (session.resolve through a stock ClientProxy, 16 in flight)
 *   without and with 1,000 connections each trickling a 1 MiB partial frame, the service's
 *   peak RSS in both, and its peak RSS growth under the same attack with no other caller;
 * - the service's CPU share while one slow sender trickles 12 KiB/s into frames that never
 *   complete (reconnecting whenever it is closed), and while one sends 12 KiB/s without
 *   ever sending a `#`.
 * Exit code: 0 when every target is met, 1 when one is missed, 2 when the bench could not run.
 *
 * Env: BENCH_SECONDS (seconds per measurement, default 8).
 */
import 'reflect-metadata'; // before #libs/contracts, whose DTOs use decorators
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { Patterns } from '#libs/contracts';
import { closedLoop, type LoadResult } from './closed-loop.js';
import { measureBackgroundLoad } from './background-load.js';
import { ownPids, runBench, spawnChild } from './processes.js';
import { processTicks } from './process-cpu.js';
import { startRedisServer } from './redis-server.js';
import { machineLine, verdictLines, type Check } from './report.js';
import { connectClient, existingSessionRequest, mintServiceToken, send } from './rpc-clients.js';
import { startSessionService } from './service-processes.js';
import type { HostileOutcome } from './hostile-clients.js';

const HOSTILE_MAIN = fileURLToPath(new URL('./hostile-client-process.js', import.meta.url));
const MiB = 1_048_576;
const CONCURRENCY = 16;
const MAX_P99_MS = 50;
const MAX_RSS_GROWTH_MB = 64;
const MAX_SLOW_SENDER_CORE_SHARE = 0.05;
const seconds = Number(process.env.BENCH_SECONDS || 8);
/** Each connection sends its frame in 16 KiB pieces, one every 100 ms (160 KiB/s), then a byte a second. */
const TRICKLE = (port: number) => ({
  pattern: 'trickle',
  port,
  connections: 1_000,
  frameChars: MiB,
  chunkBytes: 16 * 1024,
  chunkEveryMs: 100,
  trickleEveryMs: 1_000,
  durationMs: (seconds + 3) * 1000,
});

async function main(): Promise<number> {
  const redis = await startRedisServer();
  const service = await startSessionService(redis.url);
  const pid = service.pid!;
  const client = await connectClient(service);
  try {
    const request = await existingSessionRequest(client, mintServiceToken(service.authSecret));
    const resolve = () => send(client, Patterns.sessionResolve, request);
    const load = (ms: number) => closedLoop(resolve, { concurrency: CONCURRENCY, warmupMs: 1_000, measureMs: ms });

    // The slow senders first: the trickling connections leave a backlog the service reads for a while.
    progress('one slow sender, 12 KiB/s into frames that never complete');
    const slow = await cpuShare(pid, () =>
      hostile({
        pattern: 'slow',
        port: service.port,
        bytesPerSecond: 12_288,
        writeEveryMs: 10,
        frameChars: MiB,
        durationMs: seconds * 1000,
      }),
    );
    progress('one slow sender, 12 KiB/s and never a #');
    const noHash = await cpuShare(pid, () =>
      hostile({ pattern: 'slow', port: service.port, bytesPerSecond: 12_288, writeEveryMs: 10, frameChars: 0, durationMs: seconds * 1000 }),
    );

    // The normal callers alone, then with the attack, each measured the same way: under this
    // load the service's own heap grows and is collected in a cycle of tens of MB (docs in the
    // README), so the attack's cost is its peak above the callers' own peak. The cycle grows to
    // its steady size during the first seconds of load: a warm-up run is not measured.
    progress('normal callers alone (warm-up)');
    await load(seconds * 1000);
    progress('normal callers alone');
    const quietPeak = await peakRss(pid, () => cpuShare(pid, () => measureBackgroundLoad(ownPids, () => load(seconds * 1000))));
    const quietCpu = quietPeak.outcome;
    const { result: quiet, otherShare: quietOtherShare } = quietCpu.outcome;

    progress('normal callers while 1,000 connections trickle 1 MiB partial frames');
    const trickle = () => hostile(TRICKLE(service.port));
    const attackedPeak = await peakRss(pid, async () => {
      const trickled = trickle();
      const cpu = await cpuShare(pid, () => measureBackgroundLoad(ownPids, () => load(seconds * 1000)));
      return { cpu, trickled: await trickled };
    });
    const { cpu: attackedCpu, trickled } = attackedPeak.outcome;
    const { result: attacked, otherShare } = attackedCpu.outcome;

    progress('1,000 connections trickle 1 MiB partial frames, no other caller');
    const alone = await peakRss(pid, trickle);

    const aboveCallersMB = attackedPeak.peakMB - quietPeak.peakMB;
    const checks: Check[] = [
      {
        label: `normal callers' p99 ≤ ${MAX_P99_MS} ms under 1,000 trickling connections`,
        ok: attacked.p99Ms <= MAX_P99_MS,
        detail: `${attacked.p99Ms.toFixed(1)} ms`,
      },
      {
        label: 'no failed normal call',
        ok: attacked.errors === 0 && quiet.errors === 0,
        detail: `${attacked.errors + quiet.errors} errors${attacked.firstError ? ` (${attacked.firstError})` : ''}`,
      },
      {
        label: `1,000 trickling connections raise the service's peak RSS by ≤ ${MAX_RSS_GROWTH_MB} MB, alone and above the normal callers' own peak`,
        ok: alone.growthMB <= MAX_RSS_GROWTH_MB && aboveCallersMB <= MAX_RSS_GROWTH_MB,
        detail: `${alone.growthMB.toFixed(1)} MB alone, ${mb(aboveCallersMB)} with the callers`,
      },
      {
        label: `a slow sender costs < ${MAX_SLOW_SENDER_CORE_SHARE * 100}% of a core`,
        ok: slow.share < MAX_SLOW_SENDER_CORE_SHARE,
        detail: `${(slow.share * 100).toFixed(2)}%`,
      },
    ];
    console.log(
      [
        `# hostile clients bench (${seconds} s per measurement; session.resolve, ${CONCURRENCY} in flight, one ClientProxy)`,
        machineLine(/v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown'),
        `processes other than the bench's own (service, Redis, hostile clients) used ${share(quietOtherShare)} of the machine's CPU while the callers were alone, ${share(otherShare)} during the attack`,
        '',
        '| normal callers | req/s | p50 ms | p99 ms | errors | service CPU (share of a core) |',
        '|---|---:|---:|---:|---:|---:|',
        row('alone', quiet, quietCpu.share),
        row('with 1,000 trickling connections', attacked, attackedCpu.share),
        '',
        `1,000 trickling connections with the normal callers: ${describe(trickled)}`,
        `service peak RSS with the normal callers alone: ${quietPeak.peakMB.toFixed(1)} MB (${mb(quietPeak.growthMB)} over its RSS when they started); with the trickling connections too: ${attackedPeak.peakMB.toFixed(1)} MB (${mb(attackedPeak.growthMB)}), ${mb(aboveCallersMB)} against the callers alone`,
        `1,000 trickling connections, no other caller: ${describe(alone.outcome)}; service peak RSS growth ${alone.growthMB.toFixed(1)} MB`,
        `slow sender (12 KiB/s, 1 MiB frames): ${(slow.share * 100).toFixed(2)}% of a core; ${describe(slow.outcome)}`,
        `slow sender without a #: ${(noHash.share * 100).toFixed(2)}% of a core; ${describe(noHash.outcome)}`,
        '',
        verdictLines(checks),
      ].join('\n'),
    );
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    await client.close();
  }
}

function share(s: number | null): string {
  return s === null ? 'an unknown share (no /proc)' : `${(s * 100).toFixed(0)}%`;
}

function row(label: string, r: LoadResult, cpu: number): string {
  return `| ${label} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.errors} | ${(cpu * 100).toFixed(0)}% |`;
}

function describe(o: HostileOutcome): string {
  const sent = o.bytesSent >= MiB ? `${(o.bytesSent / MiB).toFixed(1)} MiB` : `${(o.bytesSent / 1024).toFixed(1)} KiB`;
  return `${o.opened} connections opened, ${o.closedByService} closed by the service, ${sent} sent`;
}

async function hostile(job: object): Promise<HostileOutcome> {
  const child = spawnChild('hostile clients', process.execPath, [HOSTILE_MAIN, JSON.stringify(job)]);
  await child.exited;
  const last = child.output().trim().split('\n').pop() ?? '';
  if (child.process.exitCode !== 0) throw new Error(`hostile clients failed:\n${child.output()}`);
  return JSON.parse(last) as HostileOutcome;
}

/** The service's CPU time while `work` runs, as a share of one core. */
async function cpuShare<T>(pid: number, work: () => Promise<T>): Promise<{ share: number; outcome: T }> {
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const [t0, c0] = [Date.now(), processTicks([pid])];
  const outcome = await work();
  const [t1, c1] = [Date.now(), processTicks([pid])];
  return { share: (c1 - c0) / ticksPerSecond / ((t1 - t0) / 1000), outcome };
}

/** The service's peak RSS while `work` runs (MB), and its growth over the RSS when it began. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ outcome: T; peakMB: number; growthMB: number }> {
  const baselineKiB = memoryKiB(pid, 'VmRSS');
  writeFileSync(`/proc/${pid}/clear_refs`, '5'); // VmHWM (peak RSS) restarts from here
  const outcome = await work();
  const peakKiB = memoryKiB(pid, 'VmHWM');
  return { outcome, peakMB: (peakKiB * 1024) / 1e6, growthMB: ((peakKiB - baselineKiB) * 1024) / 1e6 };
}

function mb(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(1)} MB`;
}

function memoryKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
}

function progress(message: string): void {
  process.stderr.write(`bench:hostile: ${message}\n`);
}

await runBench('bench:hostile', main, 300_000);
