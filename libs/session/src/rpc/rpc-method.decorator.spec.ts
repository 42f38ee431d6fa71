import 'reflect-metadata';
import { PATTERN_METADATA } from '@nestjs/microservices/constants.js';
import { Contract, type AdminStatsResult, type CartAddItemInput, type CartResult } from '#libs/contracts';
import type { RpcContext, ServiceContext } from './rpc-context.js';
import { RPC_METHOD, RPC_METHOD_OPTIONS, RpcMethod } from './rpc-method.decorator.js';

/**
 * A handler that does not fit its contract entry does not compile: each `@ts-expect-error`
 * below fails `npm run typecheck` if the misuse it marks starts compiling.
 */
class Handlers {
  @RpcMethod(Contract.cartAddItem)
  fits(ctx: RpcContext, input: CartAddItemInput): CartResult {
    return { lines: ctx.user ? [] : [{ ...input, addedAt: '' }] };
  }

  @RpcMethod(Contract.cartGet, { recentLogin: 60 })
  marked(_ctx: RpcContext): CartResult {
    return { lines: [] };
  }

  // @ts-expect-error a method without a session gets no session members
  @RpcMethod(Contract.adminStats)
  sessionMembersWithoutSession(ctx: RpcContext): AdminStatsResult {
    return { at: ctx.sessionId ?? '', shops: [] };
  }

  // @ts-expect-error a method with a session gets the RpcContext, not a ServiceContext
  @RpcMethod(Contract.cartGet)
  serviceContextWithSession(_ctx: ServiceContext): CartResult {
    return { lines: [] };
  }

  // @ts-expect-error the result must be the entry's
  @RpcMethod(Contract.cartGet)
  wrongResult(_ctx: RpcContext): AdminStatsResult {
    return { at: '', shops: [] };
  }

  // @ts-expect-error the input must be the entry's
  @RpcMethod(Contract.cartAddItem)
  wrongInput(_ctx: RpcContext, _input: { sku: number }): CartResult {
    return { lines: [] };
  }
}

describe('@RpcMethod', () => {
  it('registers the pattern with Nest and keeps the whole contract entry on the handler', () => {
    const handler = Object.getOwnPropertyDescriptor(Handlers.prototype, 'fits')!.value as object;
    expect(Reflect.getMetadata(RPC_METHOD, handler)).toBe(Contract.cartAddItem);
    expect(Reflect.getMetadata(PATTERN_METADATA, handler)).toEqual([Contract.cartAddItem.pattern]);
    expect(Reflect.getMetadata(RPC_METHOD_OPTIONS, handler)).toEqual({});
  });

  it("keeps the service's own options (recentLogin) beside the entry", () => {
    const handler = Object.getOwnPropertyDescriptor(Handlers.prototype, 'marked')!.value as object;
    expect(Reflect.getMetadata(RPC_METHOD, handler)).toBe(Contract.cartGet);
    expect(Reflect.getMetadata(RPC_METHOD_OPTIONS, handler)).toEqual({ recentLogin: 60 });
  });
});
