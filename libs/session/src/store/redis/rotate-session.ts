import type { SessionKeys } from '../session-keys.js';
import type { Clock, SessionKey } from '../session-repository.js';
import type { ReauthUpdate, RotateResult } from '../session-rotation.js';
import { evented } from './event-lua.js';
import { LOCATE, NOW, REVOCATION, SESSION_VALUE } from './lua-fragments.js';
import { LuaScript } from './lua-script.js';
import type { RedisSessionStats } from './session-stats.js';

/**
 * KEYS: session, newSession, index, revocationMark, primary (all in the user's slot; the
 * sessions' own keys). A session in the user's primary key stays there under its new handle.
 * ARGV: idleMs, handle, newHandle, authMethod, sealedProviderSession|''; then the event context.
 * Returns {0, now, endedExpiry} when the session is missing, past its absolute end or
 * revoked (deleted then; no event, as a resolve that finds it so), else
 * {1, now, previousExpiry, expiresAt, inPrimary (1 in the user's primary key)}. The value keeps c, x, u, d and b; `a` becomes now and
 * `m` the method (stored value format: session-value.ts, read and written with the
 * SESSION_VALUE fragment). Events: session.loggedIn for the new handle and session.loggedOut
 * for the old, both with `reason: reauthenticated`.
 */
export const ROTATE_FOR_REAUTH = evented(
  NOW,
  REVOCATION,
  SESSION_VALUE,
  LOCATE,
  `
local k, v = locate(KEYS[1], KEYS[5], ARGV[2])
if not v then
  redis.call('ZREM', KEYS[3], ARGV[2])
  return {0, ms(now), '0'}
end
local s = session_decode(v)
local previous = math.max(redis.call('PEXPIRETIME', k), 0)
if s.x <= now or revoked(s.a, redis.call('GET', KEYS[4])) then
  redis.call('DEL', k)
  redis.call('ZREM', KEYS[3], ARGV[2])
  return {0, ms(now), ms(previous)}
end
s.a = now
s.m = ARGV[4]
if ARGV[5] ~= '' then s.p = ARGV[5] end
local exp = math.min(now + tonumber(ARGV[1]), s.x)
if k == KEYS[5] then
  s.h = ARGV[3]
  redis.call('SET', k, session_encode(s), 'PXAT', ms(exp))
else
  redis.call('SET', KEYS[2], session_encode(s), 'PXAT', ms(exp))
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('ZADD', KEYS[3], ms(now), ARGV[3])
  -- An index that had vanished is not left without an expiry: it ends with the session at the latest.
  if redis.call('PTTL', KEYS[3]) == -1 then redis.call('PEXPIREAT', KEYS[3], ms(s.x)) end
end
emit('session.loggedIn', ARGV[3], {'reason', 'reauthenticated'})
emit('session.loggedOut', ARGV[2], {'reason', 'reauthenticated'})
return {1, ms(now), ms(previous), ms(exp), k == KEYS[5] and 1 or 0}
`,
);

export const rotateScript = new LuaScript(ROTATE_FOR_REAUTH);

/** The script's keys and arguments for a rotation of `from` to `toHandle`. */
export function rotateCall(
  keys: SessionKeys,
  from: SessionKey,
  toHandle: string,
  update: ReauthUpdate,
  clock: Clock,
): { keys: string[]; args: string[] } {
  const userId = from.userId;
  if (userId === null) throw new Error('only a user-bound session is re-authenticated');
  return {
    keys: [
      keys.session(from),
      keys.session({ ...from, handle: toHandle }),
      keys.index(from.shopId, userId),
      keys.revoked(from.shopId, userId),
      keys.primarySession(from.shopId, userId),
    ],
    args: [String(clock.idleTimeoutMs), from.handle, toHandle, update.authMethod, update.providerSession ?? ''],
  };
}

/**
 * Reads the script's reply, moving the session between the shop's counts; `offset`: Redis's
 * clock minus the caller's. `inPrimary`: the rotated session is in the user's primary key.
 */
export function rotateOutcome(
  reply: unknown,
  from: SessionKey,
  toHandle: string,
  counts: RedisSessionStats,
  offset: number,
): { result: RotateResult; inPrimary: boolean } {
  const [status, now, previous, expiresAt, inPrimary] = (reply as unknown[]).map(Number) as [number, number, number, number, number];
  if (status === 0) {
    if (previous > 0) counts.moved(from, previous, null);
    return { result: { status: 'gone' }, inPrimary: false };
  }
  counts.moved(from, previous, null);
  counts.moved({ ...from, handle: toHandle }, null, expiresAt);
  return { result: { status: 'rotated', authenticatedAt: now - offset, expiresAt: expiresAt - offset }, inPrimary: inPrimary === 1 };
}
