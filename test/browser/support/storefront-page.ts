import type { BrowserContext, Cookie, Page } from 'playwright-core';

/** Clicks something that submits a form or follows a link, and waits for the next page to load. */
export async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(selector).first().click()]);
}

export async function open(page: Page, url: string): Promise<number> {
  const response = await page.goto(url, { waitUntil: 'load' });
  return response?.status() ?? 0;
}

export const addToCart = (page: Page, productId: string): Promise<void> => submit(page, `button[name=add][value="${productId}"]`);
export const addToWishlist = (page: Page, productId: string): Promise<void> => submit(page, `button[name=wish][value="${productId}"]`);

/** Signs in as a demo customer from the sign-in page of the page's shop. */
export async function signInAs(page: Page, customerId: string): Promise<void> {
  await submit(page, '#sign-in');
  await submit(page, `button[name=as][value="${customerId}"]`);
}

/** The signed-in user as the page shows it ('' for a guest). */
export const userOnPage = (page: Page): Promise<string> =>
  page
    .locator('body')
    .getAttribute('data-user')
    .then((v) => v ?? '');

export const cartCount = async (page: Page): Promise<number> => Number(await page.locator('#cart-count').textContent());

/** The cart page's lines as productId → quantity. */
export async function cartLines(page: Page): Promise<Record<string, number>> {
  const lines: Record<string, number> = {};
  for (const row of await page.locator('tr[data-line]').all()) {
    lines[(await row.getAttribute('data-line'))!] = Number(await row.locator('td.qty').getAttribute('data-qty'));
  }
  return lines;
}

export async function sessionCookie(context: BrowserContext, shopId: string): Promise<Cookie | undefined> {
  return (await context.cookies()).find((c) => c.name === `$session-${shopId}`);
}
