import { evented } from './event-lua.js';
import { DOCUMENT, LOCATE, lua, NOW, REVOCATION, SESSION_VALUE } from './lua-fragments.js';

/**
 * Lua scripts for everything beyond get/set, composed from the shared fragments of
 * lua-fragments.ts. Each touches only keys of its first key's hash tag (and, on one node, the
 * shop's event stream: event-lua.ts), and does bounded work: O(1), O(the user's session
 * limit) or O(one chunk). Nothing scans the keyspace or walks a whole index.
 *
 * Stored value (session-value.ts; read and written here with session_decode/session_encode of
 * SESSION_VALUE): fields c: createdAt, x: absoluteExpiresAt, a?: authenticatedAt,
 * u?: userJson, d?: customDataJson, b?: 1, p?: sealed provider session. `u` and `d` stay text,
 * so cjson never re-encodes caller data (it would turn [] into {}); the JSON the scripts take
 * as arguments (fields, seeds) carries them as JSON strings.
 *
 * Time is Redis's: every instant stored is ms on Redis's clock, and the scripts read it with
 * TIME (Redis 7 replicates a script's effects, so TIME before a write is allowed). A session's
 * current expiry is its key's (PEXPIRETIME): the value does not repeat it.
 *
 * A user's primary session (session-keys.ts) holds `h`, its handle, and has no index entry:
 * a script given a user-bound session's own key and the primary key finds it with LOCATE.
 * Its last-seen is its expiry minus the idle timeout (what the slide that set the expiry
 * saw), capped by now.
 */

/**
 * KEYS: session [, revocationMark [, index]]: the session's own key, or the user's primary key
 * (then without index). ARGV: idleMs, touchAfterMs, handle.
 * Returns false when missing (or the primary key holds another session); {0, now, endedExpiry} when it ended here (deleted: expired or
 * revoked); else {value, now, expiresAt, extended (0|1), previousExpiry}.
 */
export const RESOLVE = lua(
  NOW,
  REVOCATION,
  SESSION_VALUE,
  `local v = redis.call('GET', KEYS[1])
if not v then return false end
local s = session_decode(v)
if s.h and s.h ~= ARGV[3] then return false end
local current = redis.call('PEXPIRETIME', KEYS[1])
local function ended()
  redis.call('DEL', KEYS[1])
  if KEYS[3] then redis.call('ZREM', KEYS[3], ARGV[3]) end
  return {0, ms(now), ms(current)}
end
if s.x <= now then return ended() end
if KEYS[2] and revoked(s.a, redis.call('GET', KEYS[2])) then return ended() end
local exp = math.min(now + tonumber(ARGV[1]), s.x)
if exp - current < tonumber(ARGV[2]) then return {v, ms(now), ms(current), 0, ms(current)} end
redis.call('PEXPIREAT', KEYS[1], ms(exp))
if KEYS[3] then redis.call('ZADD', KEYS[3], 'XX', ms(now), ARGV[3]) end
return {v, ms(now), ms(exp), 1, ms(current)}
`,
);

/**
 * Every script below takes the event context after its own KEYS and ARGV (see event-lua.ts)
 * and writes the session events of the change it makes.
 */

/** KEYS: session. ARGV: value (session-value.ts), ttlMs. Stores a brand-new guest session: session.created. */
export const CREATE_GUEST = evented(`
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
emit('session.created')
return 1
`);

/**
 * KEYS: session [, primary] (a user-bound session's own key and the user's primary key).
 * ARGV: idleMs, fieldsJson, seedJson|'', handle.
 * Returns {0, now} when nothing was written, {1, now} when written, {2, now, expiresAt} when
 * created from the seed (session.created). A write of `u` is session.userUpdated.
 */
export const PATCH = evented(
  NOW,
  SESSION_VALUE,
  LOCATE,
  `
local k, v = locate(KEYS[1], KEYS[2], ARGV[4])
local s
if v then s = session_decode(v)
elseif ARGV[3] ~= '' then s = cjson.decode(ARGV[3])
else return {0, ms(now)} end
local fields = cjson.decode(ARGV[2])
for k, val in pairs(fields) do
  if val == cjson.null then s[k] = nil else s[k] = val end
end
if v then
  redis.call('SET', k, session_encode(s), 'KEEPTTL')
  if fields.u ~= nil then emit('session.userUpdated') end
  return {1, ms(now)}
end
local exp = math.min(now + tonumber(ARGV[1]), s.x)
if exp <= now then return {0, ms(now)} end
redis.call('SET', KEYS[1], session_encode(s), 'PXAT', ms(exp))
emit('session.created')
return {2, ms(now), ms(exp)}
`,
);

