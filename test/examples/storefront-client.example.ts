/**
 * The example from docs/rpc.md: how a storefront web tier calls the service with a stock
 * ClientProxy. storefront-client.spec.ts runs it against the real service.
 */
import { JwtService } from '@nestjs/jwt';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import type { ResolveResult, RpcErrorPayload, RpcResponse } from '#libs/contracts';

export function connect(host: string, port: number): ClientProxy {
  return ClientProxyFactory.create({ transport: Transport.TCP, options: { host, port } });
}

/** A service token: HS256, audience `session-service`, space-separated scopes. */
export function serviceToken(secret: string): string {
  return new JwtService().sign(
    { sub: 'storefront-web', scope: 'session:read session:write' },
    { secret, audience: 'session-service', expiresIn: '1h', algorithm: 'HS256' },
  );
}

/** Per page request: pass the raw cookie in, send back any Set-Cookie. */
export async function handlePageRequest(
  client: ClientProxy,
  auth: string,
  cookies: Record<string, string>,
  setHeader: (name: string, value: string) => void,
): Promise<ResolveResult> {
  const shopId = '1001';
  try {
    const res = await firstValueFrom(
      client
        .send<RpcResponse<ResolveResult>>('session.resolve', { auth, shopId, session: cookies[`$session-${shopId}`] ?? null, data: {} })
        .pipe(timeout(2000)), // a stock ClientProxy has no timeout of its own
    );
    if (res.session?.setCookie) setHeader('Set-Cookie', res.session.setCookie);
    return res.data;
  } catch (e) {
    const error = e as RpcErrorPayload; // { code: 'STORE_UNAVAILABLE' | 'UNAUTHENTICATED' | ..., message, details? }
    throw new Error(`session service: ${error.code ?? 'TRANSPORT'} ${error.message ?? String(e)}`, { cause: e });
  }
}
