import type { OnModuleDestroy } from '@nestjs/common';
import { Contract, type AnyRpcContract, type RpcRequest, type RpcResponse } from '#libs/contracts';
import { contractMethods, type ContractMethods, type SessionCookie } from './contract-methods.js';
import { RpcConnection } from './rpc-connection.js';
import type { SessionClientOptions, TokenProvider } from './session-client.options.js';

export type { SessionCookie } from './contract-methods.js';

/**
 * One method per entry of the Contract table (`resolve`, `login`, `addCartItem`, ...). It
 * merges with the class below, whose prototype gets the methods when the module loads: the
 * merge is how a class declares members it makes from a table.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface SessionClient extends ContractMethods<typeof Contract> {}

/**
 * Typed calls to the session service over its TCP transport: one method per entry of the
 * Contract table, named by its `client` field, taking `(shopId, session, input)` (or
 * `(shopId, input)` without a session). Every method resolves with the whole
 * `{ data, session }` response (pass it to `setSessionCookie`) and rejects with a
 * `SessionServiceError`.
 */
// Over RpcConnection (Nest's TCP wire protocol, without ClientProxy's per-call Observable).
// The interface above and this class merge: the methods are made once, on the prototype.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class SessionClient implements OnModuleDestroy {
  private readonly connection: RpcConnection;

  constructor(private readonly options: SessionClientOptions) {
    const { host, port, tls, timeoutMs } = options;
    this.connection = new RpcConnection({ host, port, tls, timeoutMs });
  }

  /**
   * Typed methods for another contract table (a team's own entries), over this client's
   * connection: `client.methodsOf(TeamContract).myMethod(shopId, session, input)`.
   */
  methodsOf<T extends Record<string, AnyRpcContract>>(table: T): ContractMethods<T> {
    return contractMethods(table, (pattern, shopId, session, data) => this.call(pattern, shopId, session, data));
  }

  /** Any pattern, including a team's own methods; same timeout and error mapping as the typed ones. */
  call<TResult>(pattern: string, shopId: string, session: SessionCookie, data: object): Promise<RpcResponse<TResult>> {
    const provider = this.options.tokenProvider;
    if (provider) return this.callWithProvidedToken(provider, pattern, shopId, session, data);
    const request: RpcRequest<object> = { auth: this.options.token, shopId, session, data };
    return this.connection.request(pattern, request) as Promise<RpcResponse<TResult>>;
  }

  private async callWithProvidedToken<TResult>(
    provider: TokenProvider,
    pattern: string,
    shopId: string,
    session: SessionCookie,
    data: object,
  ): Promise<RpcResponse<TResult>> {
    const request: RpcRequest<object> = { auth: await provider(), shopId, session, data };
    return (await this.connection.request(pattern, request)) as RpcResponse<TResult>;
  }

  /** Closes the connection; calls in flight fail with UNAVAILABLE, and a later call connects again. */
  async close(): Promise<void> {
    this.connection.close();
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}

Object.assign(
  SessionClient.prototype,
  contractMethods(Contract, function (this: unknown, pattern, shopId, session, data) {
    return (this as SessionClient).call(pattern, shopId, session, data);
  }),
);
