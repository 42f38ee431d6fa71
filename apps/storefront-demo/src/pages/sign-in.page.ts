import type { Request, Response, Router } from 'express';
import type { LoginResult } from '#libs/contracts';
import { SessionServiceError } from '#libs/session-client';
import { DEMO_CUSTOMERS } from '../demo-options.js';
import { esc } from '../html.js';
import { field, type ShopContext } from '../shop-context.js';

export function signInPages(router: Router, shop: ShopContext): void {
  const customers = shop.options.customers ?? DEMO_CUSTOMERS;

  const form = (req: Request, res: Response, error?: string): Promise<void> => {
    const trusted = customers
      .map(
        (c) => `<form method="post" action="${shop.base}/login"><input type="hidden" name="customer" value="${esc(c.id)}">
  <strong>${esc(c.name)}</strong><br><small>${esc(c.email)}</small><br><button class="primary" name="as" value="${esc(c.id)}">Sign in as ${esc(c.name.split(' ')[0])}</button></form>`,
      )
      .join('\n');
    const password = shop.shop.passwordLogin
      ? `<h2>With your shop account</h2><form method="post" action="${shop.base}/login" id="password-login">
  <label>Email <input type="email" name="email" required></label> <label>Password <input type="password" name="password" required></label>
  <button class="primary" name="with" value="password">Sign in</button></form>`
      : '';
    const problem = error ? `<p class="notice warn" id="login-error">${esc(error)}</p>` : '';
    return shop.render(
      req,
      res,
      'Sign in',
      `${problem}<h2>Demo customers</h2><div class="customers">${trusted}</div>${password}`,
      error ? 401 : 200,
    );
  };

  router.get('/login', (req, res) => form(req, res));

  router.post('/login', async (req, res) => {
    const session = shop.session(req);
    let result: LoginResult;
    const customer = customers.find((c) => c.id === field(req, 'customer'));
    try {
      if (customer) {
        // A trusted login: the storefront vouches for the shopper (here: a demo account).
        result = await session.login({ user: { id: customer.id, name: customer.name, email: customer.email } });
      } else if (shop.shop.passwordLogin && field(req, 'email')) {
        result = await session.login({ credentials: { email: field(req, 'email'), password: field(req, 'password') } });
      } else {
        return form(req, res, 'Choose a demo customer.');
      }
    } catch (e) {
      if (e instanceof SessionServiceError && (e.code === 'INVALID_CREDENTIALS' || e.code === 'VALIDATION_FAILED'))
        return form(req, res, 'Wrong email or password.');
      throw e;
    }
    shop.redirect(res, '/cart', mergeNotice(result));
  });

  router.post('/logout', async (req, res) => {
    await shop.session(req).logout();
    shop.redirect(res, '/', 'You are signed out.');
  });
}

function mergeNotice(result: LoginResult): string {
  const name = String(result.user.name ?? result.user.id);
  const cart = result.cart;
  if (!cart || cart.alreadyMerged || cart.merged === 0) return `Welcome, ${name}.`;
  // `merged` counts every guest line that changed the cart; `added` those that were new to it.
  return `Welcome, ${name}. Your guest cart was merged into your cart (${cart.strategy}: ${cart.added} line(s) added, ${cart.merged - cart.added} combined).`;
}
