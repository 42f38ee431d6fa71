import { cpus } from 'node:os';
import type { LoadResult } from './closed-loop.js';

/** CPU time one server process spent per answered call of a point. */
export interface CpuCost {
  label: string;
  microsPerRequest: number;
}

export interface PointResult extends LoadResult {
  /** Empty where /proc cannot be read. */
  cpu: CpuCost[];
}

export interface TargetResults {
  name: string;
  results: PointResult[];
}

export interface Check {
  label: string;
  ok: boolean;
  detail: string;
}

export function machineLine(redisVersion: string): string {
  const cores = cpus();
  return `machine: ${cores[0]?.model.trim() ?? 'unknown cpu'}, ${cores.length} cores, node ${process.version}, redis-server ${redisVersion}`;
}

/** Markdown table: one row per target and concurrency. */
export function resultsTable(targets: TargetResults[]): string {
  const rows = ['| target | in flight | req/s | p50 ms | p99 ms | server CPU µs/call | errors |', '|---|---:|---:|---:|---:|---|---:|'];
  for (const t of targets) {
    for (const r of t.results) {
      const cpu = r.cpu.map((c) => `${c.microsPerRequest.toFixed(1)} ${c.label}`).join(' + ') || 'n/a';
      rows.push(
        `| ${t.name} | ${r.concurrency} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${cpu} | ${r.errors} |`,
      );
    }
  }
  return rows.join('\n');
}

/** `numerator/denominator throughput` at each concurrency both were measured at. */
export function ratioLine(label: string, numerator: TargetResults, denominator: TargetResults): string {
  const parts = numerator.results.map((n) => {
    const d = denominator.results.find((r) => r.concurrency === n.concurrency);
    return d ? `${ratio(n, d).toFixed(2)}× @${n.concurrency}` : `n/a @${n.concurrency}`;
  });
  return `${label} throughput: ${parts.join(', ')}`;
}

/**
 * The baseline server's CPU per call over the measured server's (its first process), per
 * concurrency: the throughput ratio a single-threaded server that is the bottleneck can
 * reach, steadier from run to run than throughput.
 */
export function cpuRatioLine(label: string, measured: TargetResults, baseline: TargetResults): string {
  const parts = measured.results.map((m) => {
    const b = baseline.results.find((r) => r.concurrency === m.concurrency);
    const [mc, bc] = [m.cpu[0]?.microsPerRequest, b?.cpu[0]?.microsPerRequest];
    return mc && bc ? `${(bc / mc).toFixed(2)}× @${m.concurrency}` : `n/a @${m.concurrency}`;
  });
  return `${label} server CPU per call (baseline/measured): ${parts.join(', ')}`;
}

export function ratio(n: LoadResult, d: LoadResult): number {
  return d.perSecond > 0 ? n.perSecond / d.perSecond : 0;
}

export function verdictLines(checks: Check[]): string {
  const lines = checks.map((c) => `- ${c.ok ? 'PASS' : 'FAIL'}: ${c.label} (${c.detail})`);
  const passed = checks.every((c) => c.ok);
  return [`verdict: ${passed ? 'PASS' : 'FAIL'}`, ...lines].join('\n');
}

export function formatCounts(counts: Map<string, number>, per: number): string {
  if (counts.size === 0) return 'none';
  return [...counts].map(([name, n]) => `${name} ${(n / per).toFixed(2)}`).join(', ');
}

/** Above this share of the machine used by other processes, wall-clock figures are flagged as unreliable. */
export const MAX_BACKGROUND_SHARE = 0.1;
/** The bound on one Redis command's run time (SLOWLOG), at scale. */
export const MAX_COMMAND_MS = 10;

export function backgroundLine(share: number | null): string {
  if (share === null) return 'other processes during the measurements: unknown (no /proc)';
  const line = `other processes during the measurements: ${(share * 100).toFixed(0)}% of the machine's CPU`;
  return share > MAX_BACKGROUND_SHARE
    ? `${line} — WARNING: above ${MAX_BACKGROUND_SHARE * 100}%, figures are unreliable; rerun on a quiet machine`
    : line;
}

/**
 * The SLOWLOG bound as a check. SLOWLOG times a command by the wall clock, so a loaded machine
 * that takes the CPU away from Redis mid-command inflates it: the detail says so when other
 * processes used more than MAX_BACKGROUND_SHARE of the machine meanwhile.
 */
export function slowestCommandCheck(label: string, slowestMs: number, command: string, otherShare: number | null): Check {
  const load =
    otherShare === null
      ? '; background load unknown'
      : otherShare > MAX_BACKGROUND_SHARE
        ? `; UNRELIABLE: other processes used ${(otherShare * 100).toFixed(0)}% of the machine meanwhile, which stretches wall time`
        : '';
  return {
    label: `${label}: slowest command ≤ ${MAX_COMMAND_MS} ms (SLOWLOG)`,
    ok: slowestMs <= MAX_COMMAND_MS,
    detail: `${slowestMs.toFixed(1)} ms${command ? `, ${command}` : ''}${load}`,
  };
}
