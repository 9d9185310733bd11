import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefusedError } from '../src/errors.js';
import { Store } from '../src/store/db.js';
import {
  classifyPage, formatVerification, latestVerification, launchBrowser, parseSitemap, saveVerification,
  selectPages, sitemapPages, verifyPages, verifyTags,
  type Browser, type PageObservation, type PageResult, type VerificationResult,
} from '../src/integrations/pinterest/tagVerification/index.js';

const TAG = '2612345678901';
const OTHER_TAG = '2619999999999';
const THIRD_TAG = '2618888888888';

// ---------------------------------------------------------------------------------------------
// The fixture site (loopback, port 0). /pintrk.js plays the Pinterest script: it replaces the
// queueing stub with a function and sets pintrk.tagId when a 'load' call is processed.
// ---------------------------------------------------------------------------------------------

const FAKE_PINTEREST_SCRIPT = `(function () {
  var stub = window.pintrk;
  var queue = (stub && stub.queue) || [];
  var pintrk = function () {
    var args = Array.prototype.slice.call(arguments);
    if (args[0] === 'load') pintrk.tagId = args[1];
  };
  pintrk.queue = [];
  pintrk.version = '3.0';
  window.pintrk = pintrk;
  for (var i = 0; i < queue.length; i++) pintrk.apply(null, queue[i]);
})();`;

/** Pinterest's base code, pointed at the local script. */
const STUB = `!function(e){if(!window.pintrk){window.pintrk=function(){window.pintrk.queue.push(Array.prototype.slice.call(arguments))};var n=window.pintrk;n.queue=[],n.version="3.0";var t=document.createElement("script");t.async=!0,t.src=e;var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r)}}("/pintrk.js");`;
const STUB_ONLY = `window.pintrk=function(){window.pintrk.queue.push(Array.prototype.slice.call(arguments))};window.pintrk.queue=[];window.pintrk.version="3.0";`;

const html = (body: string) => `<!doctype html><html><head><title>fixture</title></head><body>${body}</body></html>`;

const PAGES: Record<string, string> = {
  '/ok-number': html(`<script>${STUB}\npintrk('load', ${TAG}); pintrk('page');</script><p>tag id as a number</p>`),
  '/ok-string': html(`<script>${STUB}\npintrk('load', '${TAG}'); pintrk('page');</script><p>tag id as a string</p>`),
  '/late': html(`<p>tag added 1.5 s after load</p><script>
    window.addEventListener('load', function () {
      setTimeout(function () { var s = document.createElement('script'); s.textContent = ${JSON.stringify(`${STUB} pintrk('load', '${TAG}');`)}; document.body.appendChild(s); }, 1500);
    });</script>`),
  '/consent': html(`<div id="banner">We use cookies <button id="accept">Accept</button></div><script>
    ${STUB_ONLY} pintrk('load', '${TAG}'); pintrk('page');
    document.getElementById('accept').addEventListener('click', function () {
      var s = document.createElement('script'); s.src = '/pintrk.js'; document.head.appendChild(s);
    });</script>`),
  '/none': html('<p>no Pinterest tag here</p>'),
  '/wrong': html(`<script>${STUB}\npintrk('load', '${OTHER_TAG}'); pintrk('page');</script>`),
  '/two-loads': html(`<script>${STUB}\npintrk('load', '${TAG}'); pintrk('load', '${OTHER_TAG}'); pintrk('page');</script>`),
  '/two-scripts': html(`<script>window.pintrk = function () {}; window.pintrk.tagId = '${TAG}';</script><script src="/other-tag.js"></script>`),
  '/placeholder': html(`<script>${STUB}\npintrk('load', 'YOUR_TAG_ID');</script>`),
  '/hang': html(`<script>${STUB}\npintrk('load', '${TAG}');</script><img src="/never.png" alt="never arrives">`),
  '/gone': html(`<script>${STUB}\npintrk('load', '${TAG}');</script><p>not found</p>`),
};

let server: Server;
let base = '';
let refusedUrl = '';
let browser: Browser;
const hanging = new Set<ServerResponse>();

