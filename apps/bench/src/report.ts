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
      rows.push(`| ${t.name} | ${r.concurrency} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${cpu} | ${r.errors} |`);
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
