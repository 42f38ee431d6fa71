/**
 * The demo storefront in headless Chromium: what the browser itself sees of the session
 * cookie through login, logout, force-logout, tampering, a service restart and two shops.
 */
import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sessionctl } from '../sessionctl/cli-runner.js';
import { ALL_SCOPES } from '../support/session-service.harness.js';
import { mintToken } from '../support/service-tokens.js';
import { launchChromium, newDevice, Screenshots } from './support/chromium.js';
import {
  addToCart,
  addToWishlist,
  cartCount,
  cartLines,
  open,
  sessionCookie,
  signInAs,
  submit,
  userOnPage,
} from './support/storefront-page.js';
import { StorefrontStack } from './support/storefront-stack.js';

jest.setTimeout(180_000);

describe('the demo storefront in Chromium', () => {
  let stack: StorefrontStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const device = async (): Promise<Page> => {
    const { context, page } = await newDevice(browser);
    contexts.push(context);
    return page;
  };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([StorefrontStack.start(), launchChromium()]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('keeps the cookie from scripts: HttpOnly, SameSite=Lax, Path=/', async () => {
    const shots = new Screenshots('cookie-attributes');
    const page = await device();
    expect(await open(page, stack.url + '/')).toBe(200); // redirected to the first shop
    await shots.take(page, 'first-visit');
    const cookie = await sessionCookie(page.context(), '1001');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: true, domain: '127.0.0.1' });
    expect(decodeURIComponent(cookie!.value)).toMatch(/^s:[0-9a-f-]{36}\.[A-Za-z0-9+/]+$/);
    expect(await page.evaluate('document.cookie')).toBe('');
    await addToCart(page, 'cap');
    expect(await page.evaluate('document.cookie')).toBe('');
    await shots.take(page, 'after-add');
  });

  it('keeps a guest cart across reloads and a restart of the service on Redis', async () => {
    const shots = new Screenshots('guest-cart-survives-restart');
    const page = await device();
    await open(page, stack.shopUrl('1001'));
    await addToCart(page, 'hoodie');
    await addToCart(page, 'hoodie');
    await addToCart(page, 'socks');
    await addToWishlist(page, 'tote');
    const cookie = (await sessionCookie(page.context(), '1001'))!.value;
    await open(page, stack.shopUrl('1001', '/cart'));
    await shots.take(page, 'cart');
    expect(await cartLines(page)).toEqual({ hoodie: 2, socks: 1 });
    for (let i = 0; i < 2; i++) await page.reload();
    expect(await cartLines(page)).toEqual({ hoodie: 2, socks: 1 });
    await shots.take(page, 'after-reloads');

    await stack.restartService();
    // The storefront's client reconnects on its next call; a request that raced the restart
    // would show the "unavailable" guest page, so allow a few reloads for that.
    for (let i = 0; i < 20 && (await page.reload().then(() => page.locator('#offline').count())) > 0; i++) await page.waitForTimeout(250);
    await shots.take(page, 'after-service-restart');
    expect(await page.locator('#offline').count()).toBe(0);
    expect(await cartLines(page)).toEqual({ hoodie: 2, socks: 1 });
    expect(await page.locator('#wishlist-count').textContent()).toBe('1');
    expect((await sessionCookie(page.context(), '1001'))!.value).toBe(cookie);
  });

  it('serves products as a guest while the service is down, keeps the cookie, and has the cart back after', async () => {
    const shots = new Screenshots('service-down');
    const page = await device();
    await open(page, stack.shopUrl('1002'));
    await addToCart(page, 'beanie');
    const cookie = (await sessionCookie(page.context(), '1002'))!.value;
    await stack.stopService();
    try {
      expect(await open(page, stack.shopUrl('1002'))).toBe(200);
      await shots.take(page, 'products-while-down');
      expect(await page.locator('#offline').count()).toBe(1);
      expect(await cartCount(page)).toBe(0);
      const refused = page.waitForResponse((r) => r.url().endsWith('/shop/1002/cart/add'));
      await addToCart(page, 'cap');
      expect((await refused).status()).toBe(503);
      await shots.take(page, 'add-while-down');
      expect(await page.locator('#error').textContent()).toBe('503');
      expect((await sessionCookie(page.context(), '1002'))!.value).toBe(cookie); // nothing overwrote it
    } finally {
      await stack.startService();
    }
    for (let i = 0; i < 20 && (await open(page, stack.shopUrl('1002', '/cart')).then(() => page.locator('#offline').count())) > 0; i++)
      await page.waitForTimeout(250);
    await shots.take(page, 'cart-after-service-is-back');
    expect(await cartLines(page)).toEqual({ beanie: 1 });
  });

  it("rotates the cookie at sign-in and merges the guest cart by the shop's strategy (sum on 1001, max on 1002)", async () => {
    for (const [shopId, expectedHoodies] of [
      ['1001', 3],
      ['1002', 2],
    ] as const) {
      const shots = new Screenshots(`sign-in-merges-${shopId}`);
      // Another device of the same customer left 2 hoodies in the customer's cart.
      const laptop = await device();
      await open(laptop, stack.shopUrl(shopId));
      await signInAs(laptop, 'demo-grace');
      await open(laptop, stack.shopUrl(shopId));
      await addToCart(laptop, 'hoodie');
      await addToCart(laptop, 'hoodie');

      const phone = await device();
      await open(phone, stack.shopUrl(shopId));
      await addToCart(phone, 'hoodie');
      await addToCart(phone, 'cap');
      await shots.take(phone, 'guest-cart');
      const guestCookie = (await sessionCookie(phone.context(), shopId))!.value;

      await signInAs(phone, 'demo-grace');
      await shots.take(phone, 'signed-in-merged-cart');
      const signedIn = (await sessionCookie(phone.context(), shopId))!;
      expect(signedIn.value).not.toBe(guestCookie);
      expect(decodeURIComponent(signedIn.value)).toMatch(/^s:demo-grace:[0-9a-f-]{36}\./);
      expect(signedIn).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(await userOnPage(phone)).toBe('demo-grace');
      expect(await phone.locator('#notice').textContent()).toContain(shopId === '1001' ? 'sum' : 'max');
      expect(await cartLines(phone)).toEqual({ hoodie: expectedHoodies, cap: 1 });
      await signOut(phone); // leave the shared customer's sessions behind for the next shop
      await signOut(laptop);
    }
  });

  it('clears the cookie at sign-out and starts an empty guest', async () => {
    const shots = new Screenshots('sign-out');
    const page = await device();
    await open(page, stack.shopUrl('1001'));
    await signInAs(page, 'demo-ada');
    await open(page, stack.shopUrl('1001'));
    await addToCart(page, 'beanie');
    await shots.take(page, 'signed-in');
    const signedIn = (await sessionCookie(page.context(), '1001'))!.value;

    const logoutResponse = page.waitForResponse((r) => r.url().endsWith('/shop/1001/logout'));
    await submit(page, '#sign-out');
    const cleared = await (await logoutResponse).headerValue('set-cookie');
    expect(cleared).toMatch(/^\$session-1001=; Path=\/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly/);
    await shots.take(page, 'signed-out');
    expect(await userOnPage(page)).toBe('');
    expect(await cartCount(page)).toBe(0);
    const guest = await sessionCookie(page.context(), '1001');
    expect(guest?.value).not.toBe(signedIn);
    expect(decodeURIComponent(guest!.value)).toMatch(/^s:[0-9a-f-]{36}\./); // a new guest, not bound to a user
    await open(page, stack.shopUrl('1001', '/cart'));
    expect(await page.locator('#cart-empty').count()).toBe(1);
    await shots.take(page, 'empty-guest-cart');
  });

  it('"log out other devices" on one device logs the other out on its next page load', async () => {
    const shots = new Screenshots('log-out-other-devices');
    const [desk, phone] = [await device(), await device()];
    for (const p of [desk, phone]) {
      await open(p, stack.shopUrl('1001'));
      await signInAs(p, 'demo-alan');
    }
    await open(desk, stack.shopUrl('1001', '/account'));
    await shots.take(desk, 'account-lists-other-device');
    expect(await desk.locator('#other-devices tr.device').count()).toBe(1);
    await submit(desk, '#logout-others');
    await shots.take(desk, 'after-logout-others');
    expect(await desk.locator('#notice').textContent()).toBe('Logged out 1 other device(s).');
    expect(await desk.locator('#no-other-devices').count()).toBe(1);

    await phone.reload();
    await shots.take(phone, 'phone-next-load');
    expect(await userOnPage(phone)).toBe('');
    expect(await phone.locator('#error').count()).toBe(0);
    await open(desk, stack.shopUrl('1001'));
    expect(await userOnPage(desk)).toBe('demo-alan');
  });

  it('`sessionctl sessions revoke` for the user logs out both devices', async () => {
    const shots = new Screenshots('sessionctl-revoke');
    const [desk, phone] = [await device(), await device()];
    for (const p of [desk, phone]) {
      await open(p, stack.shopUrl('1001'));
      await signInAs(p, 'demo-margaret');
    }
    const run = await sessionctl(['sessions', 'revoke', '--shop', '1001', '--user', 'demo-margaret', '--json'], {
      SESSION_SERVICE_URL: `tcp://127.0.0.1:${stack.svc.config.port}`,
      SESSION_SERVICE_TOKEN: mintToken(ALL_SCOPES, { sub: 'browser-spec' }),
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ destroyed: 2 });
    for (const [name, p] of [
      ['desk', desk],
      ['phone', phone],
    ] as const) {
      await p.reload();
      await shots.take(p, `${name}-after-revoke`);
      expect(await userOnPage(p)).toBe('');
      expect(await p.locator('#sign-in').count()).toBe(1);
    }
  });

  it('turns a tampered cookie into a fresh guest, without an error page', async () => {
    const shots = new Screenshots('tampered-cookie');
    const page = await device();
    await open(page, stack.shopUrl('1001'));
    await signInAs(page, 'demo-ada');
    const cookie = (await sessionCookie(page.context(), '1001'))!;
    // Claim another user's session ID under the same signature.
    const forged = cookie.value.replace(/^s%3Ademo-ada%3A/, 's%3Ademo-grace%3A');
    expect(forged).not.toBe(cookie.value);
    await page.context().addCookies([{ ...cookie, value: forged }]);
    expect(await open(page, stack.shopUrl('1001', '/cart'))).toBe(200);
    await shots.take(page, 'after-tampering');
    expect(await userOnPage(page)).toBe('');
    expect(await page.locator('#error').count()).toBe(0);
    expect(await page.locator('#cart-empty').count()).toBe(1);
    const fresh = (await sessionCookie(page.context(), '1001'))!.value;
    expect(fresh).not.toBe(forged);
    expect(decodeURIComponent(fresh)).toMatch(/^s:[0-9a-f-]{36}\./);
  });

  it('keeps a second shop on the same host on its own cookie', async () => {
    const shots = new Screenshots('two-shops');
    const page = await device();
    await open(page, stack.shopUrl('1001'));
    await addToCart(page, 'tee-basic');
    await signInAs(page, 'demo-ada');
    await open(page, stack.shopUrl('1002'));
    await shots.take(page, 'second-shop-guest');
    expect(await userOnPage(page)).toBe('');
    expect(await cartCount(page)).toBe(0);
    await addToCart(page, 'tote');
    const [one, two] = [await sessionCookie(page.context(), '1001'), await sessionCookie(page.context(), '1002')];
    expect(one && two).toBeTruthy();
    expect(one!.value).not.toBe(two!.value);
    expect(two).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    await open(page, stack.shopUrl('1001', '/cart'));
    await shots.take(page, 'first-shop-still-signed-in');
    expect(await userOnPage(page)).toBe('demo-ada');
    expect(await cartLines(page)).toMatchObject({ 'tee-basic': 1 });
    await open(page, stack.shopUrl('1002', '/cart'));
    expect(await cartLines(page)).toEqual({ tote: 1 });
  });

  it('signs in through the commercetools emulator with email and password, and refuses a wrong one', async () => {
    const shots = new Screenshots('commercetools-sign-in');
    const customer = stack.ct.addCustomer({ email: 'joan@example.com', password: 'demo-pass-1', firstName: 'Joan' });
    const page = await device();
    await open(page, stack.shopUrl('1003'));
    await addToCart(page, 'cap');
    await submit(page, '#sign-in');
    await page.fill('#password-login input[name=email]', 'joan@example.com');
    await page.fill('#password-login input[name=password]', 'wrong');
    await submit(page, '#password-login button');
    await shots.take(page, 'wrong-password');
    expect(await page.locator('#login-error').textContent()).toBe('Wrong email or password.');
    await page.fill('#password-login input[name=email]', 'joan@example.com');
    await page.fill('#password-login input[name=password]', 'demo-pass-1');
    await submit(page, '#password-login button');
    await shots.take(page, 'signed-in');
    expect(await userOnPage(page)).toBe(customer.id);
    expect(await cartLines(page)).toEqual({ cap: 1 });
  });
});

async function signOut(p: Page): Promise<void> {
  if ((await p.locator('#sign-out').count()) > 0) await submit(p, '#sign-out');
}
