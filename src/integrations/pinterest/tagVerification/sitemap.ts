/**
 * Reading a site's page list from its sitemap (https://www.sitemaps.org/protocol.html): a
 * `<urlset>`, or a `<sitemapindex>` whose sitemaps are followed recursively. Pages are
 * de-duplicated and capped at a limit. Uses the global fetch; gzip-compressed sitemaps are accepted.
 */
import { gunzipSync } from 'node:zlib';
import { RefusedError } from '../../../errors.js';

export const DEFAULT_MAX_PAGES = 500;
const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
/** Guard against runaway sitemap indexes. */
const MAX_SITEMAPS = 1000;

export interface SitemapOptions {
  /** At most this many pages (default 500). */
  maxPages?: number;
  /** Per sitemap file (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface SitemapPages {
  /** Page addresses in sitemap order, without duplicates, at most maxPages. */
  urls: string[];
  /** True when the sitemap had (or may have had) more pages than the limit. */
  truncated: boolean;
  /** Every sitemap file read, in order. */
  sitemaps: string[];
}

export interface ParsedSitemap {
  kind: 'urlset' | 'sitemapindex';
  /** The `<loc>` of each `<url>` (urlset) or `<sitemap>` (index), decoded, in order. */
  locs: string[];
}

function decodeXmlText(text: string): string {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(text);
  if (cdata) return cdata[1].trim();
  return text.trim().replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, ent: string) => {
    switch (ent) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
        try { return String.fromCodePoint(code); } catch { return ''; }
      }
    }
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parses a sitemap document; refuses anything that is neither a urlset nor a sitemap index. */
export function parseSitemap(xml: string, source = 'the sitemap'): ParsedSitemap {
  const body = xml
    .replace(/^\uFEFF/, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '');
  const root = /<\s*(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)[\s/>]/.exec(body);
  const name = root?.[2];
  if (!root || (name !== 'urlset' && name !== 'sitemapindex')) {
    throw new RefusedError(`${source} is not a sitemap (expected <urlset> or <sitemapindex>${root ? `, found <${root[0].slice(1, -1).trim()}>` : ''})`);
  }
  const prefix = root[1] ? `${escapeRegExp(root[1])}:` : '';
  const entry = name === 'urlset' ? 'url' : 'sitemap';
  const entryRe = new RegExp(`<${prefix}${entry}(?:\\s[^>]*)?>([\\s\\S]*?)</${prefix}${entry}\\s*>`, 'g');
  const locRe = new RegExp(`<${prefix}loc(?:\\s[^>]*)?>([\\s\\S]*?)</${prefix}loc\\s*>`);
  const locs: string[] = [];
  for (const m of body.matchAll(entryRe)) {
    const loc = locRe.exec(m[1]);
    if (loc) {
      const text = decodeXmlText(loc[1]);
      if (text !== '') locs.push(text);
    }
  }
  return { kind: name, locs };
}

/** An absolute http(s) address for loc (relative ones resolved against the sitemap), else null. */
function absoluteHttpUrl(loc: string, base: string): string | null {
  try {
    const u = new URL(loc, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    u.hash = '';
    return u.href;
  } catch {
    return null;
  }
}

async function fetchSitemap(url: string, fetchImpl: typeof fetch, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/xml, text/xml;q=0.9, */*;q=0.5', 'user-agent': 'touchline-tag-verification' },
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
    const message = err instanceof Error ? (err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err.message) : String(err);
    throw new RefusedError(`could not read the sitemap ${url}: ${message}${cause ? ` (${cause})` : ''}`);
  }
  if (!response.ok) {
    throw new RefusedError(`could not read the sitemap ${url}: HTTP ${response.status}`);
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  const raw = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return raw.toString('utf8');
}

/**
 * The pages listed by a sitemap, following sitemap indexes depth-first in document order.
 * Refuses (RefusedError) when a sitemap file cannot be read or is not a sitemap.
 */
export async function sitemapPages(sitemapUrl: string, options: SitemapOptions = {}): Promise<SitemapPages> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? fetch;
  const start = absoluteHttpUrl(sitemapUrl, 'http://invalid.invalid/');
  if (!start || !/^https?:\/\//i.test(sitemapUrl.trim())) {
    throw new RefusedError(`the sitemap must be an http:// or https:// address, got "${sitemapUrl}"`);
  }

  const urls: string[] = [];
  const seenPages = new Set<string>();
  const visited = new Set<string>();
  const sitemaps: string[] = [];
  let truncated = false;

  const visit = async (url: string): Promise<void> => {
    if (visited.has(url)) return; // a loop or a repeat in the index
    if (urls.length >= maxPages) { truncated = true; return; }
    if (visited.size >= MAX_SITEMAPS) {
      throw new RefusedError(`the sitemap ${sitemapUrl} refers to more than ${MAX_SITEMAPS} sitemap files`);
    }
    visited.add(url);
    sitemaps.push(url);
    const parsed = parseSitemap(await fetchSitemap(url, fetchImpl, timeoutMs), `the sitemap ${url}`);
    for (const loc of parsed.locs) {
      const abs = absoluteHttpUrl(loc, url);
      if (!abs) continue;
      if (parsed.kind === 'sitemapindex') {
        await visit(abs);
      } else if (!seenPages.has(abs)) {
        if (urls.length >= maxPages) { truncated = true; return; }
        seenPages.add(abs);
        urls.push(abs);
      }
    }
  };
  await visit(start);
  return { urls, truncated, sitemaps };
}
