/** Launching the headless Chromium that opens the pages (playwright-core; never downloads a browser). */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { RefusedError } from '../../../errors.js';

export type { Browser } from 'playwright-core';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, reproducible headless browser with no extensions (so no ad blocker). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** $TOUCHLINE_CHROMIUM, else /usr/bin/chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TOUCHLINE_CHROMIUM?.trim();
  return fromEnv ? fromEnv : DEFAULT_CHROMIUM_PATH;
}

/**
 * Starts one headless Chromium (playwright gives it a fresh, throw-away profile).
 * Refuses with instructions when the executable is not there.
 */
export async function launchBrowser(executablePath: string = chromiumPath()): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new RefusedError(
      `Chromium was not found at ${executablePath}: install it with \`apt-get install -y chromium\` `
      + 'or set TOUCHLINE_CHROMIUM to the path of a Chromium or Chrome executable',
    );
  }
  try {
    // Loaded on use: playwright-core takes about half a second to import, which other commands should not pay.
    const { chromium } = await import('playwright-core');
    return await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`could not start Chromium at ${executablePath}: ${detail}`);
  }
}

/**
 * The browser's own user agent without "Headless", so sites and tag managers treat the check
 * like a normal visit.
 */
export function visitorUserAgent(browser: Browser): string {
  const version = browser.version();
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`;
}
