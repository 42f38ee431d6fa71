import type { RedisClientType } from 'redis';

/** The bench's own commands, left out of the slowest. */
const OWN = new Set(['SLOWLOG', 'CONFIG', 'INFO', 'FLUSHALL', 'SCAN', 'DBSIZE']);

export interface Slowest {
  ms: number;
  /** The command's name ('' when none was logged). */
  command: string;
}

/** Logs every command slower than 1 ms from now on (SLOWLOG, wall time), the log emptied. */
export async function startSlowlog(redis: RedisClientType): Promise<void> {
  await redis.sendCommand(['CONFIG', 'SET', 'slowlog-log-slower-than', '1000']);
  await redis.sendCommand(['CONFIG', 'SET', 'slowlog-max-len', '10000']);
  await redis.sendCommand(['SLOWLOG', 'RESET']);
}

/** The slowest command logged since startSlowlog (or the last read), the log emptied. */
export async function slowestLogged(redis: RedisClientType): Promise<Slowest> {
  const entries = (await redis.sendCommand(['SLOWLOG', 'GET', '10000'])) as [number, number, number, string[]][];
  await redis.sendCommand(['SLOWLOG', 'RESET']);
  let out: Slowest = { ms: 0, command: '' };
  for (const [, , micros, args] of entries) {
    const command = String(args[0]).toUpperCase();
    if (!OWN.has(command) && micros / 1000 > out.ms) out = { ms: micros / 1000, command };
  }
  return out;
}

/** The slowest of several nodes' (with the node's label). */
export function slowestOf(figures: Array<Slowest & { node: string }>): Slowest {
  const top = figures.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, command: '', node: '' });
  return { ms: top.ms, command: top.command ? `${top.command} on ${top.node}` : '' };
}
