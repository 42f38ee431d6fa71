import type { SessionKeys } from '../session-keys.js';
import type { Clock, UserSessionSummary } from '../session-repository.js';
import { LuaScript } from './lua-script.js';
import type { RedisSessionEvents } from './redis-session-events.js';
import type { RedisSessionStats } from './session-stats.js';
import { DESTROY_CHUNK, LIST_CHUNK } from './user-sessions-scripts.js';

/** Index entries one script call looks at when listing or destroying a user's sessions. */
export const USER_CHUNK = 200;

export const userSessionsScripts = { destroyChunk: new LuaScript(DESTROY_CHUNK), listChunk: new LuaScript(LIST_CHUNK) };

/**
 * All of one user's sessions in a shop, walked in bounded chunks of the user's index (one
 * script per USER_CHUNK entries), the user's primary session with the first: the force-logout
 * and the listing of RedisSessionRepository.
 */
export class RedisUserSessions {
  constructor(
    private readonly keys: SessionKeys,
    private readonly events: RedisSessionEvents,
    private readonly counts: RedisSessionStats,
  ) {}

  /**
   * The first chunk sets the mark (and re-stamps the kept sessions): from then on every
   * session of the user older than it is dead wherever it is read, and the chunks only
   * reclaim what it holds. The last chunk writes session.revoked with the total.
   */
  async destroyAll(shopId: string, userId: string, keepHandles: string[], absoluteTimeoutMs: number, actor: string): Promise<number> {
    const prefix = this.keys.userSessionPrefix(shopId, userId);
    const index = this.keys.index(shopId, userId);
    const mark = this.keys.revoked(shopId, userId);
    const primary = this.keys.primarySession(shopId, userId);
    const subject = { shopId, userId, handle: null };
    let destroyed = 0;
    for (let offset = 0, first = true; ; first = false) {
      const keys = first ? [index, mark, primary, ...keepHandles.map((h) => prefix + h)] : [index, mark, primary];
      const chunkArgs = [prefix, String(offset), String(USER_CHUNK), String(destroyed)];
      if (first) chunkArgs.push(String(absoluteTimeoutMs));
      const reply = await this.events.run(userSessionsScripts.destroyChunk, keys, chunkArgs, subject, actor);
      const [looked, skipped, deleted, ...removed] = reply as [number, number, number, ...string[]];
      destroyed += deleted;
      this.counts.ended(shopId, 'user', pairs(removed));
      offset += skipped;
      if (looked < USER_CHUNK) return destroyed;
    }
  }

  /** `localOffset`: Redis's clock minus the caller's. */
  async list(shopId: string, userId: string, clock: Clock, localOffset: number): Promise<UserSessionSummary[]> {
    const index = this.keys.index(shopId, userId);
    const mark = this.keys.revoked(shopId, userId);
    const prefix = this.keys.userSessionPrefix(shopId, userId);
    const subject = { shopId, userId, handle: null };
    const out: UserSessionSummary[] = [];
    for (let offset = 0, first = true; ; first = false) {
      const listArgs = [prefix, String(offset), String(USER_CHUNK), String(clock.idleTimeoutMs)];
      const keys = first ? [index, mark, this.keys.primarySession(shopId, userId)] : [index, mark];
      const reply = await this.events.run(userSessionsScripts.listChunk, keys, listArgs, subject, '');
      const [looked, kept, ...flat] = reply as [number, number, ...string[]];
      for (let i = 0; i < flat.length; i += 4) {
        out.push({
          handle: flat[i]!,
          createdAt: Number(flat[i + 1]) - localOffset,
          lastSeenAt: Number(flat[i + 2]) - localOffset,
          expiresAt: Number(flat[i + 3]) - localOffset,
        });
      }
      offset += kept;
      if (looked < USER_CHUNK) return out;
    }
  }
}

/** [handle, expiry, handle, expiry, ...] as pairs. */
export function pairs(flat: string[]): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, Number(flat[i + 1])]);
  return out;
}
