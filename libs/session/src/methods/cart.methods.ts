import { Controller } from '@nestjs/common';
import { Contract, type CartAddItemInput, type CartLineInput, type CartResult, type CartSetQuantityInput } from '#libs/contracts';
import { cartView } from '../baskets/basket-views.js';
import type { RpcContext } from '../rpc/rpc-context.js';
import { RpcMethod } from '../rpc/rpc-method.decorator.js';

/** cart.*: each returns the whole cart. A guest's cart is the session's; a customer's is shared by their devices. */
@Controller()
export class CartMethods {
  @RpcMethod(Contract.cartGet)
  async get(ctx: RpcContext): Promise<CartResult> {
    return cartView(await ctx.cart.get());
  }

  @RpcMethod(Contract.cartAddItem)
  async addItem(ctx: RpcContext, input: CartAddItemInput): Promise<CartResult> {
    return cartView(await ctx.cart.addItem({ ...input }));
  }

  @RpcMethod(Contract.cartSetQuantity)
  async setQuantity(ctx: RpcContext, input: CartSetQuantityInput): Promise<CartResult> {
    return cartView(await ctx.cart.setQuantity({ ...input }));
  }

  @RpcMethod(Contract.cartRemoveItem)
  async removeItem(ctx: RpcContext, input: CartLineInput): Promise<CartResult> {
    return cartView(await ctx.cart.removeItem({ ...input }));
  }

  @RpcMethod(Contract.cartClear)
  async clear(ctx: RpcContext): Promise<CartResult> {
    return cartView(await ctx.cart.clear());
  }
}
