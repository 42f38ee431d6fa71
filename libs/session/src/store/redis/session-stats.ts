import type { SessionKind } from '../session-keys.js';
import type { SessionCounts, SessionKey } from '../session-repository.js';
import type { StoreCalls } from './store-calls.js';

const KINDS: readonly SessionKind[] = ['user', 'guest'];

export const kindOf = (key: SessionKey): SessionKind => (key.userId === null ? 'guest' : 'user');

/**
 * The per-shop count sets (handle -> expiry ms) behind admin.stats. They live in the shop's
 * own hash slot, so a session's script cannot write them: the repository sends these
 * commands next to its own, without waiting for them. An entry whose score has passed is
 * dead whatever happened, so a lost or late write only skews a count until then.
 */
export class RedisSessionStats {
  constructor(private readonly calls: StoreCalls) {}

  added(key: SessionKey, expiresAt: number): void {
    this.calls.background(['ZADD', this.calls.keys.stats(key.shopId, kindOf(key)), String(expiresAt), key.handle]);
  }

  /** XX: a slide only moves an entry that is there, so it cannot bring back a session destroyed meanwhile. */
  slid(key: SessionKey, expiresAt: number): void {
    this.calls.background(['ZADD', this.calls.keys.stats(key.shopId, kindOf(key)), 'XX', String(expiresAt), key.handle]);
  }

  removed(shopId: string, kind: SessionKind, handles: string[]): void {
    if (handles.length > 0) this.calls.background(['ZREM', this.calls.keys.stats(shopId, kind), ...handles]);
  }

  /** Per shop and kind: drop entries that expired by `now`, then count. 4 × shops commands, sent in one write. */
  async read(shopIds: string[], now: number): Promise<Map<string, SessionCounts>> {
    const sent = shopIds.flatMap((shopId) =>
      KINDS.flatMap((kind) => {
        const key = this.calls.keys.stats(shopId, kind);
        return [this.calls.command(key, ['ZREMRANGEBYSCORE', key, '-inf', String(now)]), this.calls.command<number>(key, ['ZCARD', key], true)];
      }),
    );
    const replies = (await Promise.all(sent)) as number[];
    const counts = new Map<string, SessionCounts>();
    shopIds.forEach((shopId, i) => counts.set(shopId, { loggedIn: Number(replies[i * 4 + 1]), guests: Number(replies[i * 4 + 3]) }));
    return counts;
  }
}
