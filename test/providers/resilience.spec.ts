import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { BigCommerceTokenProvider, CircuitBreaker, CommercetoolsTokenProvider, HttpClient } from '../../libs/token-providers/src/index.js';

/** Accepts connections and never answers. */
class SilentServer {
  requests = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: NetServer = createNetServer((socket) => {
    this.sockets.add(socket);
    // Counts requests, not sockets: fetch may reuse a kept-alive connection.
    socket.on('data', (chunk: Buffer) => {
      this.requests += chunk.toString('latin1').match(/^(GET|POST) /gm)?.length ?? 0;
    });
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Answers with the scripted statuses in order, then 200 `{ ok: true }`. */
class ScriptedServer {
  hits: string[] = [];
  statuses: number[] = [];
  private readonly server: HttpServer = createHttpServer((req, res) => {
    this.hits.push(`${req.method} ${req.url}`);
    req.resume();
    const status = this.statuses.shift() ?? 200;
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify(status === 200 ? { ok: true } : { statusCode: status, message: 'down', errors: [] }));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('token providers: timeouts, retries, circuit breaker', () => {
  /** A commercetools provider whose hosts are both `url`. */
  const commercetoolsAt = (url: string, http: NonNullable<ConstructorParameters<typeof CommercetoolsTokenProvider>[0]['http']>) =>
    new CommercetoolsTokenProvider({ authUrl: url, apiUrl: url, projectKey: 'shop', clientId: 'id', clientSecret: 'secret', http });
  const silent = new SilentServer();
  const scripted = new ScriptedServer();
  let silentUrl: string;
  let scriptedUrl: string;

  beforeAll(async () => {
    silentUrl = await silent.start();
    scriptedUrl = await scripted.start();
  });
  afterAll(async () => {
    await silent.stop();
    await scripted.stop();
  });
  beforeEach(() => {
    scripted.hits = [];
    scripted.statuses = [];
  });

  it('a commercetools token call that never gets an answer fails with PROVIDER_UNAVAILABLE (timeout), not retried', async () => {
    const before = silent.requests;
    // 1 s: long enough for the request to reach the silent server on a loaded machine (with
    // 150 ms it was sometimes cut before the server saw it, and the count below read 0).
    const provider = commercetoolsAt(silentUrl, { timeoutMs: 1_000, retryDelayMs: 1 });
    const started = Date.now();
    const err = await provider.login({ email: 'a@example.com', password: 'pw-secret' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      details: { provider: 'commercetools', operation: 'password-token', reason: 'timeout' },
    });
    expect(Date.now() - started).toBeLessThan(5_000); // it times out rather than hangs; the count shows it was not retried
    expect(silent.requests - before).toBe(1);
    expect(JSON.stringify(err) + (err as Error).message).not.toContain('pw-secret');
  });

  it('a BigCommerce login that never gets an answer fails with PROVIDER_UNAVAILABLE', async () => {
    const provider = new BigCommerceTokenProvider({
      graphqlUrl: `${silentUrl}/graphql`,
      storefrontToken: 't',
      http: { timeoutMs: 150 },
    });
    await expect(provider.login({ email: 'a@example.com', password: 'pw' })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      details: { provider: 'bigcommerce', reason: 'timeout' },
    });
  });

  it('a refused connection is PROVIDER_UNAVAILABLE (network)', async () => {
    const probe = new ScriptedServer();
    const url = await probe.start();
    await probe.stop();
    const http = new HttpClient({ provider: 'x', timeoutMs: 500, retries: 0 });
    await expect(http.request({ operation: 'get', method: 'GET', url, idempotent: true })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      details: { reason: 'network' },
    });
  });

  it('retries an idempotent GET on 5xx at most twice, with backoff', async () => {
    const http = new HttpClient({ provider: 'x', retryDelayMs: 1 });
    scripted.statuses = [503, 502];
    await expect(http.request({ operation: 'get', method: 'GET', url: `${scriptedUrl}/a`, idempotent: true })).resolves.toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(scripted.hits).toEqual(['GET /a', 'GET /a', 'GET /a']);

    scripted.hits = [];
    scripted.statuses = [503, 503, 503, 503];
    await expect(http.request({ operation: 'get', method: 'GET', url: `${scriptedUrl}/b`, idempotent: true })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      details: { reason: 'http_5xx', status: 503 },
    });
    expect(scripted.hits).toHaveLength(3);
  });

  it('does not retry a token POST on 5xx', async () => {
    const provider = commercetoolsAt(scriptedUrl, { retryDelayMs: 1 });
    scripted.statuses = [500, 500, 500];
    await expect(provider.login({ email: 'a@example.com', password: 'pw' })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      details: { operation: 'password-token', status: 500 },
    });
    expect(scripted.hits).toEqual(['POST /oauth/shop/customers/token']);
  });

  it('opens the breaker after consecutive timeouts, fails fast, and half-opens after the cool-down', async () => {
    let now = 0;
    const breaker = new CircuitBreaker('commercetools', { failureThreshold: 2, coolDownMs: 30_000, now: () => now });
    const provider = commercetoolsAt(silentUrl, { timeoutMs: 100, breaker });
    const before = silent.requests;
    for (let i = 0; i < 2; i++) {
      await expect(provider.anonymousToken()).rejects.toMatchObject({ details: { reason: 'timeout' } });
    }
    expect(breaker.state).toBe('open');
    await expect(provider.anonymousToken()).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      details: { provider: 'commercetools', reason: 'circuit_open' },
    });
    // Failing fast means no request went out (counted here), not a wall-clock figure, which a
    // loaded machine can stretch.
    expect(silent.requests - before).toBe(2);

    now += 30_000;
    expect(breaker.state).toBe('half-open');
    await expect(provider.anonymousToken()).rejects.toMatchObject({ details: { reason: 'timeout' } });
    expect(silent.requests - before).toBe(3);
    expect(breaker.state).toBe('open');
  });

  it('4xx answers do not open the breaker', async () => {
    const breaker = new CircuitBreaker('commercetools', { failureThreshold: 1 });
    const provider = commercetoolsAt(scriptedUrl, { breaker });
    scripted.statuses = [400, 400];
    await expect(provider.anonymousToken()).rejects.toMatchObject({ code: 'PROVIDER_ERROR', details: { status: 400 } });
    await expect(provider.anonymousToken()).rejects.toMatchObject({ code: 'PROVIDER_ERROR' });
    expect(breaker.state).toBe('closed');
  });
});
