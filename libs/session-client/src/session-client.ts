import type { Socket } from 'node:net';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import type { OnModuleDestroy } from '@nestjs/common';
import { Contract, type AnyRpcContract, type RpcRequest, type RpcResponse } from '#libs/contracts';
import { contractMethods, type ContractMethods, type SessionCookie } from './contract-methods.js';
import { CorkedClientSocket } from './corked-client-socket.js';
import type { SessionClientOptions } from './session-client.options.js';
import { SessionServiceError } from './session-service.error.js';

export type { SessionCookie } from './contract-methods.js';

/** One method per entry of the Contract table (`resolve`, `login`, `addCartItem`, ...). */
export interface SessionClient extends ContractMethods<typeof Contract> {}

/**
 * Typed calls to the session service over its TCP transport: one method per entry of the
 * Contract table, named by its `client` field, taking `(shopId, session, input)` (or
 * `(shopId, input)` without a session). Every method resolves with the whole
 * `{ data, session }` response (pass it to `setSessionCookie`) and rejects with a
 * `SessionServiceError`.
 */
// The interface above and this class merge: the methods are made once, on the prototype.
export class SessionClient implements OnModuleDestroy {
  private readonly proxy: ClientProxy;

  constructor(private readonly options: SessionClientOptions) {
    const { host, port, tls } = options;
    this.proxy = ClientProxyFactory.create({
      transport: Transport.TCP,
      options: { host, port, socketClass: CorkedClientSocket, ...(tls ? { tlsOptions: tls } : {}) },
    });
  }

  /**
   * Typed methods for another contract table (a team's own entries), over this client's
   * connection: `client.methodsOf(TeamContract).myMethod(shopId, session, input)`.
   */
  methodsOf<T extends Record<string, AnyRpcContract>>(table: T): ContractMethods<T> {
    return contractMethods(table, (pattern, shopId, session, data) => this.call(pattern, shopId, session, data));
  }

  /** Any pattern, including a team's own methods; same timeout and error mapping as the typed ones. */
  async call<TResult>(pattern: string, shopId: string, session: SessionCookie, data: object): Promise<RpcResponse<TResult>> {
    const auth = this.options.tokenProvider ? await this.options.tokenProvider() : this.options.token;
    const request: RpcRequest<object> = { auth, shopId, session, data };
    try {
      return await this.firstReply<RpcResponse<TResult>>(pattern, request);
    } catch (e) {
      // No close() on transport errors: ClientTCP already drops a closed or refused socket and
      // connects again on the next call (see the restart test), and closing here could cut a
      // connection a concurrent call has just opened.
      throw SessionServiceError.from(e);
    }
  }

  /**
   * The call's one reply, or a TIMEOUT after `timeoutMs` (a stock ClientProxy never times
   * out). What `firstValueFrom(send().pipe(timeout()))` does, without an operator chain per
   * call: a web tier makes one of these per page.
   */
  private firstReply<T>(pattern: string, request: RpcRequest<object>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        finish();
      };
      const subscription = this.proxy.send<T>(pattern, request).subscribe({
        next: (value) => settle(() => resolve(value)),
        error: (e: unknown) => settle(() => reject(e)),
        complete: () => settle(() => reject(new SessionServiceError('INTERNAL', `no reply to ${pattern}`))),
      });
      if (settled) return subscription.unsubscribe();
      timer = setTimeout(() => {
        settle(() => reject(new SessionServiceError('TIMEOUT', 'the session service did not answer in time')));
        subscription.unsubscribe(); // drops the pending call from the proxy's routing map
      }, this.options.timeoutMs);
    });
  }

  /**
   * Closes the connection for good. ClientTCP's close() only half-closes its socket (end()):
   * against a service that never closes its side, the socket, and so the process, would stay
   * alive. The socket is destroyed as well.
   */
  async close(): Promise<void> {
    const socket = (this.proxy as unknown as { socket?: { netSocket?: Socket } | null }).socket?.netSocket;
    await this.proxy.close();
    socket?.destroy();
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
