import { sessionEventStreamKey } from '#libs/contracts';
import type { BasketKind, BasketOwner } from './basket-repository.js';
import type { ThrottleSubject } from './login-throttle-repository.js';
import type { SessionKey } from './session-repository.js';

/** Which of a shop's two session counts a session is in. */
export type SessionKind = 'user' | 'guest';

/** Each shop's counts are spread over this many keys (by handle), so no one slot is hot. */
export const COUNT_BUCKETS = 16;

/** The count bucket of a session: its handle's first character (uniform: a hash). */
export function countBucket(handle: string): number {
  return handle.charCodeAt(0) % COUNT_BUCKETS;
}

/**
 * Key layout. Everything of one (shop, user) shares the hash tag `{<shop>|u:<user>}`, so a
 * user's sessions, index and revocation mark live in one Redis Cluster slot and can be
 * changed by one script. A guest session is tagged by its own handle.
 *
 *   <p>:s:{<shop>|g:<handle>}            guest session
 *   <p>:s:{<shop>|u:<user>}              the user's primary session: one of the user's sessions (its value
 *                                        names its handle), kept out of the index, so a user with one
 *                                        session costs one key
 *   <p>:s:{<shop>|u:<user>}:<handle>     the user's other sessions
 *   <p>:ix:{<shop>|u:<user>}             ZSET handle -> last seen (ms) of the other sessions
 *   <p>:rv:{<shop>|u:<user>}             revocation mark (ms)
 *   <p>:cart:{<shop>|g:<handle>}         a guest's cart; <p>:cart:{<shop>|u:<user>} a customer's
 *   <p>:wishlist:{...}                   likewise
 *   <p>:merged:{<shop>|u:<user>}:<guest handle>   "this guest session's baskets were merged"
 *   <p>:st:{<shop>|<bucket>}:user | :guest   HASH expiry minute -> sessions: the shop's stored sessions, for admin.stats
 *   <p>:ev:{<shop>}                      STREAM the shop's session events (sessionEventStreamKey in #libs/contracts)
 *   <p>:lt:{<shop>|a:<hmac>}:n | :l      login throttle of an account: ZSET attempt token -> ms, HASH its lock-out
 *   <p>:lt:{<shop>|k:<hmac>}:n | :l      the same per client key
 *
 * The counts are tagged by shop and bucket (COUNT_BUCKETS per shop, chosen by handle), so
 * they spread over several slots: they are written next to a session's script, never inside it.
 */
export class SessionKeys {
  constructor(private readonly prefix: string) {}

  session(key: SessionKey): string {
    return key.userId === null
      ? `${this.prefix}:s:{${key.shopId}|g:${key.handle}}`
      : `${this.userSessionPrefix(key.shopId, key.userId)}${key.handle}`;
  }

  /** The key that holds one of the user's sessions without an index entry (session-keys.ts layout). */
  primarySession(shopId: string, userId: string): string {
    return `${this.prefix}:s:{${shopId}|u:${userId}}`;
  }

  userSessionPrefix(shopId: string, userId: string): string {
    return `${this.prefix}:s:{${shopId}|u:${userId}}:`;
  }

  index(shopId: string, userId: string): string {
    return `${this.prefix}:ix:{${shopId}|u:${userId}}`;
  }

  revoked(shopId: string, userId: string): string {
    return `${this.prefix}:rv:{${shopId}|u:${userId}}`;
  }

  basket(owner: BasketOwner, kind: BasketKind): string {
    return 'userId' in owner
      ? `${this.prefix}:${kind}:{${owner.shopId}|u:${owner.userId}}`
      : `${this.prefix}:${kind}:{${owner.shopId}|g:${owner.guestHandle}}`;
  }

  mergedMarker(shopId: string, userId: string, guestHandle: string): string {
    return `${this.prefix}:merged:{${shopId}|u:${userId}}:${guestHandle}`;
  }

  stats(shopId: string, kind: SessionKind, bucket: number): string {
    return `${this.prefix}:st:{${shopId}|${bucket}}:${kind}`;
  }

  audit(): string {
    return `${this.prefix}:audit`;
  }

  events(shopId: string): string {
    return sessionEventStreamKey(this.prefix, shopId);
  }

  /** [attempts, lock] of one throttled subject: one hash tag, so one script on one slot. */
  throttle(subject: ThrottleSubject): [string, string] {
    const tag = `${this.prefix}:lt:{${subject.shopId}|${subject.kind === 'account' ? 'a' : 'k'}:${subject.hash}}`;
    return [`${tag}:n`, `${tag}:l`];
  }
}
