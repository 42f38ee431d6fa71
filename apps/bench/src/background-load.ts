import { readFileSync } from 'node:fs';
import { processTicks } from './process-cpu.js';

/** CPU time (all cores) as read from /proc: the whole machine's busy time and that of the given processes. */
interface CpuSnapshot {
  machineBusy: number;
  machineTotal: number;
  ours: number;
}

/**
 * How much of the machine processes other than the bench and its children used while
 * `work` ran, as a fraction of all cores (Linux /proc; null elsewhere). A ratio measured
 * in one run survives steady background load, not load that comes and goes.
 */
export async function measureBackgroundLoad<T>(
  pids: () => number[],
  work: () => Promise<T>,
): Promise<{ result: T; otherShare: number | null }> {
  const before = snapshot(pids());
  const result = await work();
  const after = snapshot(pids());
  if (!before || !after || after.machineTotal <= before.machineTotal) return { result, otherShare: null };
  const other = after.machineBusy - before.machineBusy - (after.ours - before.ours);
  return { result, otherShare: Math.max(0, other / (after.machineTotal - before.machineTotal)) };
}

function snapshot(pids: number[]): CpuSnapshot | null {
  try {
    // cpu user nice system idle iowait irq softirq steal ...
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = fields[3]! + fields[4]!;
    return { machineBusy: total - idle, machineTotal: total, ours: processTicks(pids) };
  } catch {
    return null;
  }
}
