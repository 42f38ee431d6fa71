import type { SessionKind } from '../session-keys.js';
import type { SessionCounts, SessionKey } from '../session-repository.js';

const kindOf = (key: SessionKey): SessionKind => (key.userId === null ? 'guest' : 'user');

/**
 * One shop's sessions of one kind: handle -> expiry (ms), plus a min-heap by expiry so that
 * pruning touches only what expired. Heap entries are never updated in place: a slide or a
 * removal leaves the old one behind, skipped when it surfaces (its expiry no longer matches).
 */
class ExpirySet {
  readonly live = new Map<string, number>();
  private readonly heap: [number, string][] = [];

  set(handle: string, expiresAt: number): void {
    this.live.set(handle, expiresAt);
    this.push([expiresAt, handle]);
  }

  prune(now: number): void {
    while (this.heap.length > 0 && this.heap[0]![0] <= now) {
      const [expiresAt, handle] = this.pop();
      if (this.live.get(handle) === expiresAt) this.live.delete(handle);
    }
  }

  private push(entry: [number, string]): void {
    const h = this.heap;
    h.push(entry);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (h[parent]![0] <= h[i]![0]) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private pop(): [number, string] {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length === 0) return top;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < h.length && h[l]![0] < h[min]![0]) min = l;
      if (r < h.length && h[r]![0] < h[min]![0]) min = r;
      if (min === i) return top;
      [h[min], h[i]] = [h[i]!, h[min]!];
      i = min;
    }
  }
}

/** The memory store's per-shop session counts, with the semantics of the Redis count sets. */
export class MemorySessionStats {
  private readonly shops = new Map<string, Record<SessionKind, ExpirySet>>();

  added(key: SessionKey, expiresAt: number): void {
    this.sets(key.shopId)[kindOf(key)].set(key.handle, expiresAt);
  }

  /** Moves an entry that is there; never adds one (as ZADD XX). */
  slid(key: SessionKey, expiresAt: number): void {
    const set = this.shops.get(key.shopId)?.[kindOf(key)];
    if (set?.live.has(key.handle)) set.set(key.handle, expiresAt);
  }

  removed(shopId: string, kind: SessionKind, handles: Iterable<string>): void {
    const set = this.shops.get(shopId)?.[kind];
    if (set) for (const handle of handles) set.live.delete(handle);
  }

  /** O(shops + entries that expired since the last prune). */
  read(shopIds: string[], now: number): Map<string, SessionCounts> {
    const counts = new Map<string, SessionCounts>();
    for (const shopId of shopIds) {
      const shop = this.shops.get(shopId);
      shop?.user.prune(now);
      shop?.guest.prune(now);
      counts.set(shopId, { loggedIn: shop?.user.live.size ?? 0, guests: shop?.guest.live.size ?? 0 });
    }
    return counts;
  }

  sweep(now: number): void {
    for (const shop of this.shops.values()) {
      shop.user.prune(now);
      shop.guest.prune(now);
    }
  }

  private sets(shopId: string): Record<SessionKind, ExpirySet> {
    let shop = this.shops.get(shopId);
    if (!shop) this.shops.set(shopId, (shop = { user: new ExpirySet(), guest: new ExpirySet() }));
    return shop;
  }
}
