import { ServerResponse, type OutgoingHttpHeaders } from 'node:http';

const NODE_WRITE_HEAD = ServerResponse.prototype.writeHead as WriteHead;

export type HeadersListener = (res: ServerResponse) => void;

type WriteHead = (this: ServerResponse, statusCode: number, messageOrHeaders?: unknown, headers?: unknown) => ServerResponse;

/**
 * Makes an installer that has `listener` run once, right before a response's headers go
 * out, however they go out: an explicit `res.writeHead`, or the first `write`/`end` (node's
 * implicit header path calls `writeHead` too). This is how a cookie reaches responses a
 * handler ends itself, redirects, error pages and streams alike. Headers given to
 * `writeHead` are applied first, so that a Set-Cookie passed there is kept beside the
 * listener's instead of replacing it.
 *
 * The listener finds what it needs from the response (`res.req`), so every response gets
 * the same `writeHead`: behind Express, which swaps each request's and response's
 * prototype, every property added to a response costs microseconds (a new hidden class
 * per response), so the hook adds one and never restores it.
 */
export function headersHook(listener: HeadersListener): (res: ServerResponse) => void {
  const shared: WriteHead = function writeHead(statusCode, messageOrHeaders, headers) {
    return fire(this, listener, NODE_WRITE_HEAD, statusCode, messageOrHeaders, headers);
  };
  return (res) => {
    const previous = res.writeHead as WriteHead;
    if (previous === shared) return; // installed already (a guard after the middleware)
    if (previous === NODE_WRITE_HEAD) {
      res.writeHead = shared as ServerResponse['writeHead'];
      return;
    }
    // Someone else's hook: keep it in the chain.
    res.writeHead = function writeHead(this: ServerResponse, statusCode: number, messageOrHeaders?: unknown, headers?: unknown) {
      return fire(this, listener, previous, statusCode, messageOrHeaders, headers);
    } as ServerResponse['writeHead'];
  };
}

function fire(
  res: ServerResponse,
  listener: HeadersListener,
  original: WriteHead,
  statusCode: number,
  messageOrHeaders: unknown,
  maybeHeaders: unknown,
): ServerResponse {
  // After the first time, writeHead behaves as node's (which refuses a second header write).
  if (res.headersSent) return original.call(res, statusCode, messageOrHeaders, maybeHeaders);
  const statusMessage = typeof messageOrHeaders === 'string' ? messageOrHeaders : undefined;
  const headers = (statusMessage === undefined ? messageOrHeaders : maybeHeaders) as OutgoingHttpHeaders | readonly unknown[] | undefined;
  if (headers) {
    res.statusCode = statusCode;
    applyHeaders(res, headers);
  }
  listener(res);
  return statusMessage === undefined ? original.call(res, statusCode) : original.call(res, statusCode, statusMessage);
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
