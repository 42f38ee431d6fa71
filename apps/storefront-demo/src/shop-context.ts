import type { Request, Response } from 'express';
import { sessionOf, type StorefrontSession } from '#libs/session-client';
import type { DemoOptions, DemoShop } from './demo-options.js';
import { page } from './html.js';

/** What every page handler of one shop needs. */
export class ShopContext {
  readonly base: string;

  constructor(
    readonly shop: DemoShop,
    readonly options: DemoOptions,
  ) {
    this.base = `/shop/${encodeURIComponent(shop.id)}`;
  }

  session(req: Request): StorefrontSession {
    return sessionOf(req);
  }

  /** Renders `body` in the page frame, with the cart and wishlist counts in the header. */
  async render(req: Request, res: Response, title: string, body: string, status = 200): Promise<void> {
    const session = sessionOf(req);
    const [cart, wishlist] = await Promise.all([session.cart.get(), session.wishlist.get()]);
    const cartCount = cart.lines.reduce((n, line) => n + line.quantity, 0);
    const notice = typeof req.query.notice === 'string' ? req.query.notice : undefined;
    const html = page(
      {
        title,
        shop: this.shop,
        shops: this.options.shops,
        session,
        base: this.base,
        cartCount,
        wishlistCount: wishlist.items.length,
        notice,
      },
      body,
    );
    res.status(status).type('html').send(html);
  }

  /** Post/redirect/get: back to a page of this shop, with an optional notice. */
  redirect(res: Response, path: string, notice?: string): void {
    res.redirect(303, `${this.base}${path}${notice ? `?notice=${encodeURIComponent(notice)}` : ''}`);
  }
}

/** A form field as a string ('' when absent). */
export function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}
