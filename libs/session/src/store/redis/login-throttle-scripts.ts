import { lua, NOW } from './lua-fragments.js';

/**
 * Lua scripts of the login throttle. Each touches the two keys of one subject, which share
 * a hash tag (one Redis Cluster slot), and does O(maxFailures) work at most. Time is Redis's
 * (TIME, the shared NOW fragment), so every replica counts and locks on one clock; replies
 * carry durations only.
 *
 * Keys: attempts (ZSET token -> attempt ms), lock (HASH until, level).
 */

/**
 * ARGV: windowMs, maxFailures, token. Returns {1, 0} when the attempt is recorded, {0,
 * retryAfterMs} when refused (locked, or maxFailures attempts in the window).
 */
export const THROTTLE_ATTEMPT = lua(
  NOW,
  `
local window = tonumber(ARGV[1])
local untilMs = tonumber(redis.call('HGET', KEYS[2], 'until') or '0')
if untilMs > now then return {0, ms(untilMs - now)} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ms(now - window))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, ms(math.max(1, tonumber(oldest[2]) + window - now))}
end
redis.call('ZADD', KEYS[1], ms(now), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ms(window))
return {1, '0'}
`,
);

/**
 * ARGV: windowMs, maxFailures, lockMs, maxLockMs. Returns {0, level} when the subject stays
 * open, {lockedForMs, level} when this failure locked it.
 */
export const THROTTLE_FAILED = lua(
  NOW,
  `
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ms(now - window))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  return {'0', redis.call('HGET', KEYS[2], 'level') or '0'}
end
local level = redis.call('HINCRBY', KEYS[2], 'level', 1)
local lock = math.min(tonumber(ARGV[3]) * 2 ^ (level - 1), tonumber(ARGV[4]))
redis.call('HSET', KEYS[2], 'until', ms(now + lock))
redis.call('PEXPIRE', KEYS[2], ms(lock + window))
redis.call('DEL', KEYS[1])
return {ms(lock), tostring(level)}
`,
);
