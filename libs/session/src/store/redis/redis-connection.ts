import { Logger } from '@nestjs/common';
import { SessionKeys } from '../session-keys.js';
import { storeCallChannel, type StoreCallEvent } from '../store-diagnostics.js';
import { StoreUnavailableError } from '../store-unavailable.error.js';
import type { LuaScript } from './lua-script.js';
import type { RedisClients, StoreHealth } from './redis-clients.js';
import { StallWatchdog } from './stall-watchdog.js';

/**
 * Replies that say "not here, not now" rather than "wrong": the command did not run, so it
 * can be sent again. MOVED/ASK are followed by node-redis already; these are what is left
 * when a slot moves under a call (TRYAGAIN: a script's keys are split between two nodes
 * mid-migration) or a shard is failing over (CLUSTERDOWN, MASTERDOWN, LOADING).
 */
const TRANSIENT_REPLY = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|LOADING)\b/;

/** One cluster node as the stall check sees it: calls in flight, when it last answered, and who waits. */
class NodeProgress {
  inFlight = 0;
  lastProgressAt = Date.now();
  readonly waiting = new Set<(e: Error) => void>();
}

/**
 * The store's Redis connection as its repositories use it: the key layout, and how every
 * call is made. Every command names the key it routes by (`command(firstKey, args)`,
 * `run(script, keys, args)`), so the same calls work on one node and on a cluster. Calls are
 * bounded by `commandTimeoutMs` and connection failures become StoreUnavailableError:
 *  - one node: a stall watchdog (two counter updates per call) resets a connection that
 *    stopped answering, failing its pending calls;
 *  - a cluster: the same check per node (a hung shard must not hold up the others, and a
 *    busy one is not stalled while it answers), transient cluster replies are retried
 *    within `commandTimeoutMs`, and a call failing without a reply makes the connection
 *    check the topology (a failover).
 * Scripts are loaded on every (re)connect, on every master.
 */
export class RedisConnection {
  readonly keys: SessionKeys;
  private readonly watchdog: StallWatchdog | null;
  /** Cluster only: progress per node address ('*': calls whose node is not known, e.g. cache-manager's). */
  private readonly nodes = new Map<string, NodeProgress>();
  private readonly nodeCheck: NodeJS.Timeout | null;
  private readonly scripts = new Set<LuaScript>();
  private readonly logger = new Logger('SessionStore');
  /** Background commands that failed (see `background`). */
  backgroundFailures = 0;

  constructor(
    readonly redis: RedisClients,
    keyPrefix: string,
    private readonly timeoutMs: number,
  ) {
    this.keys = new SessionKeys(keyPrefix);
    this.watchdog =
      redis.mode === 'single'
        ? new StallWatchdog(timeoutMs, (pending, silentMs) => redis.reset(`no reply for ${silentMs} ms with ${pending} call(s) pending`))
        : null;
    this.nodeCheck = redis.mode === 'cluster' ? setInterval(() => this.checkNodes(), Math.max(5, Math.floor(timeoutMs / 8))).unref() : null;
    // A restarted or failed-over Redis has an empty script cache: load them before use.
    redis.onReady(() => this.loadScripts([...this.scripts]));
  }

  /** Registers scripts to load on every connect (and now, if connected), so each call is one EVALSHA. */
  preload(scripts: LuaScript[]): void {
    for (const script of scripts) this.scripts.add(script);
    if (this.redis.isReady()) this.loadScripts(scripts);
  }

  /** One command, sent to the node serving `firstKey` (every other key it names must share its slot). */
  command<T = unknown>(firstKey: string, args: string[], readonly = false): Promise<T> {
    const call = this.call(() => this.redis.send<T>(firstKey, args, readonly), true, firstKey);
    return storeCallChannel.hasSubscribers ? published(call, args[0] ?? '') : call;
  }

  /**
   * Commands on keys of one slot (`firstKey`'s), sent together and bounded as one call; their
   * replies in order. Published as one call under the first command's name.
   */
  commands(firstKey: string, list: string[][]): Promise<unknown[]> {
    const call = this.call(() => this.redis.sendAll(firstKey, list), true, firstKey);
    return storeCallChannel.hasSubscribers ? published(call, list[0]?.[0] ?? '') : call;
  }

