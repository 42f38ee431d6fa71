/**
 * Lua scripts for everything beyond get/set. Each touches only keys of one hash tag,
 * runs in O(1) or O(one user's sessions), and never scans the keyspace.
 *
 * Stored value: JSON {c: createdAt, x: absoluteExpiresAt, a?: authenticatedAt, u?: userJson, d?: customDataJson}.
 * `u` and `d` are JSON *strings*, so cjson never re-encodes caller data (it would turn [] into {}).
 * Timestamps are ms since the epoch, passed in by the service (Lua scripts must be deterministic).
 */

/**
 * KEYS: session [, revocationMark, index]. ARGV: now, idleMs, handle, touchAfterMs.
 * Returns {value, expiresAt, extended (0|1)} or nil. The expiry (and last-seen) move only
 * when that gains at least touchAfterMs, so most resolves of a busy session write nothing.
 */
export const RESOLVE = `
local v = redis.call('GET', KEYS[1])
if not v then return false end
local s = cjson.decode(v)
local now = tonumber(ARGV[1])
if s.x <= now then
  redis.call('DEL', KEYS[1])
  if KEYS[3] then redis.call('ZREM', KEYS[3], ARGV[3]) end
  return false
end
if KEYS[2] then
  local rv = redis.call('GET', KEYS[2])
  if rv and (s.a or 0) < tonumber(rv) then
    redis.call('DEL', KEYS[1])
    redis.call('ZREM', KEYS[3], ARGV[3])
    return false
  end
end
local exp = math.min(now + tonumber(ARGV[2]), s.x)
local current = now + redis.call('PTTL', KEYS[1])
if exp - current < tonumber(ARGV[4]) then return {v, current, 0} end
redis.call('PEXPIREAT', KEYS[1], string.format('%d', exp))
if KEYS[3] then redis.call('ZADD', KEYS[3], 'XX', ARGV[1], ARGV[3]) end
return {v, exp, 1}
`;

/** KEYS: session. ARGV: now, idleMs, fieldsJson, seedJson|''. Returns 1 when written, 2 when created from the seed, 0 otherwise. */
export const PATCH = `
local v = redis.call('GET', KEYS[1])
local s
if v then s = cjson.decode(v)
elseif ARGV[4] ~= '' then s = cjson.decode(ARGV[4])
else return 0 end
for k, val in pairs(cjson.decode(ARGV[3])) do
  if val == cjson.null then s[k] = nil else s[k] = val end
end
if v then
  redis.call('SET', KEYS[1], cjson.encode(s), 'KEEPTTL')
  return 1
end
local now = tonumber(ARGV[1])
local exp = math.min(now + tonumber(ARGV[2]), s.x)
if exp <= now then return 0 end
redis.call('SET', KEYS[1], cjson.encode(s), 'PXAT', string.format('%d', exp))
return 2
`;

/**
 * KEYS: session, index, revocationMark [, customerCart, customerWishlist, mergedMarker].
 * ARGV: now, idleMs, absoluteMs, handle, value, authenticatedAt, absoluteExpiresAt
 *       [, markerTtlMs, basketTtlMs, cartVersion, cartJson, wishlistVersion, wishlistJson].
 * With the basket keys, the guest's merged baskets are written in the same step, unless the
 * marker says this guest session was merged already. Basket values are `<version>|<json>`;
 * an empty json deletes. Returns 0 revoked, 2 conflict (a basket version moved),
 * 1 created, 3 created and merged.
 */
export const CREATE_USER_BOUND = `
local now = tonumber(ARGV[1])
local rv = redis.call('GET', KEYS[3])
if rv and tonumber(ARGV[6]) < tonumber(rv) then return 0 end
local merged = 0
if KEYS[6] and redis.call('EXISTS', KEYS[6]) == 0 then
  local function version(k)
    local cur = redis.call('GET', k)
    if cur then return tonumber(string.match(cur, '^(%d+)|')) end
    return 0
  end
  local vc, vw = version(KEYS[4]), version(KEYS[5])
  if vc ~= tonumber(ARGV[10]) or vw ~= tonumber(ARGV[12]) then return 2 end
  local function put(k, v, json)
    if json == '' then redis.call('DEL', k) else redis.call('SET', k, (v + 1) .. '|' .. json, 'PX', ARGV[9]) end
  end
  put(KEYS[4], vc, ARGV[11])
  put(KEYS[5], vw, ARGV[13])
  redis.call('SET', KEYS[6], '1', 'PX', ARGV[8])
  merged = 2
end
local exp = math.min(now + tonumber(ARGV[2]), tonumber(ARGV[7]))
redis.call('SET', KEYS[1], ARGV[5], 'PXAT', string.format('%d', exp))
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.format('%d', now - tonumber(ARGV[2])))
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
return 1 + merged
`;

/** KEYS: session, index. ARGV: handle. Returns the number of sessions deleted. */
export const DESTROY_USER_BOUND = `
local n = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return n
`;

/**
 * KEYS: index, revocationMark. ARGV: userSessionKeyPrefix, now, absoluteMs, keepHandle...
 * The session keys are derived from the index: they share its hash tag, hence its slot.
 * Kept sessions are re-stamped so the new revocation mark spares them.
 * Returns {destroyed, handle...}: the number of sessions deleted, then every handle taken
 * out of the index (so the caller can drop them from the shop's count set too).
 */
export const DESTROY_FOR_USER = `
local now = tonumber(ARGV[2])
local keep = {}
for i = 4, #ARGV do keep[ARGV[i]] = true end
local out = {0}
for _, h in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local k = ARGV[1] .. h
  if keep[h] then
    local v = redis.call('GET', k)
    if v then
      local s = cjson.decode(v)
      s.a = now
      redis.call('SET', k, cjson.encode(s), 'KEEPTTL')
    else
      redis.call('ZREM', KEYS[1], h)
      table.insert(out, h)
    end
  else
    out[1] = out[1] + redis.call('DEL', k)
    redis.call('ZREM', KEYS[1], h)
    table.insert(out, h)
  end
end
local rv = redis.call('GET', KEYS[2])
if not rv or tonumber(rv) < now then
  redis.call('SET', KEYS[2], string.format('%d', now), 'PX', ARGV[3])
end
return out
`;

/** KEYS: index. ARGV: userSessionKeyPrefix, now, idleMs. Returns flat [handle, createdAt, lastSeenAt, absoluteExpiresAt, ...]. */
export const LIST_FOR_USER = `
local now = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now - tonumber(ARGV[3])))
local members = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #members, 2 do
  local h = members[i]
  local v = redis.call('GET', ARGV[1] .. h)
  if v then
    local s = cjson.decode(v)
    if s.x > now then
      table.insert(out, h)
      table.insert(out, string.format('%d', s.c))
      table.insert(out, members[i + 1])
      table.insert(out, string.format('%d', s.x))
    end
  else
    redis.call('ZREM', KEYS[1], h)
  end
end
return out
`;
