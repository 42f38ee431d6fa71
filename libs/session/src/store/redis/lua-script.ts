import { createHash } from 'node:crypto';
import type { RedisClientType } from 'redis';

/** Runs a script by SHA and loads it on NOSCRIPT (after a Redis restart or failover). */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Loads the script ahead of use, so the first call is a single EVALSHA too. */
  async load(client: RedisClientType): Promise<void> {
    await client.scriptLoad(this.source);
  }

  /** sendCommand skips node-redis's per-command wrapper: about 1 µs of CPU per call. */
  async run(client: RedisClientType, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await client.sendCommand(['EVALSHA', this.sha, String(keys.length), ...keys, ...args]);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      return client.sendCommand(['EVAL', this.source, String(keys.length), ...keys, ...args]);
    }
  }
}
