/**
 * A verification run: the pages to check (given addresses and/or a sitemap), opened in parallel
 * in ONE headless browser with a concurrency limit, each classified (SPEC §9).
 */
import { RefusedError } from '../../../errors.js';
import { launchBrowser, visitorUserAgent, type Browser } from './browser.js';
import { classifyPage, isValidTagId, runPassed } from './classify.js';
import { inspectPage } from './inspect.js';
import { DEFAULT_MAX_PAGES, sitemapPages } from './sitemap.js';
import type { PageResult, VerificationResult } from './types.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 32;

export interface VerifyOptions {
  /** The advertiser's Pinterest tag id; when given, every page must load exactly this one. */
  expectedTagId?: string | null;
  /** Per page, navigation plus waiting for the tag (default 10 000 ms). */
  timeoutMs?: number;
  /** Pages open at the same time (default 4). */
  concurrency?: number;
  /** After a tag id appears, keep watching this long for a second one (default 300 ms). */
  settleMs?: number;
  /** A browser to reuse (left open); otherwise one is launched for the run and closed after. */
  browser?: Browser;
  /** Called as each page finishes (for progress output). */
  onPage?: (page: PageResult, done: number, total: number) => void;
}

export interface PageSelection {
  urls?: readonly string[];
  sitemap?: string | null;
  /** Cap on the number of pages (default 500). */
  maxPages?: number;
  /** For the sitemap download. */
  fetch?: typeof fetch;
}

export interface SelectedPages {
  urls: string[];
  /** The sitemap listed more pages than the limit (or the given addresses exceeded it). */
  truncated: boolean;
}

/** Refuses an expected tag id that is not digits; returns it trimmed (null when not given). */
export function checkExpectedTagId(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const id = value.trim();
  if (!isValidTagId(id)) {
    throw new RefusedError(`--expect-tag-id must be a Pinterest tag id (digits only), got "${value}"`);
  }
  return id;
}

function checkPositiveInt(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RefusedError(`${name} must be a whole number from 1 to ${max === Number.MAX_SAFE_INTEGER ? 'up' : max}, got ${value}`);
  }
  return value;
}

function pageUrl(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RefusedError(`"${raw}" is not a web address: give full addresses such as https://www.example.com/`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RefusedError(`"${raw}" is not an http:// or https:// address`);
  }
  return url.href;
}

/** The pages to check: the given addresses first, then the sitemap's, de-duplicated and capped. */
export async function selectPages(selection: PageSelection): Promise<SelectedPages> {
  const maxPages = checkPositiveInt('--max-pages', selection.maxPages ?? DEFAULT_MAX_PAGES);
  const given = (selection.urls ?? []).map(pageUrl);
  const sitemap = selection.sitemap?.trim() ? selection.sitemap.trim() : null;
  if (given.length === 0 && sitemap === null) {
    throw new RefusedError('give the pages to check as addresses, or a sitemap with --sitemap URL');
  }
  const urls: string[] = [];
  let truncated = false;
  const add = (url: string) => {
    if (urls.includes(url)) return;
    if (urls.length >= maxPages) { truncated = true; return; }
    urls.push(url);
  };
  given.forEach(add);
  if (sitemap !== null && urls.length < maxPages) {
    const fromSitemap = await sitemapPages(sitemap, { maxPages, fetch: selection.fetch });
    fromSitemap.urls.forEach(add);
    truncated ||= fromSitemap.truncated;
  } else if (sitemap !== null) {
    truncated = true;
  }
  if (urls.length === 0) throw new RefusedError(`the sitemap ${sitemap} lists no pages`);
  return { urls, truncated };
}

/** Checks each address; results in the order given. Page problems never throw: they are `error`. */
export async function verifyPages(urls: readonly string[], options: VerifyOptions = {}): Promise<PageResult[]> {
  const timeoutMs = checkPositiveInt('--timeout', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const concurrency = checkPositiveInt('--concurrency', options.concurrency ?? DEFAULT_CONCURRENCY, MAX_CONCURRENCY);
  const expected = checkExpectedTagId(options.expectedTagId);
  if (urls.length === 0) return [];

  const browser = options.browser ?? await launchBrowser();
  try {
    const userAgent = visitorUserAgent(browser);
    const results: PageResult[] = new Array(urls.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
      for (let i = next++; i < urls.length; i = next++) {
        const observation = await inspectPage(browser, urls[i], { timeoutMs, settleMs: options.settleMs, userAgent });
        results[i] = classifyPage(observation, expected);
        done++;
        options.onPage?.(results[i], done, urls.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, worker));
    return results;
  } finally {
    if (!options.browser) await browser.close().catch(() => undefined);
  }
}

/** A whole run for one advertiser over the given addresses. */
export async function verifyTags(
  advertiser: string, urls: readonly string[], options: VerifyOptions = {},
): Promise<VerificationResult> {
  const verifiedAt = new Date().toISOString();
  const expected = checkExpectedTagId(options.expectedTagId);
  const pages = await verifyPages(urls, { ...options, expectedTagId: expected });
  return { advertiser, verified_at: verifiedAt, expected_tag_id: expected, passed: runPassed(pages), pages };
}
