import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { headersHook } from './before-headers.js';

/** Serves one request with `handle` on a real node http server; returns status, Set-Cookie headers and body. */
async function serve(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ status: number; cookies: string[]; body: string; location: string | null }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const reply = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { redirect: 'manual' });
    return {
      status: reply.status,
      cookies: reply.headers.getSetCookie(),
      body: await reply.text(),
      location: reply.headers.get('location'),
    };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const addCookie = headersHook((res: ServerResponse) => void res.appendHeader('Set-Cookie', 'sid=1'));

describe('headersHook', () => {
  it('runs on an implicit header write (res.end)', async () => {
    const got = await serve((_req, res) => {
      addCookie(res);
      res.end('ok');
    });
    expect(got).toMatchObject({ status: 200, cookies: ['sid=1'], body: 'ok' });
  });

  it('runs on writeHead with a headers object, keeping the Set-Cookie passed there beside its own', async () => {
    const got = await serve((_req, res) => {
      addCookie(res);
      res.writeHead(302, { Location: '/next', 'Set-Cookie': 'theme=dark' }).end();
    });
    expect(got).toMatchObject({ status: 302, location: '/next', cookies: ['theme=dark', 'sid=1'] });
  });

  it('runs on writeHead with a status message and a flat header array', async () => {
    const got = await serve((_req, res) => {
      addCookie(res);
      res.writeHead(201, 'Made', ['X-A', '1', 'Set-Cookie', 'a=2']).end();
    });
    expect(got).toMatchObject({ status: 201, cookies: ['a=2', 'sid=1'] });
  });

  it('runs once, before the first chunk of a streamed body, and late listeners see headersSent', async () => {
    let calls = 0;
    const got = await serve((_req, res) => {
      const install = headersHook((r) => {
        calls++;
        r.appendHeader('Set-Cookie', 'sid=1');
      });
      install(res);
      install(res); // a second install (a guard after the middleware) does not run it twice
      res.write('a');
      res.write('b');
      res.end('c');
    });
    expect(got).toMatchObject({ cookies: ['sid=1'], body: 'abc' });
    expect(calls).toBe(1);
  });

  it('keeps a writeHead hook installed before it in the chain', async () => {
    const got = await serve((_req, res) => {
      const previous = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        this.appendHeader('Set-Cookie', 'earlier=1');
        return (previous as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as ServerResponse['writeHead'];
      addCookie(res);
      res.end('ok');
    });
    expect(got).toMatchObject({ cookies: ['sid=1', 'earlier=1'], body: 'ok' });
  });
});
