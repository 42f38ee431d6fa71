/**
 * One Express app of the gateway bench, in its own process. GATEWAY_KIND picks what `GET /`
 * does before answering the same small JSON:
 * - `adapter`: the session adapter resolves the session through the client library
 *   (a stock ClientProxy) and forwards any Set-Cookie;
 * - `express-session`: express-session + connect-redis on the same Redis, loading the session;
 * - `constant`: nothing (the ceiling Express itself sets).
 * `POST /login` creates the user-bound session the load then sends the cookie of.
 */
import 'reflect-metadata';
import express, { type Express, type Request } from 'express';
import session from 'express-session';
import RedisStore from 'connect-redis';
import { createClient } from 'redis';
import { SessionClient, sessionOf, storefrontSession } from '#libs/session-client';

export const BENCH_SHOP = '1001';
export const BENCH_USER = 'bench-user';
const COOKIE = `$session-${BENCH_SHOP}`;
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`gateway-server: ${name} is not set`);
  return value;
};

async function adapterApp(app: Express): Promise<void> {
  const client = new SessionClient({ host: '127.0.0.1', port: Number(env('SERVICE_PORT')), token: env('SERVICE_TOKEN'), timeoutMs: 5000 });
  app.use(storefrontSession<Request>({ client, shop: BENCH_SHOP }));
  app.get('/', (req, res) => {
    res.json({ user: sessionOf(req).user?.id ?? null });
  });
  app.post('/login', async (req, res) => {
    await sessionOf(req).login({ user: { id: BENCH_USER } });
    res.json({ user: BENCH_USER });
  });
}

async function expressSessionApp(app: Express): Promise<void> {
  const redis = createClient({ url: env('REDIS_URL') });
  await redis.connect();
  app.set('trust proxy', 'loopback'); // the login request says X-Forwarded-Proto: https, so the Secure cookie is set
  app.use(
    session({
      store: new RedisStore({ client: redis, prefix: 'bench-sess:', ttl: 86_400, disableTouch: process.env.GATEWAY_SESSION_TOUCH === '0' }),
      name: COOKIE,
      secret: env('COOKIE_SECRET'),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, secure: true, sameSite: 'lax', path: '/', maxAge: 86_400_000 },
    }),
  );
  app.get('/', (req, res) => {
    const user = (req.session as unknown as { user?: { id: string } }).user;
    res.json({ user: user?.id ?? null });
  });
  app.post('/login', (req, res, next) => {
    req.session.regenerate((err) => {
      if (err) return next(err);
      (req.session as unknown as { user: { id: string } }).user = { id: BENCH_USER };
      res.json({ user: BENCH_USER });
    });
  });
}

function constantApp(app: Express): void {
  const body = { user: BENCH_USER };
  app.get('/', (_req, res) => {
    res.json(body);
  });
  app.post('/login', (_req, res) => {
    res.json(body);
  });
}

const app = express();
const kind = env('GATEWAY_KIND');
if (kind === 'adapter') await adapterApp(app);
else if (kind === 'express-session') await expressSessionApp(app);
else if (kind === 'constant') constantApp(app);
else throw new Error(`gateway-server: unknown GATEWAY_KIND ${kind}`);
app.listen(Number(env('GATEWAY_PORT')), '127.0.0.1');
// A normal exit on SIGTERM, so --cpu-prof (BENCH_GATEWAY_NODE_ARGS) writes its profile.
process.once('SIGTERM', () => process.exit(0));
