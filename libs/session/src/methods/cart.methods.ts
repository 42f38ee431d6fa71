import { Controller } from '@nestjs/common';
import { CartAddItemInput, CartLineInput, CartSetQuantityInput, Patterns, Scopes, type CartResult } from '#libs/contracts';
import { cartView } from '../baskets/basket-views.js';
import type { RpcContext } from '../rpc/rpc-context.js';
import { RpcMethod } from '../rpc/rpc-method.decorator.js';
import { Input, RpcCtx } from '../rpc/rpc-params.decorators.js';

/** cart.*: each returns the whole cart. A guest's cart is the session's; a customer's is shared by their devices. */
@Controller()
export class CartMethods {
  @RpcMethod(Patterns.cartGet, { scopes: [Scopes.read] })
  async get(@RpcCtx() ctx: RpcContext): Promise<CartResult> {
    return cartView(await ctx.cart.get());
  }

  @RpcMethod(Patterns.cartAddItem, { scopes: [Scopes.write], input: CartAddItemInput })
  async addItem(@Input() input: CartAddItemInput, @RpcCtx() ctx: RpcContext): Promise<CartResult> {
    return cartView(await ctx.cart.addItem({ ...input }));
  }

  @RpcMethod(Patterns.cartSetQuantity, { scopes: [Scopes.write], input: CartSetQuantityInput })
  async setQuantity(@Input() input: CartSetQuantityInput, @RpcCtx() ctx: RpcContext): Promise<CartResult> {
    return cartView(await ctx.cart.setQuantity({ ...input }));
  }

  @RpcMethod(Patterns.cartRemoveItem, { scopes: [Scopes.write], input: CartLineInput })
  async removeItem(@Input() input: CartLineInput, @RpcCtx() ctx: RpcContext): Promise<CartResult> {
    return cartView(await ctx.cart.removeItem({ ...input }));
  }

  @RpcMethod(Patterns.cartClear, { scopes: [Scopes.write] })
  async clear(@RpcCtx() ctx: RpcContext): Promise<CartResult> {
    return cartView(await ctx.cart.clear());
  }
}
