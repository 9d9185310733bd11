/**
 * Opens one page in a fresh browser context and watches it for the Pinterest tag: navigate
 * (waiting for `load`), then poll `window.pintrk.tagId` until it is set or the page's time is up.
 * Returns raw observations; classify.ts decides the status.
 */
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { OBSERVER_SCRIPT, READ_STATE_SCRIPT, type TagState } from './observer.js';
import type { PageFailure, PageObservation } from './types.js';

export interface InspectOptions {
  /** Total time for the page: navigation plus waiting for the tag. */
  timeoutMs: number;
  /** After a tag id first appears, keep watching this long for a second, different id. */
  settleMs?: number;
  /** Pause between two reads of window.pintrk. */
  pollMs?: number;
  userAgent?: string;
}

export const DEFAULT_SETTLE_MS = 300;
const DEFAULT_POLL_MS = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Resolves to the promise's value, or to `fallback` after ms (the promise's failure is swallowed). */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const guarded = promise.catch(() => fallback);
  const timeout = new Promise<F>((resolve) => { timer = setTimeout(() => resolve(fallback), Math.max(0, ms)); });
  try {
    return await Promise.race([guarded, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readState(page: Page, ms: number): Promise<TagState | null> {
  return within(page.evaluate(READ_STATE_SCRIPT) as Promise<TagState>, ms, null);
}

/** The MIME type of a response ("text/html"), lower case; null when the server sent none. */
function mimeType(response: Response): string | null {
  const value = response.headers()['content-type'];
  if (!value) return null;
  const mime = value.split(';')[0].trim().toLowerCase();
  return mime === '' ? null : mime;
}

function isHtml(mime: string | null): boolean {
  // No Content-Type at all: the browser sniffs it, so give the page the benefit of the doubt.
  return mime === null || mime === 'text/html' || mime === 'application/xhtml+xml';
}

function isHttpUrl(url: string | null | undefined): url is string {
  return !!url && /^https?:\/\//i.test(url);
}

/** What a failed page.goto means. */
function navigationFailure(err: unknown, timeoutMs: number): PageFailure {
  const message = err instanceof Error ? err.message : String(err);
  if ((err instanceof Error && err.name === 'TimeoutError') || /Timeout \d+ms exceeded/.test(message)) {
    return { kind: 'load_timeout', timeoutMs };
  }
  const net = /net::(ERR_[A-Z0-9_]+)/.exec(message);
  if (net) return { kind: 'network', code: `net::${net[1]}`, message: message.split('\n')[0] };
  if (/Download is starting/i.test(message)) {
    return { kind: 'network', code: 'net::ERR_ABORTED', message: 'the address started a download' };
  }
  return { kind: 'browser', message: message.split('\n')[0] };
}

/** Opens url and reports what it saw. Never throws for page problems: they become a failure. */
export async function inspectPage(browser: Browser, url: string, options: InspectOptions): Promise<PageObservation> {
  const { timeoutMs } = options;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const started = performance.now();
  const deadline = started + timeoutMs;
  const left = () => deadline - performance.now();

  const main: { response: Response | null } = { response: null };
  let failure: PageFailure | null = null;
  let state: TagState | null = null;
  let finalUrl: string | null = null;
  let context: BrowserContext | undefined;
  try {
    context = await browser.newContext({
      userAgent: options.userAgent,
      serviceWorkers: 'block',
      acceptDownloads: false,
    });
    await context.addInitScript({ content: OBSERVER_SCRIPT });
    const page = await context.newPage();
    page.on('response', (response) => {
      try {
        if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) main.response = response;
      } catch { /* not a frame request */ }
    });

    let loaded = false;
    try {
      const response = await page.goto(url, { waitUntil: 'load', timeout: Math.max(1, Math.floor(left())) });
      if (response) main.response = response;
      loaded = true;
    } catch (err) {
      failure = navigationFailure(err, timeoutMs);
    }

    // The document's own answer outranks how the browser reacted to it (a download is "aborted").
    const response = main.response;
    if (response && (loaded || failure?.kind !== 'load_timeout')) {
      const mime = mimeType(response);
      if (response.status() >= 400) failure = { kind: 'http_status', status: response.status() };
      else if (!isHtml(mime)) failure = { kind: 'not_html', contentType: mime ?? 'unknown' };
    }

    if (failure === null) {
      state = await pollForTag(page, deadline, settleMs, pollMs);
    } else if (failure.kind === 'load_timeout' || failure.kind === 'http_status') {
      state = await readState(page, 1000); // for the record only: the page is an error anyway
    }
    const pageUrl = page.url();
    finalUrl = isHttpUrl(pageUrl) ? pageUrl : (isHttpUrl(response?.url()) ? response!.url() : null);
  } catch (err) {
    failure = { kind: 'browser', message: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
  } finally {
    if (context) await within(context.close(), 5000, undefined);
  }

  return {
    url,
    failure,
    hasPintrk: state?.hasPintrk ?? false,
    tagId: state?.tagId ?? null,
    tagIdsSeen: state?.seen ?? [],
    httpStatus: main.response ? main.response.status() : null,
    finalUrl,
    elapsedMs: performance.now() - started,
    timeoutMs,
  };
}

/**
 * Reads the page's tag state until a tag id is set (then keeps watching settleMs more, to catch
 * a second tag) or the deadline passes. Returns the last state read.
 */
async function pollForTag(page: Page, deadline: number, settleMs: number, pollMs: number): Promise<TagState | null> {
  let last: TagState | null = null;
  let firstSetAt: number | null = null;
  for (;;) {
    const now = performance.now();
    const state = await readState(page, Math.max(250, Math.min(2000, deadline - now)));
    if (state) last = state;
    const after = performance.now();
    if (firstSetAt === null && last && last.tagId !== null) firstSetAt = after;
    if (firstSetAt !== null && after - firstSetAt >= settleMs) return last;
    if (after >= deadline) return last;
    const untilSettled = firstSetAt !== null ? settleMs - (after - firstSetAt) : pollMs;
    await sleep(Math.min(pollMs, deadline - after, untilSettled));
  }
}
