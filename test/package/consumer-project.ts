// The files of a separate TypeScript project that consumes @storefront-session/client as
// another team would: ESM, `strict`, NodeNext. Kept as text: inside this repository the
// package name does not resolve, so the root type check must not see these sources.

export const CONSUMER_PACKAGE_JSON = { name: 'session-client-consumer', private: true, type: 'module' };

export const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    types: ['node'],
    outDir: 'out',
    rootDir: 'src',
  },
  include: ['src'],
};

/**
 * Resolves a guest (the typed client and the Set-Cookie helper), logs in, gets a typed
 * UNKNOWN_SHOP error, and serves one request through the HTTP adapter on node:http.
 * Prints one JSON line; SESSION_PORT and SESSION_TOKEN name the service.
 */
export const CONSUMER_SOURCE = `
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SessionClient, SessionServiceError, StorefrontSessionGuard, sessionOf, setSessionCookie, storefrontSession, type HeaderTarget } from '@storefront-session/client';
import { ErrorCodes, type ErrorCode, type LoginResult, type ResolveResult, type RpcResponse } from '@storefront-session/client/contracts';

const client = new SessionClient({ host: '127.0.0.1', port: Number(process.env.SESSION_PORT), token: process.env.SESSION_TOKEN ?? '', timeoutMs: 20_000 });
try {
  const guest: RpcResponse<ResolveResult> = await client.resolve('shop-a', null);
  const setCookies: string[] = [];
  const reply: HeaderTarget = { appendHeader: (_name, value) => setCookies.push(...[value].flat()) };
  setSessionCookie(reply, guest);

  const login: RpcResponse<LoginResult> = await client.login('shop-a', guest.session?.cookie?.value ?? null, { user: { id: 'package-user', name: 'Ada' } });
  const userId: string = login.data.user.id;

  let unknownShop: ErrorCode | 'TIMEOUT' | 'UNAVAILABLE' | null = null;
  try {
    await client.resolve('no-such-shop', null);
  } catch (err) {
    if (err instanceof SessionServiceError && err.code === 'UNKNOWN_SHOP') unknownShop = err.code;
    else throw err;
  }
  // @ts-expect-error not a code of the contract: fails to compile if \`code\` were any
  const notACode: SessionServiceError['code'] = 'NOT_A_CODE';

  const server = createServer((req, res) => {
    storefrontSession({ client, shop: 'shop-a' })(req, res, (error) => {
      res.statusCode = error ? 500 : 200;
      res.end(error ? String(error) : JSON.stringify({ user: sessionOf(req).user, available: sessionOf(req).available }));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const page = await fetch(\`http://127.0.0.1:\${(server.address() as AddressInfo).port}/\`);
  const adapter = { status: page.status, body: await page.json() as unknown, setCookie: page.headers.get('set-cookie') };
  await new Promise((closed) => server.close(closed));

  console.log(JSON.stringify({
    guest: { user: guest.data.user, isNew: guest.session?.isNew },
    setCookies,
    login: { userId, sessionUserId: login.session?.userId },
    unknownShop,
    unknownShopConstant: ErrorCodes.unknownShop,
    notACode,
    adapter,
    nestGuard: typeof StorefrontSessionGuard,
  }));
} finally {
  await client.close();
}
`;
