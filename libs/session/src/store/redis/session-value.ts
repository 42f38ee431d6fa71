/**
 * The stored form of a session value, written here and by SESSION_VALUE (lua-fragments.ts),
 * its Lua twin; both write the same text for the same fields.
 *
 *   <header>[\n<segments>]
 *
 * The header is a run of fields in tag order, each a single lowercase letter followed by
 * either an integer in base 36 (digits 0-9A-Z, '-' when negative) or ':' and the byte length
 * of a text segment. The segments follow the newline, concatenated in header order and
 * unescaped, so JSON text inside costs its own bytes only. Instants `x` and `a` are
 * written relative to `c` (a few base-36 digits instead of 13 decimal ones).
 *
 * A value that begins with '{' is the former JSON form ({"c":...,"u":"<escaped json>"}):
 * both read it, and every write replaces it with this one. Its `e` (the expiry, which the
 * key's PEXPIRETIME tells now) is dropped when read.
 *
 * A field is a number (integer) or a text; a new optional field needs a free letter and
 * nothing here or in the Lua: its type decides how it is written.
 */
export type SessionValueFields = Record<string, string | number>;

/** Instants written as their distance to `c` (createdAt). */
const RELATIVE = ['x', 'a'];
const COLON = 0x3a;
const ZERO = 0x30;
const isDigit = (c: number) => c >= ZERO && c <= 0x39;
/** Tags are lowercase letters; base-36 digits are 0-9, A-Z and a leading '-'. */
const isTag = (c: number) => c >= 0x61 && c <= 0x7a;

export function encodeSessionValue(fields: object): string {
  const all = fields as Record<string, string | number | undefined>;
  const created = Math.round(Number(all.c));
  let head = '';
  const segments: string[] = [];
  for (const tag of Object.keys(all).sort()) {
    const value = all[tag];
    if (value === undefined) continue;
    if (!/^[a-z]$/.test(tag)) throw new Error(`session value field "${tag}" is not a single lowercase letter`);
    if (typeof value === 'string') {
      head += `${tag}:${Buffer.byteLength(value)}`;
      segments.push(value);
    } else {
      head += tag + base36(Math.round(value) - (RELATIVE.includes(tag) ? created : 0));
    }
  }
  return segments.length === 0 ? head : `${head}\n${segments.join('')}`;
}

export function decodeSessionValue(value: string): SessionValueFields {
  if (value.startsWith('{')) {
    const { e: _expiry, ...fields } = JSON.parse(value) as SessionValueFields;
    return fields;
  }
  const out: SessionValueFields = {};
  const newline = value.indexOf('\n');
  const headEnd = newline < 0 ? value.length : newline;
  const text = newline < 0 ? '' : value.slice(newline + 1);
  // Lengths count UTF-8 bytes (as Lua does); plain ASCII text can be cut as a JS string.
  const bytes = Buffer.byteLength(text) === text.length ? null : Buffer.from(text);
  // Parsed by hand, not with a regular expression: this runs on every resolve.
  let at = 0;
  let i = 0;
  while (i < headEnd) {
    const tag = value[i++]!;
    if (value.charCodeAt(i) === COLON) {
      let length = 0;
      for (i++; i < headEnd && isDigit(value.charCodeAt(i)); i++) length = length * 10 + (value.charCodeAt(i) - ZERO);
      const end = at + length;
      out[tag] = bytes ? bytes.toString('utf8', at, end) : text.slice(at, end);
      at = end;
    } else {
      const from = i;
      while (i < headEnd && !isTag(value.charCodeAt(i))) i++;
      out[tag] = parseInt(value.slice(from, i), 36);
    }
  }
  for (const tag of RELATIVE) if (typeof out[tag] === 'number') out[tag] = (out[tag] as number) + (out.c as number);
  return out;
}

function base36(n: number): string {
  return n < 0 ? `-${(-n).toString(36).toUpperCase()}` : n.toString(36).toUpperCase();
}
