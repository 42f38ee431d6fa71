import { JwtService } from '@nestjs/jwt';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import {
  Patterns,
  Scopes,
  SERVICE_TOKEN_AUDIENCE,
  type LoginResult,
  type ResolveResult,
  type RpcRequest,
  type RpcResponse,
} from '#libs/contracts';
import type { RpcEndpoint } from './service-processes.js';

export const BENCH_USER_ID = 'bench-user';
export const BENCH_SHOP_ID = '1001';

/** A stock TCP ClientProxy (one socket), connected. */
export async function connectClient(endpoint: RpcEndpoint): Promise<ClientProxy> {
  const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: endpoint.host, port: endpoint.port } });
  await client.connect();
  return client;
}

/** A service token with read and write scopes, as a calling service would hold it. */
export function mintServiceToken(secret: string): string {
  return new JwtService().sign(
    { sub: 'bench', scope: `${Scopes.read} ${Scopes.write}` },
    { secret, audience: SERVICE_TOKEN_AUDIENCE, expiresIn: '1h', algorithm: 'HS256' },
  );
}

export function send<T>(client: ClientProxy, pattern: string, request: RpcRequest): Promise<T> {
  return firstValueFrom(client.send<T, RpcRequest>(pattern, request));
}

/** Logs the bench user in and returns the resolve request for that existing session, checked once. */
export async function existingSessionRequest(client: ClientProxy, auth: string): Promise<RpcRequest> {
  const login = await send<RpcResponse<LoginResult>>(client, Patterns.sessionLogin, {
    auth,
    shopId: BENCH_SHOP_ID,
    data: { user: { id: BENCH_USER_ID, name: 'Bench' } },
  });
  const cookie = login.session?.cookie?.value;
  if (!cookie) throw new Error(`session.login returned no cookie: ${JSON.stringify(login)}`);

  const request: RpcRequest = { auth, shopId: BENCH_SHOP_ID, session: cookie, data: {} };
  const resolved = await send<RpcResponse<ResolveResult>>(client, Patterns.sessionResolve, request);
  if (resolved.session?.userId !== BENCH_USER_ID || resolved.session.isNew) {
    throw new Error(`session.resolve did not find the logged-in session: ${JSON.stringify(resolved)}`);
  }
  return request;
}
