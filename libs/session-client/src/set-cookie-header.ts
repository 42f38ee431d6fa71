import type { RpcResponse, SessionView } from '#libs/contracts';

/**
 * The parts of a response object this helper uses: node `http.ServerResponse` and Express
 * (`appendHeader`, or `getHeader` + `setHeader`), Fastify's reply (`header`, which appends
 * `set-cookie`). No framework is imported.
 */
export interface HeaderTarget {
  appendHeader?(name: string, value: string | string[]): unknown;
  getHeader?(name: string): unknown;
  setHeader?(name: string, value: string | string[]): unknown;
  header?(name: string, value: string): unknown;
}

/** Adds one Set-Cookie header, keeping any Set-Cookie headers the response already carries. */
export function appendSetCookie(res: HeaderTarget, value: string): void {
  if (typeof res.appendHeader === 'function') {
    res.appendHeader('Set-Cookie', value);
  } else if (typeof res.setHeader === 'function' && typeof res.getHeader === 'function') {
    const existing = res.getHeader('Set-Cookie');
    const values = existing === undefined || existing === null ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
    res.setHeader('Set-Cookie', [...values, value]);
  } else if (typeof res.header === 'function') {
    // Fastify's reply.header() appends to set-cookie instead of replacing it. Checked after
    // setHeader because Express's res.header() replaces.
    res.header('Set-Cookie', value);
  } else if (typeof res.setHeader === 'function') {
    res.setHeader('Set-Cookie', value);
  } else {
    throw new TypeError('the response has none of appendHeader, setHeader or header');
  }
}

/**
 * Sends the session cookie the service asked for, if any. Takes a whole response or its
 * `session`; returns whether a Set-Cookie was added.
 */
export function setSessionCookie(res: HeaderTarget, from: RpcResponse<unknown> | SessionView | null): boolean {
  const session = from && 'data' in from ? from.session : (from as SessionView | null);
  if (!session?.setCookie) return false;
  appendSetCookie(res, session.setCookie);
  return true;
}
