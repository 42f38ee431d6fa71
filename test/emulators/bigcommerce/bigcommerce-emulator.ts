import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { EmulatorClock } from '../shared/emulator-clock.js';
import { close, listen, receive, sendJson } from '../shared/http-server.js';
import { InjectedFaults } from '../shared/injected-faults.js';
import { resolveBigCommerceOptions, type BigCommerceEmulatorOptions, type ResolvedBigCommerceOptions } from './bigcommerce-options.js';
import { BigCommerceState, type BcCart, type BcCustomer, type LineItemDraft } from './bigcommerce-state.js';
import { signCustomerLoginJwt, type CustomerLoginClaims } from './customer-login-jwt.js';
import { handleGraphQL } from './graphql-endpoint.js';
import { remoteIp, type RecordedRequest } from './http-helpers.js';
import {
  handleCheckoutRedirect,
  handleLoginToken,
  type CheckoutVisit,
  type StorefrontLogin,
  type StorefrontRouteContext,
} from './storefront-routes.js';

/**
 * Local BigCommerce storefront: POST /graphql (GraphQL Storefront API subset),
 * GET /login/token/{jwt} and GET /cart.php checkout redirects. See commerce-apis.md C1.
 */
export class BigCommerceEmulator {
  readonly options: ResolvedBigCommerceOptions;
  readonly state: BigCommerceState;
  /** Every request received, in order (headers as Node lower-cases them). */
  readonly requests: RecordedRequest[] = [];
  /** `faults.failNext(n, status)`: the next n requests get a 5xx (see shared/injected-faults.ts). */
  readonly faults = new InjectedFaults();
  readonly storefrontLogins: StorefrontLogin[] = [];
  readonly checkoutVisits: CheckoutVisit[] = [];
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private readonly clock: EmulatorClock;

  constructor(options: BigCommerceEmulatorOptions = {}) {
    this.options = resolveBigCommerceOptions(options);
    this.clock = new EmulatorClock(options.now);
    this.state = new BigCommerceState(() => this.now());
  }

  async start(): Promise<{ url: string; graphqlUrl: string }> {
    if (this.server) throw new Error('BigCommerceEmulator already started');
    const { server, url } = await listen(
      (req, res) => this.handle(req, res),
      (res, err) => sendJson(res, 500, { errors: [{ message: `Emulator error: ${String(err)}` }] }),
    );
    this.server = server;
    this.baseUrl = url;
    return { url: this.baseUrl, graphqlUrl: `${this.baseUrl}/graphql` };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await close(server);
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('BigCommerceEmulator not started');
    return this.baseUrl;
  }

  /** Emulator clock in epoch ms. */
  now(): number {
    return this.clock.now();
  }

  advanceTime(seconds: number): void {
    this.clock.advanceTime(seconds);
  }

  addCustomer(input: Partial<BcCustomer> & { email: string; password: string }): BcCustomer {
    return this.state.addCustomer(input);
  }

  /** Seeds a cart; omit `customerEntityId` for a guest cart. */
  addCart(input: { customerEntityId?: number | null; lineItems?: LineItemDraft[]; currencyCode?: string } = {}): BcCart {
    return structuredClone(this.state.createCart(input.lineItems ?? [], input.customerEntityId ?? null, input.currencyCode));
  }

  /** Snapshot of a cart, or undefined once it was deleted (e.g. merged away at login). */
  getCart(entityId: string): BcCart | undefined {
    const cart = this.state.carts.get(entityId);
    return cart && structuredClone(cart);
  }

  issueCustomerAccessToken(customerEntityId: number): string {
    if (!this.state.customers.has(customerEntityId)) throw new Error(`unknown customer ${customerEntityId}`);
    return this.state.issueAccessToken(customerEntityId, this.options.customerAccessTokenTtlSeconds).value;
  }

  revokeCustomerAccessToken(value: string): void {
    const token = this.state.accessTokens.get(value);
    if (token) token.revoked = true;
  }

  /** A valid Customer Login JWT for this store at the emulator's current time; claims can be overridden. */
  signCustomerLoginJwt(claims: Partial<CustomerLoginClaims> & { customer_id: number }, secret?: string): string {
    return signCustomerLoginJwt(
      {
        iss: this.options.clientId,
        iat: Math.floor(this.now() / 1000),
        jti: randomUUID(),
        operation: 'customer_login',
        store_hash: this.options.storeHash,
        channel_id: this.options.channelId,
        ...claims,
      },
      secret ?? this.options.clientSecret,
    );
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { url, record } = await receive(req);
    this.requests.push(record);
    const fault = this.faults.take();
    if (fault !== undefined) {
      sendJson(res, fault, { errors: [{ message: 'Service unavailable (injected)' }] });
      return;
    }

    if (url.pathname === '/graphql') {
      if (req.method !== 'POST') {
        sendJson(res, 405, { errors: [{ message: 'Only POST is supported on /graphql' }] }, { allow: 'POST' });
        return;
      }
      const result = handleGraphQL(req, record.body, record, {
        state: this.state,
        options: this.options,
        requestIp: remoteIp(req),
        baseUrl: this.options.storefrontBaseUrl ?? this.url,
        now: () => this.now(),
      });
      sendJson(res, result.status, result.body);
      return;
    }

    const routeCtx: StorefrontRouteContext = {
      state: this.state,
      options: this.options,
      now: () => this.now(),
      requestIp: remoteIp(req),
      storefrontLogins: this.storefrontLogins,
      checkoutVisits: this.checkoutVisits,
    };
    const loginToken = /^\/login\/token\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && loginToken) {
      handleLoginToken(routeCtx, res, decodeURIComponent(loginToken[1]!));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/cart.php') {
      handleCheckoutRedirect(routeCtx, res, url.searchParams);
      return;
    }
    sendJson(res, 404, { errors: [{ message: `Not found: ${req.method} ${url.pathname}` }] });
  }
}
