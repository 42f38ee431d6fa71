import { lua, NOW } from './lua-fragments.js';

/**
 * The scripts behind the shops' session counts (session-stats.ts). Each works on one count
 * bucket and does bounded work.
 *
 * Count buckets: HASH of expiry minute -> sessions, plus 'n' (the sum of the minute fields
 * present) and 'lo' (the first minute not pruned yet; every minute field is >= lo). So a
 * read is n minus the passed minutes not pruned yet, and pruning walks minutes from lo.
 */

/**
 * A count bucket, read. KEYS: bucket. ARGV: minute. The sessions expiring in `minute` or
 * later: O(passed minutes not pruned yet), which the writes' pruning keeps near 0; after a
 * day without writes, O(minute fields present).
 */
export const COUNT_READ = `
local from = tonumber(ARGV[1])
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local lo = tonumber(redis.call('HGET', KEYS[1], 'lo') or ARGV[1])
if from - lo <= 1440 then
  for m = lo, from - 1 do n = n - tonumber(redis.call('HGET', KEYS[1], m) or '0') end
  return n
end
-- Not pruned for a day (no writes): count the minutes present instead, which are few then.
n = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local m = tonumber(all[i])
  if m and m >= from then n = n + tonumber(all[i + 1]) end
end
return n
`;

/**
 * Sessions' counts move between expiry minutes. KEYS: bucket. ARGV: minute, delta, ...
 * Minutes before 'lo' are pruned (they no longer count) and left alone. A field that reaches
 * 0 is deleted, and the bucket with its last one.
 */
export const COUNT_MOVE = lua(
  NOW,
  `
redis.call('HSETNX', KEYS[1], 'lo', math.floor(now / 60000))
local lo = tonumber(redis.call('HGET', KEYS[1], 'lo'))
for i = 1, #ARGV, 2 do
  local m, d = ARGV[i], tonumber(ARGV[i + 1])
  if tonumber(m) >= lo then
    redis.call('HINCRBY', KEYS[1], 'n', d)
    if redis.call('HINCRBY', KEYS[1], m, d) == 0 then redis.call('HDEL', KEYS[1], m) end
  end
end
if redis.call('HLEN', KEYS[1]) <= 2 and tonumber(redis.call('HGET', KEYS[1], 'n') or '0') == 0 then redis.call('DEL', KEYS[1]) end
return 1
`,
);

/**
 * One bounded pruning step of a count bucket. KEYS: bucket. ARGV: maxMinutes.
 * Drops up to maxMinutes passed minutes from 'lo' on, taking them out of 'n'.
 */
export const COUNT_PRUNE = lua(
  NOW,
  `
local lo = tonumber(redis.call('HGET', KEYS[1], 'lo') or '0')
if lo == 0 then return 0 end
local upto = math.min(math.floor(now / 60000) - 1, lo + tonumber(ARGV[1]) - 1)
local pruned = 0
for m = lo, upto do
  local v = redis.call('HGET', KEYS[1], m)
  if v then
    redis.call('HINCRBY', KEYS[1], 'n', -tonumber(v))
    redis.call('HDEL', KEYS[1], m)
    pruned = pruned + 1
  end
end
if upto >= lo then redis.call('HSET', KEYS[1], 'lo', upto + 1) end
if redis.call('HLEN', KEYS[1]) <= 2 and tonumber(redis.call('HGET', KEYS[1], 'n') or '0') == 0 then redis.call('DEL', KEYS[1]) end
return pruned
`,
);
