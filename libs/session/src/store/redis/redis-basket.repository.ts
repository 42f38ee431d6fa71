import type { BasketKind, BasketOwner, BasketRepository, VersionedDocument } from '../basket-repository.js';
import type { SessionKeys } from '../session-keys.js';
import { COMPARE_AND_DELETE, COMPARE_AND_SET } from './basket-scripts.js';
import { LuaScript } from './lua-script.js';
import type { RedisConnection } from './redis-connection.js';

const compareAndSet = new LuaScript(COMPARE_AND_SET);
const compareAndDelete = new LuaScript(COMPARE_AND_DELETE);

/** Carts and wishlists on the same Redis connection as sessions: one GET to read, one script to write. */
export class RedisBasketRepository implements BasketRepository {
  private readonly keys: SessionKeys;

  constructor(private readonly calls: RedisConnection) {
    this.keys = calls.keys;
    calls.preload([compareAndSet, compareAndDelete]);
  }

  async read(owner: BasketOwner, kind: BasketKind): Promise<VersionedDocument | null> {
    const key = this.keys.basket(owner, kind);
    const value = await this.calls.command<string | null>(key, ['GET', key], true);
    if (value === null) return null;
    const bar = value.indexOf('|');
    return { version: Number(value.slice(0, bar)), json: value.slice(bar + 1) };
  }

  async write(owner: BasketOwner, kind: BasketKind, json: string, expectedVersion: number, ttlMs: number): Promise<number | null> {
    const reply = await this.calls.run(compareAndSet, [this.keys.basket(owner, kind)], [String(expectedVersion), json, String(ttlMs)]);
    return reply === 0 ? null : Number(reply);
  }

  async remove(owner: BasketOwner, kind: BasketKind, expectedVersion: number): Promise<boolean> {
    return (await this.calls.run(compareAndDelete, [this.keys.basket(owner, kind)], [String(expectedVersion)])) === 1;
  }
}
