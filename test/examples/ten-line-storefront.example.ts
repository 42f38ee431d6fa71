/**
 * The ten-line storefront of docs/rpc.md ("HTTP adapter"), as a function of the client so
 * ten-line-storefront.spec.ts can run it against the real service.
 */
import express, { type Express } from 'express';
import { sessionOf, storefrontSession, type SessionClient } from '#libs/session-client';

export function tenLineStorefront(client: SessionClient): Express {
  const app = express().use(express.urlencoded({ extended: false }), storefrontSession({ client, shop: '1001' }));
  app.get('/', async (req, res) => {
    const session = sessionOf(req); // resolved once per request
    res.send(`Hello ${session.user?.id ?? 'guest'}: ${(await session.cart.get()).lines.length} lines in your cart`);
  });
  app.post('/cart', async (req, res) => {
    await sessionOf(req).cart.add({ productId: req.body.product, variantId: req.body.variant, quantity: 1 });
    res.redirect(303, '/');
  });
  app.post('/login', async (req, res) => {
    await sessionOf(req).login({ user: { id: req.body.user } });
    res.redirect(303, '/');
  }); // after your own check
  app.post('/logout', async (req, res) => {
    await sessionOf(req).logout();
    res.redirect(303, '/');
  });
  return app;
}