  /** One script, on the node serving its first key. */
  run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    const call = this.call(() => script.run(this.redis, keys, args), true, keys[0]);
    return storeCallChannel.hasSubscribers ? published(call, 'EVALSHA') : call;
  }

  /**
   * Bounds any other call (cache-manager's). Given a function, a cluster may send it again
   * after a transient reply; given a promise, it is one attempt.
   */
  bounded<T>(call: Promise<T> | (() => Promise<T>)): Promise<T> {
    return typeof call === 'function' ? this.call(call, true) : this.call(() => call, false);
  }

  /**
   * Sends a command whose reply nobody waits for (the session-count sets), routed by its key
   * (`command[1]`): it leaves in the same write as whatever else is sent in this tick to that
   * node, and a failure is counted and logged at debug, never thrown at a request.
   */
  background(command: string[]): void {
    this.command(command[1]!, command).catch((e: unknown) => {
      this.backgroundFailures++;
      this.logger.debug(`background ${command[0]} failed (${this.backgroundFailures} so far): ${(e as Error).message}`);
    });
  }

  /** Resolves when the store can serve; on a cluster, when every slot's master answers. */
  async ping(): Promise<void> {
    if (this.redis.mode === 'single') {
      await this.command('', ['PING']);
      return;
    }
    const health = await this.redis.health(this.timeoutMs);
    if (!health.ok) throw new StoreUnavailableError(`redis cluster state ${health.cluster?.state ?? 'unknown'}`);
  }

  health(): Promise<StoreHealth> {
    return this.redis.health(this.timeoutMs);
  }

  stop(): void {
    this.watchdog?.stop();
    if (this.nodeCheck) clearInterval(this.nodeCheck);
  }

  private call<T>(send: () => Promise<T>, retryable: boolean, firstKey?: string): Promise<T> {
    return this.watchdog ? this.watched(this.watchdog, send()) : this.routed(send, retryable, firstKey);
  }

  private async watched<T>(watchdog: StallWatchdog, call: Promise<T>): Promise<T> {
    watchdog.begin();
    try {
      return await call;
    } catch (e) {
      throw isReplyError(e) ? e : new StoreUnavailableError((e as Error).message, { cause: e });
    } finally {
      watchdog.end();
    }
  }

  private async routed<T>(send: () => Promise<T>, retryable: boolean, firstKey: string | undefined): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const address = (firstKey === undefined ? undefined : this.redis.nodeOf?.(firstKey)) ?? '*';
        return await this.watchedOn(address, send());
      } catch (e) {
        const transient = isReplyError(e) && TRANSIENT_REPLY.test((e as Error).message);
        if (isReplyError(e) && !transient) throw e;
        const pause = Math.min(10 * 2 ** attempt, 100);
        if (transient && retryable && deadline - Date.now() > pause) {
          await new Promise((r) => setTimeout(r, pause));
          continue;
        }
        if (!transient) this.redis.reset((e as Error).message);
        throw new StoreUnavailableError((e as Error).message, { cause: e });
      }
    }
  }

  /** Like the single-node watchdog, per node: the call fails when its node has answered nothing for commandTimeoutMs. */
  private watchedOn<T>(address: string, call: Promise<T>): Promise<T> {
    let node = this.nodes.get(address);
    if (!node) this.nodes.set(address, (node = new NodeProgress()));
    const progress = node;
    if (progress.inFlight++ === 0) progress.lastProgressAt = Date.now();
    return new Promise<T>((resolve, reject) => {
      progress.waiting.add(reject);
      call.then(resolve, reject).finally(() => {
        progress.waiting.delete(reject);
        progress.inFlight--;
        progress.lastProgressAt = Date.now();
      });
    });
  }

  private checkNodes(): void {
    const now = Date.now();
    for (const [address, node] of this.nodes) {
      const silentMs = now - node.lastProgressAt;
      if (node.inFlight === 0 || silentMs < this.timeoutMs) continue;
      node.lastProgressAt = now;
      const stalled = new Error(`no reply from ${address} for ${silentMs} ms with ${node.inFlight} call(s) pending`);
      for (const reject of node.waiting) reject(stalled);
      node.waiting.clear();
    }
  }

  private loadScripts(scripts: LuaScript[]): void {
    void this.redis.eachMaster((client) => Promise.all(scripts.map((script) => script.load(client))));
  }
}

/** Times a call and publishes how it ended on storeCallChannel. */
function published<T>(call: Promise<T>, command: string): Promise<T> {
  const started = performance.now();
  const publish = (outcome: StoreCallEvent['outcome']): void => {
    storeCallChannel.publish({ command, outcome, seconds: (performance.now() - started) / 1000 } satisfies StoreCallEvent);
  };
  return call.then(
    (value) => {
      publish('ok');
      return value;
    },
    (e: unknown) => {
      publish(e instanceof StoreUnavailableError ? 'unavailable' : 'reply_error');
      throw e;
    },
  );
}

/** Redis answered with an error: a bug (script, command), not an outage, unless it is a cluster redirect (above). */
function isReplyError(e: unknown): boolean {
  return e instanceof Error && e.constructor.name === 'ErrorReply';
}
