import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { EmulatorClock } from '../shared/emulator-clock.js';
import { close, header, listen, receive, type RequestHandler } from '../shared/http-server.js';
import { InjectedFaults } from '../shared/injected-faults.js';
import { handleApi } from './api-routes.js';
import { cartFromDraft, type Cart } from './cart-model.js';
import {
  resolveCommercetoolsOptions,
  type CommercetoolsEmulatorOptions,
  type ResolvedCommercetoolsOptions,
} from './commercetools-options.js';
import { CommercetoolsState, type CtCustomer, type CustomerSeed, type ShippingMethod } from './commercetools-state.js';
import { HttpError } from './errors.js';
import { send, type RecordedRequest, type RouteResult } from './http-helpers.js';
import { handleOAuth, mergeParams } from './oauth-routes.js';
import { TokenStore, type TokenResponse } from './token-store.js';

/**
 * Local commercetools project: an auth host (OAuth 2.0 token endpoints) and an API host
 * (login, me/login, carts, merge) on two ports, like auth.* and api.* in production.
 * See commerce-apis.md C2/C3.
 */
export class CommercetoolsEmulator {
  readonly options: ResolvedCommercetoolsOptions;
  readonly state: CommercetoolsState;
  readonly tokens: TokenStore;
  /** Every request to either host, in order, with the response status. */
  readonly requests: RecordedRequest[] = [];
  /** `faults.failNext(n, status)`: the next n requests get a 5xx (see shared/injected-faults.ts). */
  readonly faults = new InjectedFaults();
  private servers: { auth: Server; api: Server } | undefined;
  private urls: { authUrl: string; apiUrl: string } | undefined;
  private readonly clock: EmulatorClock;

  constructor(options: CommercetoolsEmulatorOptions = {}) {
    this.options = resolveCommercetoolsOptions(options);
    this.clock = new EmulatorClock(options.now);
    this.state = new CommercetoolsState(() => this.now());
    this.tokens = new TokenStore(() => this.now(), this.options);
  }

  async start(): Promise<{ authUrl: string; apiUrl: string; url: string }> {
    if (this.servers) throw new Error('CommercetoolsEmulator already started');
    const auth = await listenWithCtErrors((req, res) => this.handle('auth', req, res));
    const api = await listenWithCtErrors((req, res) => this.handle('api', req, res));
    this.servers = { auth: auth.server, api: api.server };
    this.urls = { authUrl: auth.url, apiUrl: api.url };
    return { ...this.urls, url: api.url };
  }

  async stop(): Promise<void> {
    const servers = this.servers;
    if (!servers) return;
    this.servers = undefined;
    await Promise.all(Object.values(servers).map((server) => close(server)));
  }

  get authUrl(): string {
    if (!this.urls) throw new Error('CommercetoolsEmulator not started');
    return this.urls.authUrl;
  }

  get apiUrl(): string {
    if (!this.urls) throw new Error('CommercetoolsEmulator not started');
    return this.urls.apiUrl;
  }

  /** The `provider` block of a shop's config that points it at this emulator (once started). */
  get shopProvider(): Record<string, string> {
    const { projectKey, clientId, clientSecret } = this.options;
    return { type: 'commercetools', authUrl: this.authUrl, apiUrl: this.apiUrl, projectKey, clientId, clientSecret };
  }

  /** `Authorization` header value for the auth host. */
  get basicAuth(): string {
    return `Basic ${Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64')}`;
  }

  now(): number {
    return this.clock.now();
  }

  advanceTime(seconds: number): void {
    this.clock.advanceTime(seconds);
  }

  addCustomer(seed: CustomerSeed): CtCustomer {
    return structuredClone(this.state.addCustomer(seed));
  }

  /** Seeds a cart from a CartDraft (currency defaults to EUR); it becomes the most recently modified cart. */
  addCart(draft: Record<string, unknown>): Cart {
    const cart = cartFromDraft({ currency: 'EUR', ...draft }, { now: this.state.nowIso() });
    this.state.saveCart(cart);
    return structuredClone(cart);
  }

  getCart(id: string): Cart | undefined {
    const cart = this.state.carts.get(id);
    return cart && structuredClone(cart);
  }

  addShippingMethod(method: Partial<ShippingMethod> & { id: string }): void {
    this.state.shippingMethods.set(method.id, { active: true, storeKeys: [], ...method });
  }

  /** Shortcut for tests: tokens as the auth host would issue them. */
  issueClientToken(): TokenResponse {
    return this.tokens.issue(this.options.clientId, this.options.scopes.join(' '), {}, false);
  }

  issueCustomerToken(customerId: string): TokenResponse {
    return this.tokens.issue(this.options.clientId, this.options.scopes.join(' '), { customerId }, true);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  private async handle(host: 'auth' | 'api', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { url, record: received } = await receive(req);
    const record: RecordedRequest = { host, ...received };
    const { body } = record;
    this.requests.push(record);
    const fault = this.faults.take();
    if (fault !== undefined) {
      record.status = fault;
      send(res, {
        status: fault,
        body: {
          statusCode: fault,
          message: 'Service unavailable (injected)',
          errors: [{ code: 'ServiceUnavailable', message: 'injected' }],
        },
      });
      return;
    }
    let result: RouteResult;
    try {
      const ctx = { options: this.options, state: this.state, tokens: this.tokens, now: () => this.now() };
      result =
        host === 'auth'
          ? handleOAuth(
              {
                method: record.method,
                path: url.pathname,
                authorization: header(req, 'authorization'),
                params: mergeParams(url.searchParams, body, header(req, 'content-type')),
              },
              ctx,
            )
          : handleApi({ method: record.method, path: url.pathname, authorization: header(req, 'authorization'), body }, ctx);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      result = { status: err.status, body: err.body };
    }
    record.status = result.status;
    send(res, result);
  }
}

/** A server whose unexpected errors answer 500 in commercetools' error shape. */
function listenWithCtErrors(handler: RequestHandler) {
  return listen(handler, (res, err) =>
    send(res, { status: 500, body: { statusCode: 500, message: `Emulator error: ${String(err)}`, errors: [] } }),
  );
}
