import { cpus } from 'node:os';
import type { LoadResult } from './closed-loop.js';

export interface TargetResults {
  name: string;
  results: LoadResult[];
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
  const rows = ['| target | in flight | req/s | p50 ms | p99 ms | errors |', '|---|---:|---:|---:|---:|---:|'];
  for (const t of targets) {
    for (const r of t.results) {
      rows.push(`| ${t.name} | ${r.concurrency} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.errors} |`);
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
