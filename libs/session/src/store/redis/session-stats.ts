import { COUNT_BUCKETS, countBucket, type SessionKind } from '../session-keys.js';
import type { SessionCounts, SessionKey } from '../session-repository.js';
import { LuaScript } from './lua-script.js';
import * as scripts from './count-scripts.js';
import type { RedisConnection } from './redis-connection.js';

const KINDS: readonly SessionKind[] = ['user', 'guest'];
const MINUTE_MS = 60_000;
/** Every this many count writes to one bucket (per instance), one bounded pruning step goes along. */
const PRUNE_EVERY = 32;
/** Passed minutes one pruning step drops at most. */
const PRUNE_MINUTES = '200';

export const countScripts = {
  move: new LuaScript(scripts.COUNT_MOVE),
  read: new LuaScript(scripts.COUNT_READ),
  prune: new LuaScript(scripts.COUNT_PRUNE),
};

export const kindOf = (key: SessionKey): SessionKind => (key.userId === null ? 'guest' : 'user');

const minuteOf = (ms: number): string => String(Math.floor(ms / MINUTE_MS));

/**
 * The per-shop session counts behind admin.stats: for each shop, kind and bucket (by handle),
 * a hash of expiry minute -> sessions. A write moves its session between minutes with
 * a small script (HINCRBY, and HDEL at 0), sent next to its own command and never waited for. Increments commute, so writes
 * that race (a slide and a destroy) still add up; a count whose minute has passed is dead
 * whatever happened, so a lost write only skews a count until then. Each bucket keeps the
 * sum of its minutes, so a read subtracts only the passed minutes not pruned yet; those are
 * pruned a bounded step at a time, piggybacked on the writes. Reads never prune.
 *
 * Per session this costs nothing but its share of a field (the old per-handle sorted sets
 * cost ~136 B per session), at the price of minute precision.
 */
export class RedisSessionStats {
  private readonly writes = new Map<string, number>();

  constructor(private readonly calls: RedisConnection) {}

  /** A session's expiry moved from `from` to `to` (ms on Redis's clock; null: not counted / no longer counted). */
  moved(key: SessionKey, from: number | null, to: number | null): void {
    const before = from === null || from <= 0 ? null : minuteOf(from);
    const after = to === null ? null : minuteOf(to);
    if (before === after) return;
    const deltas: string[] = [];
    if (before !== null) deltas.push(before, '-1');
    if (after !== null) deltas.push(after, '1');
    this.send(this.calls.keys.stats(key.shopId, kindOf(key), countBucket(key.handle)), deltas);
  }

  /** Sessions that ended (handle, expiry ms): one count write per bucket touched. */
  ended(shopId: string, kind: SessionKind, sessions: Array<[handle: string, expiresAt: number]>): void {
    const byBucket = new Map<number, Map<string, number>>();
    for (const [handle, expiresAt] of sessions) {
      if (expiresAt <= 0) continue;
      const bucket = countBucket(handle);
      const minutes = byBucket.get(bucket) ?? new Map<string, number>();
      const minute = minuteOf(expiresAt);
      minutes.set(minute, (minutes.get(minute) ?? 0) - 1);
      byBucket.set(bucket, minutes);
    }
    for (const [bucket, minutes] of byBucket) {
      this.send(
        this.calls.keys.stats(shopId, kind, bucket),
        [...minutes].flatMap(([m, d]) => [m, String(d)]),
      );
    }
  }

  private send(bucket: string, deltas: string[]): void {
    this.background(countScripts.move, bucket, deltas);
    this.pruneNowAndThen(bucket);
  }

  /** Per shop: one script per kind and bucket (2 × COUNT_BUCKETS), all sent in one write. */
  async read(shopIds: string[], redisNow: number): Promise<Map<string, SessionCounts>> {
    const from = minuteOf(redisNow);
    const sent = shopIds.map((shopId) =>
      Promise.all(
        KINDS.map(async (kind) => {
          let total = 0;
          const parts = Array.from({ length: COUNT_BUCKETS }, (_, b) =>
            this.calls.run(countScripts.read, [this.calls.keys.stats(shopId, kind, b)], [from]),
          );
          for (const n of await Promise.all(parts)) total += Number(n);
          return Math.max(0, total);
        }),
      ),
    );
    const replies = await Promise.all(sent);
    const counts = new Map<string, SessionCounts>();
    shopIds.forEach((shopId, i) => counts.set(shopId, { loggedIn: replies[i]![0]!, guests: replies[i]![1]! }));
    return counts;
  }

  private pruneNowAndThen(bucket: string): void {
    const n = (this.writes.get(bucket) ?? 0) + 1;
    if (n < PRUNE_EVERY) {
      this.writes.set(bucket, n);
      return;
    }
    this.writes.delete(bucket);
    this.background(countScripts.prune, bucket, [PRUNE_MINUTES]);
  }

  /** Sent now, in the same write as the caller's own command; a failure is counted, never thrown. */
  private background(script: LuaScript, bucket: string, args: string[]): void {
    this.calls.run(script, [bucket], args).catch(() => this.calls.backgroundFailures++);
  }
}
