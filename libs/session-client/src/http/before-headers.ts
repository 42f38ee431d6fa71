import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

const LISTENER = Symbol('beforeHeaders.listener');
const ORIGINAL = Symbol('beforeHeaders.writeHead');

type HookedResponse = ServerResponse & { [LISTENER]?: (() => void) | undefined; [ORIGINAL]?: ServerResponse['writeHead'] };

/**
 * Runs `listener` once, right before the response's headers go out, however they go out:
 * an explicit `res.writeHead`, or the first `write`/`end` (node's implicit header path calls
 * `writeHead` too). This is how a cookie reaches responses a handler ends itself, redirects,
 * error pages and streams alike. Headers given to `writeHead` are applied first, so that a
 * Set-Cookie passed there is kept beside the listener's instead of replacing it.
 * A listener added later runs first. One shared `writeHead` for every response: the
 * listener and the replaced method are kept on the response, not in a closure per request.
 */
export function beforeHeaders(res: ServerResponse, listener: () => void): void {
  const hooked = res as HookedResponse;
  const earlier = hooked[LISTENER];
  if (earlier) {
    hooked[LISTENER] = () => {
      listener();
      earlier();
    };
    return;
  }
  hooked[LISTENER] = listener;
  hooked[ORIGINAL] = res.writeHead;
  res.writeHead = hookedWriteHead as ServerResponse['writeHead'];
}

function hookedWriteHead(this: HookedResponse, statusCode: number, messageOrHeaders?: unknown, maybeHeaders?: unknown): ServerResponse {
  const original = this[ORIGINAL]!;
  const listener = this[LISTENER]!;
  this.writeHead = original;
  this[LISTENER] = undefined;
  const statusMessage = typeof messageOrHeaders === 'string' ? messageOrHeaders : undefined;
  const headers = (statusMessage === undefined ? messageOrHeaders : maybeHeaders) as OutgoingHttpHeaders | readonly unknown[] | undefined;
  this.statusCode = statusCode;
  if (headers) applyHeaders(this, headers);
  listener();
  return statusMessage === undefined ? original.call(this, statusCode) : (original as (code: number, message: string) => ServerResponse).call(this, statusCode, statusMessage);
}

function applyHeaders(res: ServerResponse, headers: OutgoingHttpHeaders | readonly unknown[]): void {
  if (Array.isArray(headers)) {
    // writeHead's flat [name, value, name, value] form, or [[name, value], ...].
    const pairs: Array<[string, unknown]> = Array.isArray(headers[0])
      ? (headers as Array<[string, unknown]>)
      : Array.from({ length: headers.length / 2 }, (_, i) => [String(headers[2 * i]), headers[2 * i + 1]] as [string, unknown]);
    for (const [name, value] of pairs) addHeader(res, name, value);
    return;
  }
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) addHeader(res, name, value);
}

function addHeader(res: ServerResponse, name: string, value: unknown): void {
  if (name.toLowerCase() === 'set-cookie') res.appendHeader('Set-Cookie', value as string | string[]);
  else res.setHeader(name, value as string | string[] | number);
}
