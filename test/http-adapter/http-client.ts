import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  status: number;
  body: string;
  setCookies: string[];
  location: string | null;
}

/** Real HTTP requests with one cookie jar, like a browser that keeps whatever Set-Cookie says. */
export class CookieJarClient {
  readonly jar = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  static of(server: Server): CookieJarClient {
    return new CookieJarClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  async request(path: string, init: { method?: string; cookie?: string } = {}): Promise<Reply> {
    const cookie = init.cookie ?? [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const reply = await fetch(this.baseUrl + path, { method: init.method ?? 'GET', redirect: 'manual', headers: cookie ? { cookie } : {} });
    const setCookies = reply.headers.getSetCookie();
    for (const header of setCookies) {
      const [pair] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      if (/Max-Age=0(;|$)/.test(header)) this.jar.delete(name);
      else this.jar.set(name, pair!.slice(eq + 1));
    }
    return { status: reply.status, body: await reply.text(), setCookies, location: reply.headers.get('location') };
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }
}

export function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export function close(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
