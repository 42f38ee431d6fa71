import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU time (user + system) the processes used so far, in clock ticks, from /proc (Linux only; throws elsewhere). */
export function processTicks(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    // utime and stime are fields 14 and 15; the command name in parentheses may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(rest[11]) + Number(rest[12]);
  }
  return ticks;
}

let ticksPerSecond: number | undefined;

/**
 * CPU time the processes used so far, in µs; null where /proc cannot be read. Divided by
 * the requests served, it is a cost per request that stays steady on a noisy machine,
 * where throughput swings from run to run.
 */
export function processCpuMicros(pids: number[]): number | null {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (processTicks(pids) / ticksPerSecond) * 1e6;
  } catch {
    return null;
  }
}
