/**
 * `npm run demo`: the session service on the embedded in-memory store (its development
 * configuration, as `npm start` runs it) in a child process, and the demo storefront talking
 * to it over TCP. Prints the URL. Env: DEMO_PORT (3000; a free port if it is taken), DEMO_HOST.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { JwtService } from '@nestjs/jwt';
import { SERVICE_TOKEN_AUDIENCE } from '#libs/contracts';
import { SessionClient } from '#libs/session-client';
import { DEV_AUTH_SECRET } from '../../../libs/session/src/config/dev-defaults.js';
import { createDemoApp } from './demo-app.js';
import { DEV_SHOPS } from './demo-shops.js';

const SERVICE_MAIN = fileURLToPath(new URL('../../session-service/src/main.js', import.meta.url));
const HOST = '127.0.0.1';

async function main(): Promise<void> {
  const [port, httpPort] = [await freePort(), await freePort()];
  const service = startService(port, httpPort);
  await waitHealthy(service, httpPort);

  const client = new SessionClient({
    host: HOST,
    port,
    timeoutMs: 2000,
    tokenProvider: tokens('storefront-demo', 'session:read session:write'),
  });
  // The account page lists the customer's own sessions, which the contract offers only to session:admin.
  const accountClient = new SessionClient({
    host: HOST,
    port,
    timeoutMs: 2000,
    tokenProvider: tokens('storefront-demo-account', 'session:read session:admin'),
  });
  const server = createServer(createDemoApp({ client, accountClient, shops: DEV_SHOPS }));
  const host = process.env.DEMO_HOST ?? HOST;
  const listening = await listen(server, Number(process.env.DEMO_PORT ?? 3000), host);

  console.log(`\nStorefront demo: http://${host === '0.0.0.0' ? HOST : host}:${listening}/`);
  console.log(
    `  shops ${DEV_SHOPS.map((s) => `${s.id} (/shop/${s.id}/)`).join(', ')}; session service on ${HOST}:${port}, embedded in-memory store. Ctrl-C stops both.\n`,
  );

  const stop = (code: number) => {
    service.kill('SIGTERM');
    server.close();
    void Promise.all([client.close(), accountClient.close()]).finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  service.once('exit', (code) => {
    console.error(`storefront-demo: the session service exited (${code}); stopping`);
    stop(1);
  });
}

function startService(port: number, httpPort: number): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HTTP_PORT: String(httpPort), HOST };
  // The documented development configuration: no Redis, no config file, the dev secrets.
  for (const name of ['NODE_ENV', 'REDIS_URL', 'SESSION_CONFIG', 'SESSION_COOKIE_SECRET', 'SESSION_SERVICE_AUTH_SECRET']) delete env[name];
  return spawn(process.execPath, [SERVICE_MAIN], { env, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Service tokens minted from the development auth secret, renewed well before they expire. */
function tokens(sub: string, scope: string): () => string {
  const jwt = new JwtService();
  let token = '';
  let renewAt = 0;
  return () => {
    if (Date.now() >= renewAt) {
      token = jwt.sign({ sub, scope }, { secret: DEV_AUTH_SECRET, audience: SERVICE_TOKEN_AUDIENCE, expiresIn: 3600, algorithm: 'HS256' });
      renewAt = Date.now() + 30 * 60_000;
    }
    return token;
  };
}

async function waitHealthy(service: ChildProcess, httpPort: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (service.exitCode !== null) throw new Error(`the session service exited with ${service.exitCode}`);
    if (
      (await fetch(`http://${HOST}:${httpPort}/health`).then(
        (r) => r.status,
        () => 0,
      )) === 200
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  service.kill('SIGTERM');
  throw new Error('the session service did not become healthy within 30 s');
}

/** Listens on `port`, or on a free port when it is taken. */
function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EADDRINUSE' || port === 0) return reject(e);
      console.warn(`storefront-demo: port ${port} is taken; using a free one`);
      server.listen(0, host);
    };
    server.on('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve((server.address() as { port: number }).port);
    });
    server.listen(port, host);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

main().catch((e: unknown) => {
  console.error('storefront-demo:', e instanceof Error ? e.message : e);
  process.exit(1);
});
