import express, { type ErrorRequestHandler, type Express, type Request } from 'express';
import { SessionServiceError, SessionUnavailableError, storefrontSession, UNAVAILABLE_CODES } from '#libs/session-client';
import type { DemoOptions } from './demo-options.js';
import { esc } from './html.js';
import { accountPages } from './pages/account.page.js';
import { cartPages } from './pages/cart.page.js';
import { productPages } from './pages/products.page.js';
import { signInPages } from './pages/sign-in.page.js';
import { wishlistPages } from './pages/wishlist.page.js';
import { ShopContext } from './shop-context.js';

/**
 * The demo storefront: server-rendered HTML, one Express router per shop under
 * `/shop/<id>/`, each behind the session adapter for its shop. Every shop's cookie is
 * `$session-<id>` with `Path=/`, so the shops share a host and keep their own sessions.
 */
export function createDemoApp(options: DemoOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '8kb' }));
  app.get('/', (_req, res) => res.redirect(302, `/shop/${encodeURIComponent(options.shops[0]!.id)}/`));
  app.get('/favicon.ico', (_req, res) => res.status(204).end()); // no session for it

  for (const shop of options.shops) {
    const context = new ShopContext(shop, options);
    const router = express.Router();
    router.use(storefrontSession<Request>({ client: options.client, shop: shop.id, whenUnavailable: options.whenUnavailable }));
    productPages(router, context);
    cartPages(router, context);
    wishlistPages(router, context);
    signInPages(router, context);
    accountPages(router, context);
    app.use(context.base, router);
  }
  app.use(errorPage);
  return app;
}

const errorPage: ErrorRequestHandler = (error, _req, res, _next) => {
  const [status, message] =
    error instanceof SessionUnavailableError || (error instanceof SessionServiceError && UNAVAILABLE_CODES.has(error.code))
      ? [503, 'Our shop is briefly unavailable. Please try again in a moment.']
      : error instanceof SessionServiceError && (error.code === 'LIMIT_EXCEEDED' || error.code === 'VALIDATION_FAILED')
        ? [400, `That did not work: ${error.message}`]
        : error instanceof SessionServiceError && error.code === 'NOT_LOGGED_IN'
          ? [401, 'Please sign in again.']
          : [500, 'Something went wrong.'];
  if (status === 500) console.error('storefront-demo:', error);
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><title>${status}</title><h1 id="error">${status}</h1><p>${esc(message)}</p><p><a href="/">Back to the shop</a></p>`,
    );
};
