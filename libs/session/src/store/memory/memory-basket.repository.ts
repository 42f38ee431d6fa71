import type { BasketKind, BasketOwner, BasketRepository, VersionedDocument } from '../basket-repository.js';
import { SessionKeys } from '../session-keys.js';

/** Development store for carts and wishlists, with the Redis one's compare-and-set semantics. */
export class MemoryBasketRepository implements BasketRepository {
  private readonly keys = new SessionKeys('mem');
  private readonly documents = new Map<string, VersionedDocument & { expiresAt: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  async read(owner: BasketOwner, kind: BasketKind): Promise<VersionedDocument | null> {
    const doc = this.live(this.keys.basket(owner, kind));
    return doc ? { json: doc.json, version: doc.version } : null;
  }

  async write(owner: BasketOwner, kind: BasketKind, json: string, expectedVersion: number, ttlMs: number): Promise<number | null> {
    const key = this.keys.basket(owner, kind);
    const version = this.live(key)?.version ?? 0;
    if (version !== expectedVersion) return null;
    this.documents.set(key, { json, version: version + 1, expiresAt: this.clock() + ttlMs });
    return version + 1;
  }

  async remove(owner: BasketOwner, kind: BasketKind, expectedVersion: number): Promise<boolean> {
    const key = this.keys.basket(owner, kind);
    if ((this.live(key)?.version ?? 0) !== expectedVersion) return false;
    this.documents.delete(key);
    return true;
  }

  /** For the session store's login step, which writes baskets in the same synchronous step. */
  versionOf(owner: BasketOwner, kind: BasketKind): number {
    return this.live(this.keys.basket(owner, kind))?.version ?? 0;
  }

  /** Writes unconditionally (null deletes); the caller checked the version in the same step. */
  put(owner: BasketOwner, kind: BasketKind, json: string | null, ttlMs: number): void {
    const key = this.keys.basket(owner, kind);
    const version = this.live(key)?.version ?? 0;
    if (json === null) this.documents.delete(key);
    else this.documents.set(key, { json, version: version + 1, expiresAt: this.clock() + ttlMs });
  }

  private live(key: string): (VersionedDocument & { expiresAt: number }) | undefined {
    const doc = this.documents.get(key);
    if (doc && doc.expiresAt <= this.clock()) {
      this.documents.delete(key);
      return undefined;
    }
    return doc;
  }
}
