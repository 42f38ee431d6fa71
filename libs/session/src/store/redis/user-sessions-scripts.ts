import { evented } from './event-lua.js';
import { LOCATE, NOW, REVOCATION, SESSION_VALUE } from './lua-fragments.js';

/**
 * The scripts that walk a user's sessions in bounded chunks of the user's index (force-logout,
 * listing), with the user's primary session, which the index does not list (session-keys.ts).
 * Stored values and time as in session-scripts.ts.
 */

/**
 * One bounded step of a force-logout. KEYS: index, revocationMark, primary [, keptSession...]
 * (the kept sessions' own keys). ARGV: userSessionKeyPrefix, offset, count, destroyedBefore
 * [, absoluteMs].
 * The first step (with absoluteMs and the kept sessions) first sets the mark to now (Redis's
 * clock; never moves it back) and re-stamps the kept sessions with it, so the mark spares
 * them: from then on every older session is dead wherever it is read.
 * Each step deletes the primary session when the mark revoked it, then looks at `count` index
 * entries from rank `offset`: deletes the sessions the mark revoked (authenticated before it)
 * and the entries of sessions that are gone
 * (session.expired); skips the others (kept, or logged in since). The last step (fewer than
 * `count` entries) writes session.revoked with the total count (destroyedBefore + its own):
 * for a user with at most `count` sessions, the mark, the deletions and the event are one
 * atomic step.
 * Returns {looked, skipped, deleted, handle, expiry, ...} for the sessions deleted.
 */
export const DESTROY_CHUNK = evented(
  NOW,
  REVOCATION,
  SESSION_VALUE,
  LOCATE,
  `
if ARGV[5] then
  local m = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), now)
  redis.call('SET', KEYS[2], ms(m), 'PX', ARGV[5])
  for i = 4, #KEYS do
    local k, v = locate(KEYS[i], KEYS[3], string.sub(KEYS[i], #ARGV[1] + 1))
    if v then
      local s = session_decode(v)
      if revoked(s.a, m) then
        s.a = m
        redis.call('SET', k, session_encode(s), 'KEEPTTL')
      end
    end
  end
end
local mark = redis.call('GET', KEYS[2])
local out = {0, 0, 0}
local function delete(k, h)
  local e = redis.call('PEXPIRETIME', k)
  redis.call('DEL', k)
  out[3] = out[3] + 1
  table.insert(out, h)
  table.insert(out, string.format('%d', math.max(e, 0)))
end
local pv = redis.call('GET', KEYS[3])
if pv then
  local s = session_decode(pv)
  if revoked(s.a, mark) then delete(KEYS[3], s.h or '') end
end
local entries = redis.call('ZRANGE', KEYS[1], ARGV[2], tonumber(ARGV[2]) + tonumber(ARGV[3]) - 1)
out[1] = #entries
for _, h in ipairs(entries) do
  local k = ARGV[1] .. h
  local v = redis.call('GET', k)
  if not v then
    redis.call('ZREM', KEYS[1], h)
    emit('session.expired', h)
  else
    local s = session_decode(v)
    if revoked(s.a, mark) then
      delete(k, h)
      redis.call('ZREM', KEYS[1], h)
    else
      out[2] = out[2] + 1
    end
  end
end
if #entries < tonumber(ARGV[3]) then emit('session.revoked', '', {'count', tostring(tonumber(ARGV[4]) + out[3])}) end
return out
`,
);

/**
 * One bounded step of listing a user's sessions. KEYS: index, revocationMark [, primary] (the
 * first step lists the primary session too). ARGV: userSessionKeyPrefix, offset, count, idleMs.
 * Prunes entries of ended sessions (session.expired). Returns {looked, kept, handle,
 * createdAt, lastSeenAt, expiresAt, ...} (looked, kept: index entries looked at, and left in
 * the index among them, live or not).
 */
export const LIST_CHUNK = evented(
  NOW,
  REVOCATION,
  SESSION_VALUE,
  `
local mark = redis.call('GET', KEYS[2])
local members = redis.call('ZRANGE', KEYS[1], ARGV[2], tonumber(ARGV[2]) + tonumber(ARGV[3]) - 1, 'WITHSCORES')
local out = {#members / 2, 0}
local oldest = now - tonumber(ARGV[4])
local pv = KEYS[3] and redis.call('GET', KEYS[3])
if pv then
  local s = session_decode(pv)
  local e = redis.call('PEXPIRETIME', KEYS[3])
  if s.x > now and e > 0 and not revoked(s.a, mark) then
    table.insert(out, s.h or '')
    table.insert(out, ms(s.c))
    table.insert(out, ms(math.max(s.c, math.min(now, e - tonumber(ARGV[4])))))
    table.insert(out, ms(e))
  end
end
for i = 1, #members, 2 do
  local h = members[i]
  local v = nil
  if tonumber(members[i + 1]) >= oldest then v = redis.call('GET', ARGV[1] .. h) end
  if not v then
    redis.call('ZREM', KEYS[1], h)
    emit('session.expired', h)
  else
    out[2] = out[2] + 1
    local s = session_decode(v)
    if s.x > now and not revoked(s.a, mark) then
      table.insert(out, h)
      table.insert(out, ms(s.c))
      table.insert(out, members[i + 1])
      table.insert(out, ms(redis.call('PEXPIRETIME', ARGV[1] .. h)))
    end
  end
end
return out
`,
);
