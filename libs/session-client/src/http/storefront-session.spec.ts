import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RpcResponse, SessionView } from '#libs/contracts';
import type { SessionClient } from '../session-client.js';
import { SessionServiceError } from '../session-service.error.js';
import { attachSession, SessionUnavailableError, sessionOf } from './attach-session.js';

/** A session view as the service sends it; `value` null clears the cookie. */
function view(id: string | null, userId: string | null, value: string | null | undefined): SessionView {
  const cookie =
    value === undefined
      ? null
      : {
          name: '$session-s',
          value: value ?? '',
          maxAge: value === null ? 0 : 60,
          httpOnly: true as const,
          secure: true,
          sameSite: 'lax' as const,
          path: '/',
          domain: null,
        };
  return {
    id,
    userId,
    isNew: false,
    expiresAt: '',
    cookie,
    setCookie: cookie ? `$session-s=${cookie.value}; Max-Age=${cookie.maxAge}` : null,
  };
}

/** A client double that records the cookie each call sent and answers from a script. */
function scriptedClient(answers: Record<string, (cookie: string | null) => RpcResponse<unknown> | Error>) {
  const sent: Array<[string, string | null]> = [];
  const handler = (name: string) => async (_shop: string, cookie: string | null) => {
    sent.push([name, cookie]);
    const answer = answers[name]!(cookie);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const client = new Proxy({}, { get: (_t, name: string) => handler(name) }) as unknown as SessionClient;
  return { client, sent };
}

function fakeHttp(cookie?: string): { req: IncomingMessage; res: ServerResponse } {
  const req = { headers: cookie ? { cookie } : {} } as IncomingMessage;
  const res = { headersSent: false, writeHead: () => res } as unknown as ServerResponse;
  return { req, res };
}

describe('StorefrontSession (with a scripted client)', () => {
  it('sends the rotated cookie after login and keeps only the last Set-Cookie', async () => {
    const { client, sent } = scriptedClient({
      resolve: () => ({ data: { user: null, customData: { a: 1 } }, session: view('g-1', null, 'guest-1') }),
      login: () => ({ data: { user: { id: 'u-1' } }, session: view('u-1:x', 'u-1', 'user-1') }),
      addCartItem: () => ({ data: { lines: [] }, session: view('u-1:x', 'u-1', undefined) }),
      logout: () => ({ data: null, session: view(null, null, null) }),
      cart: () => ({ data: { lines: [] }, session: view('g-2', null, 'guest-2') }),
    });
    const { req, res } = fakeHttp('$session-s=incoming');
    const session = await attachSession(req, res, { client, shop: (r) => (r.headers.cookie ? 's' : 'other') });
    expect(sessionOf(req)).toBe(session);
    expect(session).toMatchObject({
      shopId: 's',
      user: null,
      customData: { a: 1 },
      sessionId: 'g-1',
      available: true,
      pendingSetCookie: '$session-s=guest-1; Max-Age=60',
    });

    await session.login({ user: { id: 'u-1' } });
    expect(session).toMatchObject({ user: { id: 'u-1' }, isLoggedIn: true, cookie: 'user-1', sessionId: 'u-1:x' });
    await session.cart.add({ productId: 'p', variantId: 'v', quantity: 1 });
    expect(session.pendingSetCookie).toBe('$session-s=user-1; Max-Age=60'); // a call without a cookie keeps the login's
    await session.logout();
    expect(session).toMatchObject({
      user: null,
      isLoggedIn: false,
      cookie: null,
      sessionId: null,
      pendingSetCookie: '$session-s=; Max-Age=0',
    });
    await session.cart.get();
    expect(sent).toEqual([
      ['resolve', 'incoming'],
      ['login', 'guest-1'], // the resolve's new cookie, not the incoming one
      ['addCartItem', 'user-1'],
      ['logout', 'user-1'],
      ['cart', null],
    ]);
    expect(session.takeSetCookie()).toBe('$session-s=guest-2; Max-Age=60');
    expect(session.takeSetCookie()).toBeNull();
  });

  it.each(['UNAVAILABLE', 'TIMEOUT', 'STORE_UNAVAILABLE'] as const)(
    'serves a guest on %s by default: no cookie, empty reads without a call',
    async (code) => {
      const { client, sent } = scriptedClient({ resolve: () => new SessionServiceError(code, 'down') });
      const { req, res } = fakeHttp('$session-s=kept');
      const session = await attachSession(req, res, { client, shop: 's' });
      expect(session).toMatchObject({ available: false, user: null, cookie: 'kept', pendingSetCookie: null });
      expect(await session.cart.get()).toEqual({ lines: [] });
      expect(await session.wishlist.get()).toEqual({ items: [] });
      expect(sent).toEqual([['resolve', 'kept']]);
    },
  );

  it("fails with a 503 error under whenUnavailable: 'fail', and passes other errors on as they are", async () => {
    const down = scriptedClient({ resolve: () => new SessionServiceError('STORE_UNAVAILABLE', 'down') });
    const failure = await attachSession(fakeHttp().req, fakeHttp().res, { client: down.client, shop: 's', whenUnavailable: 'fail' }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(SessionUnavailableError);
    expect(failure).toMatchObject({ status: 503, cause: { code: 'STORE_UNAVAILABLE' } });

    const misconfigured = scriptedClient({ resolve: () => new SessionServiceError('UNAUTHENTICATED', 'bad token') });
    const other = await attachSession(fakeHttp().req, fakeHttp().res, { client: misconfigured.client, shop: 's' }).catch((e: unknown) => e);
    expect(other).toMatchObject({ name: 'SessionServiceError', code: 'UNAUTHENTICATED' });
  });
});
