import type { Router } from 'express';
import { findProduct } from '../catalogue.js';
import { esc } from '../html.js';
import { field, type ShopContext } from '../shop-context.js';

export function wishlistPages(router: Router, shop: ShopContext): void {
  router.get('/wishlist', async (req, res) => {
    const { items } = await shop.session(req).wishlist.get();
    const rows = items.map(
      (item) => `<li data-item="${esc(item.productId)}">${esc(findProduct(item.productId)?.name ?? item.productId)}
  <form method="post" action="${shop.base}/wishlist/remove" class="inline"><input type="hidden" name="productId" value="${esc(item.productId)}"><button>Remove</button></form></li>`,
    );
    await shop.render(
      req,
      res,
      'Wishlist',
      items.length ? `<ul id="wishlist">${rows.join('\n')}</ul>` : `<p id="wishlist-empty">Your wishlist is empty.</p>`,
    );
  });

  router.post('/wishlist/add', async (req, res) => {
    const product = findProduct(field(req, 'productId'));
    if (!product) return shop.redirect(res, '/', 'That product does not exist.');
    await shop.session(req).wishlist.add({ productId: product.productId });
    shop.redirect(res, '/', `${product.name} is on your wishlist.`);
  });

  router.post('/wishlist/remove', async (req, res) => {
    await shop.session(req).wishlist.remove({ productId: field(req, 'productId') });
    shop.redirect(res, '/wishlist');
  });
}
