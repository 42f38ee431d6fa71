import { lua } from './lua-fragments.js';

/**
 * The session-event context a script is called with: the last 8 ARGV (see EventContext in
 * redis-session-events.ts), and in mode 'x' the shop's event stream as the last KEY. They are
 * taken off KEYS and ARGV before the script's body runs, so the body sees its own only.
 *  mode 'x': emit() XADDs to the stream here, atomically with the change (one Redis node);
 *  mode 'r': emit() collects, and the script replies {reply, events} for the caller to XADD
 *            (a cluster, where the stream lives in another slot);
 *  mode '':  events are off.
 * An event's fields: type, shop, user, handle, at (Redis's ms), actor (none for session.expired:
 * no caller ended the session), and any `extra` pairs.
 */
const EVENT_CONTEXT = `
local EV_MODE = table.remove(ARGV)
local EV_AGE = tonumber(table.remove(ARGV))
local EV_MAX = table.remove(ARGV)
local EV_ACTOR = table.remove(ARGV)
local EV_HANDLE = table.remove(ARGV)
local EV_USER = table.remove(ARGV)
local EV_SHOP = table.remove(ARGV)
local EV_KIND = table.remove(ARGV)
local EV_KEY = EV_MODE == 'x' and table.remove(KEYS) or nil
local EV_OUT = {}
local EV_TRIM_BEFORE = nil
local function emit(kind, handle, extra)
  if EV_MODE == '' then return end
  local et = redis.call('TIME')
  local at = tonumber(et[1]) * 1000 + math.floor(tonumber(et[2]) / 1000)
  local f = {'type', kind, 'shop', EV_SHOP, 'user', EV_USER, 'handle', handle or EV_HANDLE, 'at', string.format('%d', at), 'actor', kind == 'session.expired' and '' or EV_ACTOR}
  for _, x in ipairs(extra or {}) do table.insert(f, x) end
  if EV_KEY then
    redis.call('XADD', EV_KEY, 'MAXLEN', '~', EV_MAX, '*', unpack(f))
    EV_TRIM_BEFORE = at - EV_AGE
  else
    table.insert(EV_OUT, f)
  end
end
`;

/** After the body: the age cap, once per script (mode 'x'), and the reply. */
const AFTER_BODY = `
if EV_TRIM_BEFORE and EV_AGE > 0 then redis.call('XTRIM', EV_KEY, 'MINID', '~', string.format('%d', EV_TRIM_BEFORE)) end
if EV_MODE == 'r' then return {reply, EV_OUT} end
return reply
`;

/**
 * A script body that may call `emit(type, handle?, extra?)`. The body runs as a function, so
 * its `return` is the script's reply, wrapped as {reply, events} in mode 'r'.
 */
export function evented(...parts: string[]): string {
  const body = parts.pop()!;
  return lua(EVENT_CONTEXT, ...parts, `local function body()\n${body}\nend\nlocal reply = body()\n${AFTER_BODY}`);
}
