/**
 * Lua written once and composed into the scripts at module load (`lua(...)`): each rule the
 * scripts share (the clock, the basket encoding, the revocation check, event writing) lives
 * in one fragment here.
 */

/** Joins fragments and a script body; a fragment named twice is included once. */
export function lua(...parts: string[]): string {
  return [...new Set(parts)].join('\n');
}

/** Redis's clock in ms (`now`), and `ms(n)` to reply an integer without Lua's float formatting. */
export const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function ms(n) return string.format('%d', n) end
`;

/**
 * Versioned documents (carts, wishlists): the value is `<version>|<json>`, so the version
 * check needs no JSON decoding. doc_version: the stored version, 0 when absent.
 * doc_set: writes `json` as the version after `version`.
 */
export const DOCUMENT = `
local function doc_version(k)
  local cur = redis.call('GET', k)
  if cur then return tonumber(string.match(cur, '^(%d+)|')) end
  return 0
end
local function doc_set(k, version, json, ttlMs)
  redis.call('SET', k, (version + 1) .. '|' .. json, 'PX', ttlMs)
end
`;

/**
 * The revocation rule: a session (or login) authenticated before the user's revocation mark
 * is revoked. \`mark\` is the mark key's value as GET returns it (false when there is none).
 */
export const REVOCATION = `
local function revoked(authenticatedAt, mark)
  return mark and (tonumber(authenticatedAt) or 0) < tonumber(mark) or false
end
`;
