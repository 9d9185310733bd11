import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import '../src/integrations/index.js';
import { RefusedError } from '../src/errors.js';
import { ingestFeed } from '../src/integrations/pinterest/feed/ingestFeed.js';
import { disablePinterest, enablePinterest } from '../src/integrations/pinterest/lifecycle.js';
import { recentDeliveries } from '../src/integrations/pinterest/report/ledger.js';
import { dailyReportCsv, idempotencyKey, sendDailyReport } from '../src/integrations/pinterest/report/sendDailyReport.js';
import { saveVerification } from '../src/integrations/pinterest/tagVerification/store.js';
import { GOOGLE, PIN, TEST_RULES, World } from './support/world.js';

const TAG = '2612345678901';
const T0 = Date.parse('2026-11-10T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;
const HEADER = 'event_time,action_type,external_id,campaign_id,campaign_name,ad_group_id,ad_group_name,ad_id,ad_name';

// ---- a local HTTP receiver that answers from a script ----
interface Received { headers: IncomingHttpHeaders; body: string }
let server: Server;
let base = '';
let script: number[] = [];
let received: Received[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const status = script.shift() ?? 200;
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status >= 400 ? `status ${status}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });

let world: World | undefined;
afterEach(() => { world?.close(); world = undefined; script = []; received = []; });

/** An enabled advertiser with Pinterest (feed + site) and Google credit on 2026-11-10 and Pinterest credit on 2026-11-09. */
async function scenario(): Promise<World> {
  const w = await World.create({ rules: TEST_RULES, timezone: 'UTC' });
  world = w;
  await saveVerification(w.store, {
    advertiser: 'acme', verified_at: '2026-09-30T10:00:00.000Z', expected_tag_id: TAG, passed: true,
    pages: [{ url: 'https://shop.example/', status: 'ok', tag_id: TAG, tag_ids_seen: [TAG], http_status: 200,
      final_url: 'https://shop.example/', elapsed_ms: 10, reason: null, advice: null }],
  });
  await enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: 'Ann', at: '2026-10-01T00:00:00Z' });
  await w.ingest([
    { type: 'identify', ts: iso(T0 - 2 * DAY), uid: 'a', external_id: 'xa' },
    { type: 'view', ts: iso(T0 - 3600_000), uid: 'a', url: GOOGLE },
    { type: 'conversion', ts: iso(T0), uid: 'a', action: 'purchase', revenue: 100, order_id: 'o1' },
    { type: 'view', ts: iso(T0 - DAY - 3600_000), uid: 'b', url: PIN },
    { type: 'conversion', ts: iso(T0 - DAY), uid: 'b', action: 'purchase', revenue: 40, order_id: 'o2' },
  ]);
  const feed = join(w.dir, 'feed.csv');
  writeFileSync(feed, `${HEADER}\n${iso(T0 - 7200_000)},view,xa,1,=Fall,2,G,3,Ad\n`);
  await ingestFeed(w.store, w.adv, feed, '2026-11-10');
  return w;
}

describe('daily report to Pinterest (SPEC §7.2)', () => {
  it('holds only the Pinterest rows of the Pinterest segment for that date', async () => {
    const w = await scenario();
    const { csv, rows } = await dailyReportCsv(w.store, w.adv, '2026-11-10');
    expect(rows).toBe(1);
    expect(csv).toBe(
      'date,segment,tier_1,tier_2,tier_3,tier_4,tier_5,platform,first_touch,last_touch,even,normalized,revenue_first_touch,revenue_last_touch,revenue_even,revenue_normalized\n' +
      `2026-11-10,Purchase - Pinterest,Paid Social,Pinterest,'=Fall,G,Ad,pinterest,1,0,0.5,${csv.split('\n')[1].split(',')[11]},100,0,50,${csv.split('\n')[1].split(',')[15]}\n`);
    // the Google touchpoint of the same path is not in the report; the base segment is not either
    expect(csv).not.toContain('Google');
    const day9 = await dailyReportCsv(w.store, w.adv, '2026-11-09');
    expect(day9.csv.split('\n')[1]).toMatch(/^2026-11-09,Purchase - Pinterest,Paid Social,Pinterest,fall,,,pinterest,1,1,1,1,40,40,40,40$/);
  });

  it('writes dir: destinations atomically to PATH/<advertiser>/buckets_breakdown_<D>.csv and does not resend unchanged content', async () => {
    const w = await scenario();
    const out = join(w.dir, 'outbox');
    const r1 = await sendDailyReport(w.store, w.adv, { date: '2026-11-10', to: `dir:${out}` });
    expect(r1).toMatchObject({ status: 'delivered', sent: true, attempts: 1, rows: 1, path: join(out, 'acme', 'buckets_breakdown_2026-11-10.csv') });
    const content = readFileSync(r1.path!, 'utf8');
    expect(content).toBe((await dailyReportCsv(w.store, w.adv, '2026-11-10')).csv);
    expect(r1.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(readdirSync(join(out, 'acme'))).toEqual(['buckets_breakdown_2026-11-10.csv']); // no temp file left

    const r2 = await sendDailyReport(w.store, w.adv, { date: '2026-11-10', to: `dir:${out}` });
    expect(r2).toMatchObject({ status: 'unchanged', sent: false, attempts: 0 });
    expect(await recentDeliveries(w.store, 'acme')).toHaveLength(1);
  });

  it('retries 503 with backoff, then delivers with bearer token and Idempotency-Key; records the ledger', async () => {
    const w = await scenario();
    script = [503, 503, 200];
    const sleeps: number[] = [];
    const r = await sendDailyReport(w.store, w.adv, {
      date: '2026-11-10', to: `${base}/pinterest/reports`, token: 's3cret', baseDelayMs: 5,
      sleep: async (ms) => { sleeps.push(ms); await new Promise((res) => setTimeout(res, ms)); },
    });
    const { csv } = await dailyReportCsv(w.store, w.adv, '2026-11-10');
    expect(r).toMatchObject({ status: 'delivered', sent: true, attempts: 3, http_status: 200, rows: 1, error: null });
    expect(sleeps).toEqual([5, 10]);
    expect(received).toHaveLength(3);
    const key = createHash('sha256').update(`acme\n2026-11-10\n${csv}`).digest('hex');
    expect(r.idempotency_key).toBe(key);
    expect(idempotencyKey('acme', '2026-11-10', csv)).toBe(key);
    for (const req of received) {
      expect(req.headers['idempotency-key']).toBe(key);
      expect(req.headers.authorization).toBe('Bearer s3cret');
      expect(req.headers['content-type']).toMatch(/^text\/csv/);
      expect(req.body).toBe(csv);
    }
    const ledger = await recentDeliveries(w.store, 'acme');
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      date: '2026-11-10', destination: `${base}/pinterest/reports`, status: 'delivered', attempts: 3, row_count: 1,
      sha256: createHash('sha256').update(csv).digest('hex'), http_status: 200, error: null,
    });
    expect(ledger[0].delivered_at).not.toBeNull();
    expect(JSON.stringify(ledger)).not.toContain('s3cret');

    // unchanged content is not sent again
    const again = await sendDailyReport(w.store, w.adv, { date: '2026-11-10', to: `${base}/pinterest/reports`, token: 's3cret', baseDelayMs: 5 });
    expect(again).toMatchObject({ status: 'unchanged', sent: false });
    expect(received).toHaveLength(3);

    // late data changes the content: sent again, with a new key
    const late = join(w.dir, 'late.csv');
    writeFileSync(late, `${HEADER}\n${iso(T0 - 7200_000)},view,xa,1,=Fall,2,G,3,Ad\n${iso(T0 - 5400_000)},closeup,xa,1,=Fall,2,G,4,Ad2\n`);
    await ingestFeed(w.store, w.adv, late, '2026-11-10');
    const changed = await sendDailyReport(w.store, w.adv, { date: '2026-11-10', to: `${base}/pinterest/reports`, token: 's3cret', baseDelayMs: 5 });
    expect(changed).toMatchObject({ status: 'delivered', sent: true, resent_changed: true, attempts: 1, rows: 2 });
    expect(received).toHaveLength(4);
    expect(received[3].headers['idempotency-key']).not.toBe(key);
  });

  it('fails at once on a 400 and records the failure; gives up after 5 attempts on 500s', async () => {
    const w = await scenario();
    script = [400];
    const r = await sendDailyReport(w.store, w.adv, { date: '2026-11-10', to: `${base}/r`, baseDelayMs: 1 });
    expect(r).toMatchObject({ status: 'failed', sent: false, attempts: 1, http_status: 400 });
    expect(r.error).toMatch(/^HTTP 400/);
    expect(received).toHaveLength(1);
    expect(received[0].headers.authorization).toBeUndefined();

    script = [500, 500, 500, 500, 500];
    const r2 = await sendDailyReport(w.store, w.adv, { date: '2026-11-10', to: `${base}/r`, baseDelayMs: 1 });
    expect(r2).toMatchObject({ status: 'failed', attempts: 5, http_status: 500 });
    expect(r2.error).toMatch(/gave up after 5 attempts/);

    // a failed date is sent again next time (only a delivered one with the same content is skipped)
    script = [200];
    const r3 = await sendDailyReport(w.store, w.adv, { date: '2026-11-10', to: `${base}/r`, baseDelayMs: 1 });
    expect(r3).toMatchObject({ status: 'delivered', attempts: 1, resent_changed: false });
    const ledger = await recentDeliveries(w.store, 'acme');
    expect(ledger.map((l) => [l.status, l.attempts, l.http_status])).toEqual([['delivered', 1, 200], ['failed', 5, 500], ['failed', 1, 400]]);
  });

  it('retries network errors', async () => {
    const w = await scenario();
    const calls: string[] = [];
    const flaky: typeof fetch = async (input, init) => {
      calls.push(String(input));
      if (calls.length < 3) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return fetch(input, init);
    };
    const r = await sendDailyReport(w.store, w.adv, { date: '2026-11-10', to: `${base}/r`, fetchImpl: flaky, baseDelayMs: 1 });
    expect(r).toMatchObject({ status: 'delivered', attempts: 3 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const dead = await sendDailyReport(w.store, w.adv, { date: '2026-11-09', to: `http://127.0.0.1:${port}/r`, baseDelayMs: 1, maxAttempts: 2 });
    expect(dead).toMatchObject({ status: 'failed', attempts: 2, http_status: null });
    expect(dead.error).toMatch(/network error: ECONNREFUSED/);
  });

  it('is refused while disabled, and refuses bad destinations', async () => {
    const w = await scenario();
    await expect(sendDailyReport(w.store, w.adv, { date: '2026-11-10', to: 'ftp://x' })).rejects.toThrow(/dir:PATH or an http/);
    await disablePinterest(w.store, w.adv, { by: 'Ann' });
    const out = join(w.dir, 'outbox');
    await expect(sendDailyReport(w.store, w.adv, { date: '2026-11-10', to: `dir:${out}` })).rejects.toBeInstanceOf(RefusedError);
    expect(existsSync(out)).toBe(false);
    expect(await recentDeliveries(w.store, 'acme')).toEqual([]);
  });
});
