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

/**
 * A session's stored value (the encoding of session-value.ts, written once here for Lua).
 * session_decode(v): the value's fields as a table, from this form or the former JSON one
 * (without its `e`: the key's PEXPIRETIME is the expiry).
 * session_encode(s): the table as this form. Numbers are integers, texts are segments.
 */
export const SESSION_VALUE = `
local SV_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
local SV_RELATIVE = {x = true, a = true}
local function sv_b36(n)
  n = math.floor(n + 0.5)
  local sign = ''
  if n < 0 then sign, n = '-', -n end
  local out = ''
  repeat
    local d = n % 36
    out = string.sub(SV_DIGITS, d + 1, d + 1) .. out
    n = (n - d) / 36
  until n == 0
  return sign .. out
end
local function session_decode(v)
  if string.sub(v, 1, 1) == '{' then
    local s = cjson.decode(v)
    s.e = nil
    return s
  end
  local nl = string.find(v, '\\n', 1, true) or (#v + 1)
  local s, at = {}, nl + 1
  for tag, seg, val in string.gmatch(string.sub(v, 1, nl - 1), '(%l)(:?)(%-?[%u%d]*)') do
    if seg == ':' then
      local n = tonumber(val)
      s[tag] = string.sub(v, at, at + n - 1)
      at = at + n
    elseif string.sub(val, 1, 1) == '-' then
      s[tag] = -tonumber(string.sub(val, 2), 36)
    else
      s[tag] = tonumber(val, 36)
    end
  end
  for tag in pairs(SV_RELATIVE) do
    if s[tag] then s[tag] = s.c + s[tag] end
  end
  return s
end
local function session_encode(s)
  local tags = {}
  for tag in pairs(s) do table.insert(tags, tag) end
  table.sort(tags)
  local created = math.floor(s.c + 0.5)
  local head, body = {}, {}
  for _, tag in ipairs(tags) do
    local val = s[tag]
    if type(val) == 'string' then
      table.insert(head, tag .. ':' .. #val)
      table.insert(body, val)
    else
      if SV_RELATIVE[tag] then val = math.floor(val + 0.5) - created end
      table.insert(head, tag .. sv_b36(val))
    end
  end
  if #body == 0 then return table.concat(head) end
  return table.concat(head) .. '\\n' .. table.concat(body)
end
`;

/**
 * Where a user-bound session lives (session-keys.ts): its own key, or the user's primary key
 * when that one's value names its handle (`h`). locate(own, primary, handle) returns the key
 * and its value, or `own` and false when the session is in neither; without `primary` (a
 * guest), only `own` is read. Include after SESSION_VALUE.
 */
export const LOCATE = `
local function locate(own, primary, handle)
  local v = redis.call('GET', own)
  if v or not primary then return own, v end
  v = redis.call('GET', primary)
  if v and session_decode(v).h == handle then return primary, v end
  return own, false
end
`;
