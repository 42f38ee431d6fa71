import { Logger } from '@nestjs/common';
import { SessionKeys } from '../session-keys.js';
import { StoreUnavailableError } from '../store-unavailable.error.js';
import type { LuaScript } from './lua-script.js';
import type { RedisCache } from './redis-cache.provider.js';
import { StallWatchdog } from './stall-watchdog.js';

/**
 * The store's one Redis connection as its repositories use it: the key layout, and how
 * every call is made: watched for stalls (a hung Redis gets its connection reset, failing
 * pending calls), with connection failures turned into StoreUnavailableError, and with the
 * scripts loaded on every (re)connect.
 */
export class StoreCalls {
  readonly keys: SessionKeys;
  private readonly watchdog: StallWatchdog;
  private readonly scripts = new Set<LuaScript>();
  private readonly logger = new Logger('SessionStore');
  /** Background commands that failed (see `background`). */
  backgroundFailures = 0;

  constructor(
    readonly redis: RedisCache,
    keyPrefix: string,
    stallMs: number,
  ) {
    this.keys = new SessionKeys(keyPrefix);
    this.watchdog = new StallWatchdog(stallMs, (pending, silentMs) => redis.reset(`no reply for ${silentMs} ms with ${pending} call(s) pending`));
    // A restarted or failed-over Redis has an empty script cache: load them before use.
    redis.client.on('ready', () => this.loadScripts([...this.scripts]));
  }

  /** Registers scripts to load on every connect (and now, if connected), so each call is one EVALSHA. */
  preload(scripts: LuaScript[]): void {
    for (const script of scripts) this.scripts.add(script);
    if (this.redis.client.isReady) this.loadScripts(scripts);
  }

  run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    return this.bounded(script.run(this.redis.client, keys, args));
  }

  async bounded<T>(call: Promise<T>): Promise<T> {
    this.watchdog.begin();
    try {
      return await call;
    } catch (e) {
      throw isReplyError(e) ? e : new StoreUnavailableError((e as Error).message, { cause: e });
    } finally {
      this.watchdog.end();
    }
  }

  /**
   * Sends a command whose reply nobody waits for (the session-count sets): it leaves in the
   * same write as whatever else is sent in this tick, and a failure is counted and logged at
   * debug, never thrown at a request.
   */
  background(command: string[]): void {
    this.bounded(this.redis.client.sendCommand(command)).catch((e: unknown) => {
      this.backgroundFailures++;
      this.logger.debug(`background ${command[0]} failed (${this.backgroundFailures} so far): ${(e as Error).message}`);
    });
  }

  stop(): void {
    this.watchdog.stop();
  }

  private loadScripts(scripts: LuaScript[]): void {
    void Promise.all(scripts.map((script) => script.load(this.redis.client))).catch(() => {});
  }
}

/** Redis answered with an error: a bug (script, command), not an outage. */
function isReplyError(e: unknown): boolean {
  return e instanceof Error && e.constructor.name === 'ErrorReply';
}