function sitemapXml(urls: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${
    urls.map((u) => `  <url><loc>${u.replaceAll('&', '&amp;')}</loc><lastmod>2024-05-01</lastmod></url>`).join('\n')}\n</urlset>\n`;
}
function sitemapIndexXml(urls: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${
    urls.map((u) => `  <sitemap><loc>${u}</loc></sitemap>`).join('\n')}\n</sitemapindex>\n`;
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', base).pathname;
  const send = (status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  if (path === '/pintrk.js') return send(200, 'text/javascript', FAKE_PINTEREST_SCRIPT);
  if (path === '/other-tag.js') return send(200, 'text/javascript', `window.pintrk.tagId = '${THIRD_TAG}';`);
  if (path === '/never.png') { hanging.add(res); return; } // never answers
  if (path === '/redirect') { res.writeHead(302, { location: '/ok-string' }); res.end(); return; }
  if (path === '/gone') return send(404, 'text/html; charset=utf-8', PAGES['/gone']);
  if (path === '/data.json') return send(200, 'application/json', JSON.stringify({ pintrk: TAG }));
  if (path === '/doc.pdf') return send(200, 'application/pdf', Buffer.from('%PDF-1.4\n%%EOF\n'));
  if (path === '/sitemap.xml') return send(200, 'application/xml', sitemapXml([`${base}/ok-number`, `${base}/none`, `${base}/ok-string?a=1&b=2`]));
  if (path === '/sitemap-index.xml') return send(200, 'application/xml', sitemapIndexXml([`${base}/sitemap-a.xml`, `${base}/nested-index.xml`]));
  if (path === '/nested-index.xml') return send(200, 'application/xml', sitemapIndexXml([`${base}/sitemap-b.xml`, `${base}/sitemap-index.xml`]));
  if (path === '/sitemap-a.xml') return send(200, 'application/xml', sitemapXml([`${base}/ok-number`, `${base}/ok-string`]));
  if (path === '/sitemap-b.xml') return send(200, 'text/xml', sitemapXml([`${base}/ok-string`, `${base}/late`, `${base}/none`]));
  if (path === '/not-a-sitemap.xml') return send(200, 'application/xml', '<?xml version="1.0"?><rss><channel></channel></rss>');
  const page = PAGES[path];
  if (page) return send(200, 'text/html; charset=utf-8', page);
  return send(404, 'text/plain', 'not found');
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nobody listens on: open a server, note its port, close it.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const res of hanging) res.destroy();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const byPath = (pages: PageResult[], path: string): PageResult => {
  const page = pages.find((p) => p.url === `${base}${path}`);
  if (!page) throw new Error(`no result for ${path}`);
  return page;
};

describe('tag verification in headless Chromium', () => {
  it('classifies every kind of page in one parallel run', async () => {
    const paths = ['/late', '/ok-number', '/ok-string', '/consent', '/none', '/two-loads', '/two-scripts',
      '/placeholder', '/redirect', '/data.json', '/doc.pdf', '/gone'];
    const started = Date.now();
    const result = await verifyTags('acme', [...paths.map((p) => `${base}${p}`), refusedUrl], {
      browser, timeoutMs: 6000, concurrency: 5,
    });
    const took = Date.now() - started;
    const pages = result.pages;

    expect(result.advertiser).toBe('acme');
    expect(result.expected_tag_id).toBeNull();
    expect(result.passed).toBe(false);
    expect(Number.isNaN(Date.parse(result.verified_at))).toBe(false);
    // Results come back in the order given.
    expect(pages.map((p) => p.url)).toEqual([...paths.map((p) => `${base}${p}`), refusedUrl]);
    // In parallel: the run takes much less than the pages' times added up.
    expect(took).toBeLessThan(0.7 * pages.reduce((sum, p) => sum + p.elapsed_ms, 0));

    const okNumber = byPath(pages, '/ok-number');
    expect(okNumber).toMatchObject({ status: 'ok', tag_id: TAG, tag_ids_seen: [TAG], http_status: 200, advice: null, reason: null });
    expect(okNumber.final_url).toBe(`${base}/ok-number`);
    expect(byPath(pages, '/ok-string')).toMatchObject({ status: 'ok', tag_id: TAG, tag_ids_seen: [TAG], advice: null });

    const late = byPath(pages, '/late');
    expect(late).toMatchObject({ status: 'ok', tag_id: TAG, advice: null });
    expect(late.elapsed_ms).toBeGreaterThanOrEqual(1500);

    const consent = byPath(pages, '/consent');
    expect(consent).toMatchObject({ status: 'stub_only', tag_id: null, tag_ids_seen: [], http_status: 200 });
    expect(consent.advice).toMatch(/Pinterest script never loaded within 6 s/);
    expect(consent.elapsed_ms).toBeGreaterThanOrEqual(5900);

    const none = byPath(pages, '/none');
    expect(none).toMatchObject({ status: 'missing', tag_id: null, tag_ids_seen: [], http_status: 200 });
    expect(none.advice).toMatch(/No Pinterest tag was found/);

    // Two different ids on one page is a mismatch even with no expected id.
    const twoLoads = byPath(pages, '/two-loads');
    expect(twoLoads).toMatchObject({ status: 'mismatch', tag_id: OTHER_TAG, tag_ids_seen: [TAG, OTHER_TAG] });
    expect(twoLoads.advice).toContain(`${TAG} and ${OTHER_TAG}`);
    expect(byPath(pages, '/two-scripts')).toMatchObject({ status: 'mismatch', tag_id: THIRD_TAG, tag_ids_seen: [TAG, THIRD_TAG] });

    const placeholder = byPath(pages, '/placeholder');
    expect(placeholder).toMatchObject({ status: 'mismatch', tag_id: 'YOUR_TAG_ID' });
    expect(placeholder.advice).toMatch(/not a tag id/);

    expect(byPath(pages, '/redirect')).toMatchObject({
      status: 'ok', tag_id: TAG, http_status: 200, final_url: `${base}/ok-string`,
    });

    expect(byPath(pages, '/data.json')).toMatchObject({ status: 'error', reason: 'not an HTML page: application/json', http_status: 200 });
    expect(byPath(pages, '/data.json').advice).toMatch(/not a web page \(application\/json\)/);
    expect(byPath(pages, '/doc.pdf')).toMatchObject({ status: 'error', reason: 'not an HTML page: application/pdf' });

    const gone = byPath(pages, '/gone');
    expect(gone).toMatchObject({ status: 'error', http_status: 404, reason: 'HTTP 404' });
    expect(gone.advice).toMatch(/HTTP 404 \(not found\)/);

    const refused = pages[pages.length - 1];
    expect(refused).toMatchObject({ status: 'error', http_status: null, final_url: null, tag_id: null });
    expect(refused.reason).toMatch(/^connection refused \(net::ERR_CONNECTION_REFUSED\)$/);

    for (const p of pages) {
      if (p.status === 'ok') expect(p.advice).toBeNull();
      else expect(p.advice, p.url).toMatch(/^[A-Z].+[.]$/);
    }
    const text = formatVerification(result);
    expect(text).toContain('NOT PASSED: 13 pages: 4 ok, 1 stub_only, 1 missing, 3 mismatch, 4 error');
    expect(text).toMatch(/^STATUS +TAG ID +HTTP +TIME +URL$/m);
  });

  it('checks pages against the expected tag id', async () => {
    const result = await verifyTags('acme', ['/ok-string', '/ok-number', '/wrong', '/two-loads'].map((p) => `${base}${p}`), {
      browser, expectedTagId: TAG, timeoutMs: 10_000, concurrency: 4, // generous: ok pages return as soon as the tag shows
    });
    expect(result.expected_tag_id).toBe(TAG);
    expect(result.pages.map((p) => p.status)).toEqual(['ok', 'ok', 'mismatch', 'mismatch']);
    expect(result.pages[2]).toMatchObject({ tag_id: OTHER_TAG, tag_ids_seen: [OTHER_TAG] });
    expect(result.pages[2].advice).toContain(`loads Pinterest tag ${OTHER_TAG} instead of your tag ${TAG}`);
    expect(result.pages[3].advice).toContain(`another Pinterest tag (${OTHER_TAG}) besides yours (${TAG})`);
    expect(result.passed).toBe(false);

    const good = await verifyTags('acme', [`${base}/ok-number`, `${base}/redirect`], { browser, expectedTagId: TAG, timeoutMs: 10_000 });
    expect(good.pages.map((p) => p.status)).toEqual(['ok', 'ok']);
    expect(good.passed).toBe(true);
    expect(formatVerification(good)).toContain(`PASSED: the Pinterest tag is on every page checked (2 pages: 2 ok; expected tag id ${TAG})`);
  });

  it('gives up on a page that never finishes loading and still checks the others', async () => {
    const pages = await verifyPages([`${base}/hang`, `${base}/ok-number`, `${base}/ok-string`], {
      browser, timeoutMs: 4000, concurrency: 2,
    });
    expect(pages[0]).toMatchObject({ status: 'error', reason: 'the page did not finish loading within 4 s', http_status: 200 });
    expect(pages[0].advice).toMatch(/longer --timeout/);
    expect(pages[0].elapsed_ms).toBeGreaterThanOrEqual(3900);
    expect(pages[0].elapsed_ms).toBeLessThan(8000);
    expect(pages[1].status).toBe('ok');
    expect(pages[2].status).toBe('ok');
  });

  it('refuses a bad expected tag id and an empty run', async () => {
    await expect(verifyPages([`${base}/ok-number`], { browser, expectedTagId: 'abc' })).rejects.toThrow(RefusedError);
    await expect(selectPages({ urls: [] })).rejects.toThrow(/--sitemap/);
    await expect(selectPages({ urls: ['ftp://example.com/x'] })).rejects.toThrow(RefusedError);
    const empty = await verifyTags('acme', [], { browser });
    expect(empty).toMatchObject({ passed: false, pages: [] });
  });

  it('refuses to start without a Chromium executable', async () => {
    await expect(launchBrowser('/nonexistent/chromium')).rejects.toThrow(RefusedError);
    await expect(launchBrowser('/nonexistent/chromium')).rejects.toThrow(/apt-get install -y chromium.*TOUCHLINE_CHROMIUM/);
  });
});

describe('sitemaps', () => {
  it('reads a urlset', async () => {
    const got = await sitemapPages(`${base}/sitemap.xml`);
    expect(got.urls).toEqual([`${base}/ok-number`, `${base}/none`, `${base}/ok-string?a=1&b=2`]);
    expect(got.truncated).toBe(false);
  });

  it('follows a sitemap index recursively, de-duplicates pages and survives a loop', async () => {
    const got = await sitemapPages(`${base}/sitemap-index.xml`);
    expect(got.urls).toEqual([`${base}/ok-number`, `${base}/ok-string`, `${base}/late`, `${base}/none`]);
    expect(got.sitemaps).toEqual([
      `${base}/sitemap-index.xml`, `${base}/sitemap-a.xml`, `${base}/nested-index.xml`, `${base}/sitemap-b.xml`,
    ]);
    expect(got.truncated).toBe(false);
  });

  it('stops at the page limit', async () => {
    const got = await sitemapPages(`${base}/sitemap-index.xml`, { maxPages: 3 });
    expect(got.urls).toEqual([`${base}/ok-number`, `${base}/ok-string`, `${base}/late`]);
    expect(got.truncated).toBe(true);
  });

  it('merges given addresses with the sitemap, without duplicates, under the limit', async () => {
    const sel = await selectPages({ urls: [`${base}/late`], sitemap: `${base}/sitemap-index.xml`, maxPages: 3 });
    expect(sel.urls).toEqual([`${base}/late`, `${base}/ok-number`, `${base}/ok-string`]);
    expect(sel.truncated).toBe(true);
  });

  it('refuses a sitemap that cannot be read or is not a sitemap', async () => {
    await expect(sitemapPages(`${base}/missing-sitemap.xml`)).rejects.toThrow(/HTTP 404/);
    await expect(sitemapPages(`${base}/not-a-sitemap.xml`)).rejects.toThrow(/not a sitemap.*<rss>/);
    await expect(sitemapPages(refusedUrl)).rejects.toThrow(RefusedError);
  });

  it('parses namespaced entries, CDATA and entities, ignoring image locations', () => {
    const xml = `<?xml version="1.0"?><!-- generated --><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
      <url><loc><![CDATA[https://shop.example/a?x=1&y=2]]></loc><image:image><image:loc>https://cdn.example/i.png</image:loc></image:image></url>
      <url><image:image><image:loc>https://cdn.example/j.png</image:loc></image:image><loc>https://shop.example/b?x=1&amp;y=2</loc></url>
    </urlset>`;
    expect(parseSitemap(xml)).toEqual({ kind: 'urlset', locs: ['https://shop.example/a?x=1&y=2', 'https://shop.example/b?x=1&y=2'] });
    const prefixed = '<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:sitemap><sm:loc>https://shop.example/s1.xml</sm:loc></sm:sitemap></sm:sitemapindex>';
    expect(parseSitemap(prefixed)).toEqual({ kind: 'sitemapindex', locs: ['https://shop.example/s1.xml'] });
  });
});

describe('classification (pure)', () => {
  const obs = (over: Partial<PageObservation>): PageObservation => ({
    url: 'https://shop.example/', failure: null, hasPintrk: true, tagId: TAG, tagIdsSeen: [TAG],
    httpStatus: 200, finalUrl: 'https://shop.example/', elapsedMs: 812.4, timeoutMs: 10_000, ...over,
  });

  it('accepts a number or a string of digits, equal to the expected id when given', () => {
    expect(classifyPage(obs({ tagId: Number(TAG) })).status).toBe('ok');
    expect(classifyPage(obs({ tagId: TAG }), TAG)).toMatchObject({ status: 'ok', tag_id: TAG, elapsed_ms: 812, advice: null });
    expect(classifyPage(obs({ tagId: Number(TAG) }), TAG).status).toBe('ok');
    expect(classifyPage(obs({ tagId: OTHER_TAG, tagIdsSeen: [OTHER_TAG] }), TAG).status).toBe('mismatch');
    expect(classifyPage(obs({ tagId: '12.5', tagIdsSeen: ['12.5'] })).status).toBe('mismatch');
  });

  it('a second id seen earlier makes a mismatch even when the final id is the expected one', () => {
    const r = classifyPage(obs({ tagId: TAG, tagIdsSeen: [OTHER_TAG, TAG] }), TAG);
    expect(r).toMatchObject({ status: 'mismatch', tag_ids_seen: [OTHER_TAG, TAG] });
  });

  it('tells stub, missing and errors apart, with advice for each', () => {
    expect(classifyPage(obs({ tagId: null, tagIdsSeen: [] })).status).toBe('stub_only');
    expect(classifyPage(obs({ hasPintrk: false, tagId: null, tagIdsSeen: [] })).status).toBe('missing');
    const err = classifyPage(obs({ failure: { kind: 'http_status', status: 503 } }));
    expect(err).toMatchObject({ status: 'error', reason: 'HTTP 503' });
    expect(err.advice).toMatch(/server error/);
    const dns = classifyPage(obs({ failure: { kind: 'network', code: 'net::ERR_NAME_NOT_RESOLVED', message: '' } }));
    expect(dns.reason).toBe('host name not found (net::ERR_NAME_NOT_RESOLVED)');
  });
});

describe('storage', () => {
  let dir = '';
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'touchline-tagver-')); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  const run = (advertiser: string, at: string, passed: boolean, url: string): VerificationResult => ({
    advertiser, verified_at: at, expected_tag_id: passed ? TAG : null, passed,
    pages: [{
      url, status: passed ? 'ok' : 'missing', tag_id: passed ? TAG : null, tag_ids_seen: passed ? [TAG] : [],
      http_status: 200, final_url: url, elapsed_ms: 321, reason: null,
      advice: passed ? null : 'No Pinterest tag was found on this page: add it.',
    }],
  });

  it('keeps every run and returns the newest per advertiser, across reopening', async () => {
    const path = join(dir, 'touchline.duckdb');
    const store = await Store.open(path);
    try {
      expect(await latestVerification(store, 'acme')).toBeNull();
      await saveVerification(store, run('acme', '2024-05-02T09:00:00.000Z', false, 'https://acme.example/'));
      await saveVerification(store, run('acme', '2024-05-03T10:30:15.250Z', true, 'https://acme.example/new'));
      await saveVerification(store, run('acme', '2024-05-01T08:00:00.000Z', false, 'https://acme.example/old'));
      await saveVerification(store, run('other', '2024-06-01T00:00:00.000Z', false, 'https://other.example/'));
    } finally {
      store.close();
    }
    const reopened = await Store.open(path);
    try {
      const latest = await latestVerification(reopened, 'acme');
      expect(latest).toEqual(run('acme', '2024-05-03T10:30:15.250Z', true, 'https://acme.example/new'));
      expect((await latestVerification(reopened, 'other'))?.passed).toBe(false);
      expect(await latestVerification(reopened, 'nobody')).toBeNull();
      expect(await reopened.scalar('SELECT count(*)::INTEGER FROM pinterest_tag_verifications')).toBe(4);
    } finally {
      reopened.close();
    }
  });
});
