import type { Router } from 'express';
import { findProduct, formatPrice } from '../catalogue.js';
import { esc } from '../html.js';
import { field, type ShopContext } from '../shop-context.js';

export function cartPages(router: Router, shop: ShopContext): void {
  router.get('/cart', async (req, res) => {
    const { lines } = await shop.session(req).cart.get();
    let total = 0;
    const rows = lines.map((line) => {
      const product = findProduct(line.productId);
      const price = product?.priceCents ?? 0;
      total += price * line.quantity;
      const ref = `<input type="hidden" name="productId" value="${esc(line.productId)}"><input type="hidden" name="variantId" value="${esc(line.variantId)}">`;
      return `<tr data-line="${esc(line.productId)}"><td>${esc(product?.name ?? line.productId)}</td><td>${formatPrice(price)}</td>
  <td><form method="post" action="${shop.base}/cart/quantity" class="inline">${ref}
    <input type="number" name="quantity" min="0" max="99" value="${line.quantity}" aria-label="Quantity of ${esc(product?.name ?? line.productId)}">
    <button name="update">Update</button></form></td>
  <td class="qty" data-qty="${line.quantity}">${formatPrice(price * line.quantity)}</td>
  <td><form method="post" action="${shop.base}/cart/remove" class="inline">${ref}<button name="remove">Remove</button></form></td></tr>`;
    });
    const body = lines.length
      ? `<table id="cart"><tr><th>Product</th><th>Price</th><th>Quantity</th><th>Subtotal</th><th></th></tr>${rows.join('\n')}
<tr><th colspan="3">Total</th><th id="total">${formatPrice(total)}</th><th></th></tr></table>`
      : `<p id="cart-empty">Your cart is empty.</p>`;
    await shop.render(req, res, 'Cart', body);
  });

  router.post('/cart/quantity', async (req, res) => {
    const quantity = Number.parseInt(field(req, 'quantity'), 10);
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > 99) return shop.redirect(res, '/cart', 'Quantities go from 0 to 99.');
    await shop.session(req).cart.setQuantity({ productId: field(req, 'productId'), variantId: field(req, 'variantId'), quantity });
    shop.redirect(res, '/cart');
  });

  router.post('/cart/remove', async (req, res) => {
    await shop.session(req).cart.remove({ productId: field(req, 'productId'), variantId: field(req, 'variantId') });
    shop.redirect(res, '/cart');
  });
}
