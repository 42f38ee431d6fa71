/**
 * The value of cookie `name` in a Cookie request header, as the browser sent it (still
 * URL-encoded: the service decodes), or null. The first occurrence wins, as in express and
 * the `cookie` package. No dependency, and no parse of cookies the caller does not ask for.
 */
export function readCookie(header: string | string[] | undefined, name: string): string | null {
  if (header === undefined) return null;
  const text = Array.isArray(header) ? header.join('; ') : header;
  let from = 0;
  while (from < text.length) {
    let end = text.indexOf(';', from);
    if (end === -1) end = text.length;
    const eq = text.indexOf('=', from);
    if (eq !== -1 && eq < end && text.slice(from, eq).trim() === name) {
      let value = text.slice(eq + 1, end).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      return value === '' ? null : value;
    }
    from = end + 1;
  }
  return null;
}
