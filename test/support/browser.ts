import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs; playwright-core downloads no browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether a browser test file is skipped: only where Chromium is missing AND this is not CI (under CI=true the
 * tests run and fail, naming the missing browser).
 */
export function skipWithoutChromium(what: string): boolean {
  if (existsSync(CHROMIUM) || process.env.CI === 'true') return false;
  console.warn(`${what} skipped: ${CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)`);
  return true;
}

/** Headless Chromium with the flags this machine needs, and one page whose script errors land in `errors`. */
export async function openConsolePage(errors: string[]): Promise<{ browser: Browser; page: Page }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  return { browser, page };
}
