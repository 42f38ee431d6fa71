import { Controller } from '@nestjs/common';
import { Contract, type WishlistItemInput, type WishlistResult } from '#libs/contracts';
import { wishlistView } from '../baskets/basket-views.js';
import type { RpcContext } from '../rpc/rpc-context.js';
import { RpcMethod } from '../rpc/rpc-method.decorator.js';

/** wishlist.*: each returns the whole wishlist; scoped like the cart. */
@Controller()
export class WishlistMethods {
  @RpcMethod(Contract.wishlistGet)
  async get(ctx: RpcContext): Promise<WishlistResult> {
    return wishlistView(await ctx.wishlist.get());
  }

  @RpcMethod(Contract.wishlistAdd)
  async add(ctx: RpcContext, input: WishlistItemInput): Promise<WishlistResult> {
    return wishlistView(await ctx.wishlist.add({ ...input }));
  }

  @RpcMethod(Contract.wishlistRemove)
  async remove(ctx: RpcContext, input: WishlistItemInput): Promise<WishlistResult> {
    return wishlistView(await ctx.wishlist.remove({ ...input }));
  }

  @RpcMethod(Contract.wishlistClear)
  async clear(ctx: RpcContext): Promise<WishlistResult> {
    return wishlistView(await ctx.wishlist.clear());
  }
}
