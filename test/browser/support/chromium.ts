import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it); Playwright's own browser download is not reachable. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots of every step land here (gitignored). */
export const OUTPUT_DIR = join(process.cwd(), 'test-output', 'browser');

/**
 * Headless Chromium as root on a small shared machine: Playwright's default
 * `chromiumSandbox: false` already passes --no-sandbox; /dev/shm may be small, so use /tmp.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    chromiumSandbox: false,
    args: ['--disable-dev-shm-usage', '--disable-gpu'],
    timeout: 60_000,
  });
}

/** A fresh browser profile (a "device"), with generous timeouts for a loaded 2-core machine. */
export async function newDevice(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(30_000);
  return { context, page: await context.newPage() };
}

/** Saves numbered screenshots of one scenario under test-output/browser/<scenario>/. */
export class Screenshots {
  private step = 0;
  private readonly dir: string;

  constructor(scenario: string) {
    this.dir = join(OUTPUT_DIR, scenario);
    mkdirSync(this.dir, { recursive: true });
  }

  async take(page: Page, name: string): Promise<void> {
    this.step++;
    await page.screenshot({ path: join(this.dir, `${String(this.step).padStart(2, '0')}-${name}.png`), fullPage: true });
  }
}
