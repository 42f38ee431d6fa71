import { createHash } from 'node:crypto';
import type { RedisClientType } from 'redis';
import type { RedisClients } from './redis-clients.js';

/**
 * Runs a script by SHA, on the node that serves its first key (every key of a script shares
 * that key's hash tag, hence its slot), and falls back to EVAL on NOSCRIPT (after a Redis
 * restart or failover, or on a master that took over a slot before the scripts were loaded).
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Loads the script ahead of use (on every master), so the first call is a single EVALSHA too. */
  async load(client: RedisClientType): Promise<void> {
    await client.scriptLoad(this.source);
  }

  async run(redis: RedisClients, keys: string[], args: string[]): Promise<unknown> {
    const firstKey = keys[0]!;
    try {
      return await redis.send(firstKey, ['EVALSHA', this.sha, String(keys.length), ...keys, ...args]);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      return redis.send(firstKey, ['EVAL', this.source, String(keys.length), ...keys, ...args]);
    }
  }
}
