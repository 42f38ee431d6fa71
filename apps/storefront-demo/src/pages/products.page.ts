import type { Router } from 'express';
import { CATALOGUE, findProduct, formatPrice } from '../catalogue.js';
import { esc } from '../html.js';
import { field, type ShopContext } from '../shop-context.js';

export function productPages(router: Router, shop: ShopContext): void {
  router.get('/', async (req, res) => {
    const tiles = CATALOGUE.map(
      (
        p,
      ) => `<div class="card" data-product="${esc(p.productId)}"><div class="swatch" style="background:${p.colour}"></div><div class="body">
  <strong>${esc(p.name)}</strong><br><small>${esc(p.description)}</small><p class="price">${formatPrice(p.priceCents)}</p>
  <form method="post" action="${shop.base}/cart/add" class="inline"><input type="hidden" name="productId" value="${esc(p.productId)}">
    <button class="primary" name="add" value="${esc(p.productId)}">Add to cart</button></form>
  <form method="post" action="${shop.base}/wishlist/add" class="inline"><input type="hidden" name="productId" value="${esc(p.productId)}">
    <button name="wish" value="${esc(p.productId)}">♡ Wishlist</button></form>
</div></div>`,
    ).join('\n');
    await shop.render(req, res, 'Products', `<div class="grid">${tiles}</div>`);
  });

  router.post('/cart/add', async (req, res) => {
    const product = findProduct(field(req, 'productId'));
    if (!product) return shop.redirect(res, '/', 'That product does not exist.');
    await shop.session(req).cart.add({ productId: product.productId, variantId: product.variantId, quantity: 1 });
    shop.redirect(res, '/', `${product.name} added to your cart.`);
  });
}
