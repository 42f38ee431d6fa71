import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RpcResponse, SessionView } from '#libs/contracts';
import { appendSetCookie, setSessionCookie } from './set-cookie-header.js';

const SESSION_COOKIE = '%24session-1001=s%3Aabc.sig; Max-Age=86400; Path=/; HttpOnly; Secure; SameSite=Lax';

function sessionView(setCookie: string | null): SessionView {
  return { id: 'abc', userId: null, isNew: true, expiresAt: new Date(0).toISOString(), setCookie, cookie: null };
}

function response(setCookie: string | null): RpcResponse<null> {
  return { data: null, session: sessionView(setCookie) };
}

/** Runs `handle` as a real node http handler and returns the Set-Cookie headers the client received. */
async function setCookiesFrom(handle: (res: ServerResponse) => void): Promise<string[]> {
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    handle(res);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const reply = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await reply.text();
    return reply.headers.getSetCookie();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('setSessionCookie / appendSetCookie', () => {
  it('appends to a node http ServerResponse that already has a Set-Cookie', async () => {
    const received = await setCookiesFrom((res) => {
      res.setHeader('Set-Cookie', 'theme=dark');
      expect(setSessionCookie(res, response(SESSION_COOKIE))).toBe(true);
    });
    expect(received).toEqual(['theme=dark', SESSION_COOKIE]);
  });

  it('appends on an Express-like response, whose header() would replace', async () => {
    const received = await setCookiesFrom((res) => {
      const express = Object.assign(res, { header: (name: string, value: string) => res.setHeader(name, value) });
      express.header('Set-Cookie', 'a=1');
      setSessionCookie(express, response(SESSION_COOKIE));
    });
    expect(received).toEqual(['a=1', SESSION_COOKIE]);
  });

  it('appends with getHeader + setHeader when there is no appendHeader (older node)', () => {
    const headers: Record<string, unknown> = { 'set-cookie': ['a=1', 'b=2'] };
    const res = {
      getHeader: (name: string) => headers[name.toLowerCase()],
      setHeader: (name: string, value: string | string[]) => void (headers[name.toLowerCase()] = value),
      header: () => {
        throw new Error('Express res.header() replaces Set-Cookie: must not be used');
      },
    };
    appendSetCookie(res, 'c=3');
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2', 'c=3']);
    headers['set-cookie'] = 'single=1';
    appendSetCookie(res, 'c=3');
    expect(headers['set-cookie']).toEqual(['single=1', 'c=3']);
  });

  it('uses header() on a Fastify-like reply, which appends set-cookie itself', () => {
    const sent: string[] = ['existing=1'];
    const reply = {
      getHeader: (name: string) => (name.toLowerCase() === 'set-cookie' ? sent : undefined),
      header(name: string, value: string) {
        expect(name.toLowerCase()).toBe('set-cookie');
        sent.push(value);
        return reply;
      },
    };
    expect(setSessionCookie(reply, sessionView(SESSION_COOKIE))).toBe(true);
    expect(sent).toEqual(['existing=1', SESSION_COOKIE]);
  });

  it('sends nothing when the service asks for no cookie or there is no session', () => {
    const calls: unknown[] = [];
    const res = { appendHeader: (...args: unknown[]) => void calls.push(args) };
    expect(setSessionCookie(res, response(null))).toBe(false);
    expect(setSessionCookie(res, { data: { sessions: [] }, session: null })).toBe(false);
    expect(setSessionCookie(res, null)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('falls back to setHeader alone, and refuses an object it cannot write to', () => {
    const headers: Record<string, unknown> = {};
    appendSetCookie({ setHeader: (name, value) => (headers[name] = value) }, 'a=1');
    expect(headers).toEqual({ 'Set-Cookie': 'a=1' });
    expect(() => appendSetCookie({}, 'a=1')).toThrow(TypeError);
  });
});