/**
 * KEYS: session, index, revocationMark, primary [, customerCart, customerWishlist, mergedMarker].
 * ARGV: idleMs, absoluteMs, handle, valueJson, authenticatedAt, maxSessions (0: none),
 *       policy ('evict-oldest'|'refuse'), userSessionKeyPrefix, primarySessions ('1'|'0')
 *       [, markerTtlMs, basketTtlMs, cartVersion, cartJson, wishlistVersion, wishlistJson].
 * With the basket keys, the guest's merged baskets are written in the same step, unless the
 * marker says this guest session was merged already. Basket values are `<version>|<json>`;
 * an empty json deletes.
 *
 * The session goes to the user's primary key when that is free (and primarySessions is '1'),
 * else to its own key and the index.
 *
 * The limit: index entries idle for longer than idleMs are ended sessions and are pruned
 * (at most LIMIT_STEPS per login; session.expired); then, while the user holds maxSessions
 * or more (the primary and the index), the least recently seen is ended (evict-oldest;
 * session.destroyed, reason evicted), or the login is refused when they are all live.
 *
 * Returns {status, now, expiresAt, inPrimary (1 when it went to the primary key), evictedHandle,
 * evictedExpiry, ...}: status 0 revoked,
 * 2 conflict (a basket version moved), 4 too many sessions, 1 created, 3 created and merged
 * (session.loggedIn).
 */
export const CREATE_USER_BOUND = evented(
  NOW,
  DOCUMENT,
  REVOCATION,
  SESSION_VALUE,
  `
local LIMIT_STEPS = 200
local idle = tonumber(ARGV[1])
local P = KEYS[4]
if revoked(ARGV[5], redis.call('GET', KEYS[3])) then return {0, ms(now)} end
local max = tonumber(ARGV[6])
local prefix = ARGV[8]
for _, h in ipairs(redis.call('ZRANGE', KEYS[2], '-inf', '(' .. ms(now - idle), 'BYSCORE', 'LIMIT', 0, LIMIT_STEPS)) do
  redis.call('ZREM', KEYS[2], h)
  emit('session.expired', h)
end
if max > 0 and ARGV[7] == 'refuse' and redis.call('ZCARD', KEYS[2]) + redis.call('EXISTS', P) >= max then
  -- Entries whose session is gone (ended early, revoked) do not count.
  local live = redis.call('EXISTS', P)
  for _, h in ipairs(redis.call('ZRANGE', KEYS[2], 0, max + LIMIT_STEPS - 1)) do
    if redis.call('EXISTS', prefix .. h) == 1 then live = live + 1 else
      redis.call('ZREM', KEYS[2], h)
      emit('session.expired', h)
    end
  end
  if live >= max then return {4, ms(now)} end
end
local merged = 0
if KEYS[7] and redis.call('EXISTS', KEYS[7]) == 0 then
  local vc, vw = doc_version(KEYS[5]), doc_version(KEYS[6])
  if vc ~= tonumber(ARGV[12]) or vw ~= tonumber(ARGV[14]) then return {2, ms(now)} end
  local function put(k, v, json)
    if json == '' then redis.call('DEL', k) else doc_set(k, v, json, ARGV[11]) end
  end
  put(KEYS[5], vc, ARGV[13])
  put(KEYS[6], vw, ARGV[15])
  redis.call('SET', KEYS[7], '1', 'PX', ARGV[10])
  merged = 2
end
local out = {1 + merged, ms(now), 0, 0}
if max > 0 and ARGV[7] ~= 'refuse' then
  local n = redis.call('ZCARD', KEYS[2]) + redis.call('EXISTS', P)
  local steps = 0
  while n >= max and steps < LIMIT_STEPS do
    local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    local pe = redis.call('PEXPIRETIME', P)
    if #first == 0 and pe <= 0 then break end
    if pe > 0 and (#first == 0 or pe - idle <= tonumber(first[2])) then
      -- The primary was seen last when its expiry was set: it is the least recently seen.
      local h = session_decode(redis.call('GET', P)).h or ''
      redis.call('DEL', P)
      table.insert(out, h)
      table.insert(out, ms(pe))
      emit('session.destroyed', h, {'reason', 'evicted'})
    else
      local h = first[1]
      local old = redis.call('PEXPIRETIME', prefix .. h)
      if old ~= -2 then
        redis.call('DEL', prefix .. h)
        table.insert(out, h)
        table.insert(out, ms(math.max(old, 0)))
        emit('session.destroyed', h, {'reason', 'evicted'})
      else
        emit('session.expired', h)
      end
      redis.call('ZREM', KEYS[2], h)
    end
    n = n - 1
    steps = steps + 1
  end
end
local s = cjson.decode(ARGV[4])
s.c = math.min(s.c, now)
local exp = math.min(now + idle, s.x)
if ARGV[9] == '1' and redis.call('EXISTS', P) == 0 then
  s.h = ARGV[3]
  redis.call('SET', P, session_encode(s), 'PXAT', ms(exp))
  out[4] = 1
else
  redis.call('SET', KEYS[1], session_encode(s), 'PXAT', ms(exp))
  redis.call('ZADD', KEYS[2], ms(now), ARGV[3])
  if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
end
emit('session.loggedIn')
out[3] = ms(exp)
return out
`,
);

/**
 * KEYS: session [, index, primary]. ARGV: handle. Returns the deleted session's expiry, or 0
 * when there was none. A deletion is the caller's event type (session.loggedOut or
 * session.destroyed).
 */
export const DESTROY = evented(
  SESSION_VALUE,
  LOCATE,
  `
local k = locate(KEYS[1], KEYS[3], ARGV[1])
local e = redis.call('PEXPIRETIME', k)
if KEYS[2] then redis.call('ZREM', KEYS[2], ARGV[1]) end
if e == -2 then return 0 end
redis.call('DEL', k)
emit(EV_KIND)
return string.format('%d', math.max(e, 1))
`,
);
