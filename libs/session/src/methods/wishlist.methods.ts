import { Controller } from '@nestjs/common';
import { Patterns, Scopes, WishlistItemInput, type WishlistResult } from '#libs/contracts';
import { wishlistView } from '../baskets/basket-views.js';
import type { RpcContext } from '../rpc/rpc-context.js';
import { RpcMethod } from '../rpc/rpc-method.decorator.js';
import { Input, RpcCtx } from '../rpc/rpc-params.decorators.js';

/** wishlist.*: each returns the whole wishlist; scoped like the cart. */
@Controller()
export class WishlistMethods {
  @RpcMethod(Patterns.wishlistGet, { scopes: [Scopes.read] })
  async get(@RpcCtx() ctx: RpcContext): Promise<WishlistResult> {
    return wishlistView(await ctx.wishlist.get());
  }

  @RpcMethod(Patterns.wishlistAdd, { scopes: [Scopes.write], input: WishlistItemInput })
  async add(@Input() input: WishlistItemInput, @RpcCtx() ctx: RpcContext): Promise<WishlistResult> {
    return wishlistView(await ctx.wishlist.add({ ...input }));
  }

  @RpcMethod(Patterns.wishlistRemove, { scopes: [Scopes.write], input: WishlistItemInput })
  async remove(@Input() input: WishlistItemInput, @RpcCtx() ctx: RpcContext): Promise<WishlistResult> {
    return wishlistView(await ctx.wishlist.remove({ ...input }));
  }

  @RpcMethod(Patterns.wishlistClear, { scopes: [Scopes.write] })
  async clear(@RpcCtx() ctx: RpcContext): Promise<WishlistResult> {
    return wishlistView(await ctx.wishlist.clear());
  }
}
