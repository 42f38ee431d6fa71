/**
 * Versioned documents: the value is `<version>|<json>`, so the version check needs no JSON
 * decoding in Lua. KEYS: document. ARGV: expectedVersion, json, ttlMs.
 * Returns the new version, or 0 when the stored version differs (nothing written).
 */
export const COMPARE_AND_SET = `
local cur = redis.call('GET', KEYS[1])
local v = 0
if cur then v = tonumber(string.match(cur, '^(%d+)|')) end
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], (v + 1) .. '|' .. ARGV[2], 'PX', ARGV[3])
return v + 1
`;

/** KEYS: document. ARGV: expectedVersion. Returns 1 when deleted (or already absent at version 0), 0 on conflict. */
export const COMPARE_AND_DELETE = `
local cur = redis.call('GET', KEYS[1])
local v = 0
if cur then v = tonumber(string.match(cur, '^(%d+)|')) end
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;
