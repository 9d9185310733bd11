import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import '../src/integrations/index.js';
import { RefusedError } from '../src/errors.js';
import { ingestFeed } from '../src/integrations/pinterest/feed/ingestFeed.js';
import { feedMatchStats } from '../src/integrations/pinterest/feed/matching.js';
import { enablePinterest, disablePinterest } from '../src/integrations/pinterest/lifecycle.js';
import { saveVerification } from '../src/integrations/pinterest/tagVerification/store.js';
import { BUCKET_COLUMNS, type BucketRow } from '../src/reports/bucketsBreakdown.js';
import { toCsv } from '../src/reports/csv.js';
import { PIN, GOOGLE, TEST_RULES, World } from './support/world.js';

const TAG = '2612345678901';
const T0 = Date.parse('2026-11-10T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const sec = (ms: number) => String(Math.floor(ms / 1000));
const MIN = 60_000;
const DAY = 86_400_000;
const SEGMENT = 'Purchase - Pinterest';
const HOME = 'https://shop.example/home';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const HEADER = ['event_time', 'action_type', 'event_id', 'external_id', 'hashed_email', 'click_id',
  'campaign_id', 'campaign_name', 'ad_group_id', 'ad_group_name', 'ad_id', 'ad_name', 'pin_id', 'ad_account_id'] as const;
type FeedRow = Partial<Record<(typeof HEADER)[number], string>>;

let world: World | undefined;
afterEach(() => { world?.close(); world = undefined; });

async function make(config: Record<string, unknown> = {}): Promise<World> {
  world = await World.create({ rules: TEST_RULES, timezone: 'UTC', ...config });
  return world;
}

async function enable(w: World, at = '2026-10-01T00:00:00Z'): Promise<void> {
  await saveVerification(w.store, {
    advertiser: w.adv.id, verified_at: '2026-09-30T10:00:00.000Z', expected_tag_id: TAG, passed: true,
    pages: [{ url: 'https://shop.example/', status: 'ok', tag_id: TAG, tag_ids_seen: [TAG], http_status: 200,
      final_url: 'https://shop.example/', elapsed_ms: 10, reason: null, advice: null }],
  });
  await enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: 'Ann Marketer', at });
}

/** A feed row with defaults for the required columns. */
function row(r: FeedRow): FeedRow {
  return { action_type: 'view', campaign_id: '111', campaign_name: 'Fall', ad_group_id: '222', ad_group_name: 'G', ad_id: '333', ...r };
}

function csvFeed(w: World, rows: FeedRow[], name = `feed-${Math.random().toString(36).slice(2)}.csv`, header: readonly string[] = HEADER): string {
  const cell = (v: string | undefined) => (v === undefined ? '' : /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const text = [header.join(','), ...rows.map((r) => header.map((h) => cell((r as Record<string, string>)[h])).join(','))].join('\n') + '\n';
  const path = join(w.dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}

function textFile(w: World, name: string, text: string): string {
  const path = join(w.dir, name);
  writeFileSync(path, text);
  return path;
}

const view = (uid: string, ms: number, url: string, extra: object = {}) => ({ type: 'view', ts: iso(ms), uid, url, ...extra });
const buy = (uid: string, ms: number, revenue: number, extra: object = {}) => ({ type: 'conversion', ts: iso(ms), uid, action: 'purchase', revenue, ...extra });

/** "tier_3/tier_4/tier_5" (or tier_1 for Direct) → even credit, for the Pinterest segment. */
function credits(rows: BucketRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const key = r.tier_1 === 'Direct' ? 'Direct' : [r.tier_1, r.tier_2, r.tier_3, r.tier_4, r.tier_5].join('/');
    out[key] = (out[key] ?? 0) + r.even;
  }
  return out;
}

describe('feed matching (SPEC §3)', () => {
  it('matches each key: event_id, external_id, hashed_email, click_id (epik in a view URL)', async () => {
    const w = await make();
    await enable(w);
    await w.ingest([
      view('a', T0 - 2 * 3600_000, HOME, { event_id: 'ev-a' }), buy('a', T0, 100, { order_id: 'oa' }),
      { type: 'identify', ts: iso(T0 - 3600_000), uid: 'b', external_id: 'cust-b' }, buy('b', T0, 200, { order_id: 'ob' }),
      { type: 'identify', ts: iso(T0 - 3600_000), uid: 'c', email: ' Cat@Example.com' }, buy('c', T0, 300, { order_id: 'oc' }),
      view('d', T0 - 3600_000, `${HOME}?epik=EPIK-D`), buy('d', T0, 400, { order_id: 'od' }),
    ]);
    const feed = csvFeed(w, [
      row({ event_time: iso(T0 - 3 * 3600_000), event_id: 'ev-a', ad_name: 'A' }),
      row({ event_time: sec(T0 - 3 * 3600_000), action_type: 'Impression', external_id: 'cust-b', ad_name: 'B' }),
      row({ event_time: iso(T0 - 3 * 3600_000), action_type: 'SAVE', hashed_email: sha('cat@example.com').toUpperCase(), ad_name: 'C' }),
      row({ event_time: iso(T0 - 2 * 3600_000), action_type: 'outbound_click', click_id: 'EPIK-D', ad_name: 'D' }),
      row({ event_time: iso(T0 - 2 * 3600_000), event_id: 'ev-nobody', ad_name: 'E' }),
    ]);
    const summary = await ingestFeed(w.store, w.adv, feed, '2026-11-10');
    expect(summary).toMatchObject({ rows: 5, accepted: 5, rejected: 0, matched: 4, unmatched: 1, replaced_rows: 0, warnings: [] });

    expect(credits(await w.report(SEGMENT))).toEqual({
      'Paid Social/Pinterest/Fall/G/A': 1, 'Paid Social/Pinterest/Fall/G/B': 1,
      'Paid Social/Pinterest/Fall/G/C': 1, 'Paid Social/Pinterest/Fall/G/D': 1,
    });
    const pinterestRows = await w.report(SEGMENT);
    expect(pinterestRows.every((r) => r.platform === 'pinterest')).toBe(true);
    expect(pinterestRows.find((r) => r.tier_5 === 'D')!.revenue_even).toBe(400);
    // The base segment never sees feed rows.
    expect(credits(await w.report())).toEqual({ Direct: 4 });
  });

  it('decides by event_id first when keys point to different persons', async () => {
    const w = await make();
    await enable(w);
    await w.ingest([
      view('a', T0 - 3600_000, HOME, { event_id: 'ev-a' }), buy('a', T0, 10, { order_id: 'oa' }),
      { type: 'identify', ts: iso(T0 - 3600_000), uid: 'b', external_id: 'cust-b' }, buy('b', T0, 20, { order_id: 'ob' }),
    ]);
    await ingestFeed(w.store, w.adv, csvFeed(w, [
      row({ event_time: iso(T0 - 2 * 3600_000), event_id: 'ev-a', external_id: 'cust-b', ad_name: 'X' }),
    ]), '2026-11-10');
    const rows = await w.report(SEGMENT);
    expect(rows.find((r) => r.tier_5 === 'X')!.revenue_even).toBe(10);
    expect(credits(rows)).toEqual({ 'Paid Social/Pinterest/Fall/G/X': 1, Direct: 1 });
  });

  it('counts a row unmatched until later site data matches it', async () => {
    const w = await make();
    await enable(w);
    await w.ingest([buy('z0', T0, 5, { order_id: 'o0' })]);
    const s = await ingestFeed(w.store, w.adv, csvFeed(w, [row({ event_time: iso(T0 - 3600_000), external_id: 'late-1', ad_name: 'L' })]), '2026-11-10');
    expect(s).toMatchObject({ matched: 0, unmatched: 1 });
    expect(credits(await w.report(SEGMENT))).toEqual({ Direct: 1 });

    await w.ingest([
      { type: 'identify', ts: iso(T0 - 60_000), uid: 'z', external_id: 'late-1' },
      buy('z', T0, 50, { order_id: 'oz' }),
    ]);
    expect(await feedMatchStats(w.store, w.adv)).toEqual([{ date: '2026-11-10', rows: 1, matched: 1 }]);
    expect(credits(await w.report(SEGMENT))).toEqual({ Direct: 1, 'Paid Social/Pinterest/Fall/G/L': 1 });
    expect(credits(await w.report())).toEqual({ Direct: 2 });
  });
});

describe('feed touchpoints in the Pinterest segment (SPEC §5)', () => {
  it('applies the 1-day view window: exactly 1 day is eligible, 1 day + 1 s is not', async () => {
    const w = await make();
    await enable(w);
    await w.ingest([
      { type: 'identify', ts: iso(T0 - DAY), uid: 'a', external_id: 'xa' }, buy('a', T0, 10, { order_id: 'oa' }),
      { type: 'identify', ts: iso(T0 - DAY), uid: 'b', external_id: 'xb' }, buy('b', T0, 20, { order_id: 'ob' }),
    ]);
    await ingestFeed(w.store, w.adv, csvFeed(w, [
      row({ event_time: sec(T0 - DAY), external_id: 'xa', ad_name: 'exact' }),
      row({ event_time: sec(T0 - DAY - 1000), external_id: 'xb', ad_name: 'late' }),
    ]), '2026-11-09');
    expect(credits(await w.report(SEGMENT))).toEqual({ 'Paid Social/Pinterest/Fall/G/exact': 1, Direct: 1 });
  });

  it('keeps an engagement for 30 days but a view for 1 day', async () => {
    const w = await make();
    await enable(w);
    await w.ingest([
      { type: 'identify', ts: iso(T0 - DAY), uid: 'a', external_id: 'xa' }, buy('a', T0, 10, { order_id: 'oa' }),
    ]);
    await ingestFeed(w.store, w.adv, csvFeed(w, [
      row({ event_time: iso(T0 - 29 * DAY), action_type: 'closeup', external_id: 'xa', ad_name: 'engaged' }),
      row({ event_time: iso(T0 - 2 * DAY), action_type: 'view', external_id: 'xa', ad_name: 'viewed' }),
      row({ event_time: iso(T0 - 31 * DAY), action_type: 'repin', external_id: 'xa', ad_name: 'too-old' }),
    ]), '2026-11-08');
    expect(credits(await w.report(SEGMENT))).toEqual({ 'Paid Social/Pinterest/Fall/G/engaged': 1 });
  });

  it('merges a feed click with the Pinterest landing that follows it within dedupe_minutes, not otherwise', async () => {
    const w = await make({ dedupe_minutes: 30 });
    await enable(w);
    const t = T0 - 5 * 3600_000;
    await w.ingest([
      // m: landing 30 min after the feed click → merged (the site touchpoint stays)
      { type: 'identify', ts: iso(t - DAY), uid: 'm', external_id: 'xm' }, view('m', t + 30 * MIN, PIN), buy('m', T0, 10, { order_id: 'om' }),
      // n: landing 30 min 1 s after → both count
      { type: 'identify', ts: iso(t - DAY), uid: 'n', external_id: 'xn' }, view('n', t + 30 * MIN + 1000, PIN), buy('n', T0, 10, { order_id: 'on' }),
      // o: the feed click comes 1 min AFTER the landing → not merged, both count
      { type: 'identify', ts: iso(t - DAY), uid: 'o', external_id: 'xo' }, view('o', t - MIN, PIN), buy('o', T0, 10, { order_id: 'oo' }),
      // g: a Google landing right after a feed click is not the same click
      { type: 'identify', ts: iso(t - DAY), uid: 'g', external_id: 'xg' }, view('g', t + MIN, GOOGLE), buy('g', T0, 10, { order_id: 'og' }),
    ]);
    await ingestFeed(w.store, w.adv, csvFeed(w, [
      row({ event_time: iso(t), action_type: 'click', external_id: 'xm', ad_name: 'm' }),
      row({ event_time: iso(t), action_type: 'pin_click', external_id: 'xn', ad_name: 'n' }),
      row({ event_time: iso(t), action_type: 'outbound_click', external_id: 'xo', ad_name: 'o' }),
      row({ event_time: iso(t), action_type: 'click', external_id: 'xg', ad_name: 'g' }),
    ]), '2026-11-10');
    expect(credits(await w.report(SEGMENT))).toEqual({
      'Paid Social/Pinterest/fall//': 2, // m: 1, n: 0.5, o: 0.5
      'Paid Social/Pinterest/Fall/G/n': 0.5,
      'Paid Social/Pinterest/Fall/G/o': 0.5,
      'Paid Social/Pinterest/Fall/G/g': 0.5,
      'Paid Search/Google/brand//': 0.5,
    });
    expect(credits(await w.report())).toEqual({ 'Paid Social/Pinterest/fall//': 3, 'Paid Search/Google/brand//': 1 });
  });

  it('keeps feed touchpoints readable after a disable, and stops ingestion', async () => {
    const w = await make();
    await enable(w);
    await w.ingest([{ type: 'identify', ts: iso(T0 - DAY), uid: 'a', external_id: 'xa' }, buy('a', T0, 10, { order_id: 'oa' })]);
    await ingestFeed(w.store, w.adv, csvFeed(w, [row({ event_time: iso(T0 - 3600_000), external_id: 'xa', ad_name: 'kept' })]), '2026-11-10');
    await disablePinterest(w.store, w.adv, { by: 'Ann' });
    expect(credits(await w.report(SEGMENT))).toEqual({ 'Paid Social/Pinterest/Fall/G/kept': 1 });
    await expect(ingestFeed(w.store, w.adv, csvFeed(w, [row({ event_time: iso(T0), external_id: 'xa' })]), '2026-11-11'))
      .rejects.toThrow(/not enabled|disabled/);
  });
});

describe('feed ingestion (SPEC §2.3)', () => {
  it('refuses a feed while the integration is not enabled, writing nothing', async () => {
    const w = await make();
    const file = csvFeed(w, [row({ event_time: iso(T0), external_id: 'x' })]);
    await expect(ingestFeed(w.store, w.adv, file, '2026-11-10')).rejects.toBeInstanceOf(RefusedError);
    expect(Number(await w.store.scalar('SELECT count(*) FROM pinterest_feed_rows'))).toBe(0);
  });

  it('replaces the rows of a date fed twice, and a refused second file leaves the first intact', async () => {
    const w = await make();
    await enable(w);
    await w.ingest([{ type: 'identify', ts: iso(T0 - DAY), uid: 'a', external_id: 'xa' }, buy('a', T0, 10, { order_id: 'oa' })]);
    const first = csvFeed(w, [
      row({ event_time: iso(T0 - 3600_000), external_id: 'xa', ad_name: 'one' }),
      row({ event_time: iso(T0 - 3000_000), external_id: 'xa', ad_name: 'two' }),
      row({ event_time: iso(T0 - 2000_000), external_id: 'xother', ad_name: 'three' }),
    ]);
    await ingestFeed(w.store, w.adv, first, '2026-11-10');
    const again = await ingestFeed(w.store, w.adv, first, '2026-11-10');
    expect(again.replaced_rows).toBe(3);
    expect(Number(await w.store.scalar('SELECT count(*) FROM pinterest_feed_rows'))).toBe(3);
    expect(credits(await w.report(SEGMENT))).toEqual({ 'Paid Social/Pinterest/Fall/G/one': 0.5, 'Paid Social/Pinterest/Fall/G/two': 0.5 });

    // Another date adds rows; the first date stays.
    await ingestFeed(w.store, w.adv, csvFeed(w, [row({ event_time: iso(T0 - 1000_000), external_id: 'xa', ad_name: 'four' })]), '2026-11-11');
    expect(Number(await w.store.scalar('SELECT count(*) FROM pinterest_feed_rows'))).toBe(4);

    // A bad second file for 2026-11-10 is refused whole: the first one stays in force.
    const bad = csvFeed(w, [row({ event_time: 'yesterday', external_id: 'xa' }), row({ event_time: iso(T0 - 100_000), external_id: 'xa', ad_name: 'new' })]);
    await expect(ingestFeed(w.store, w.adv, bad, '2026-11-10')).rejects.toThrow(/1 of 2 rows \(50%\) are bad/);
    const perDate = await w.store.all<{ date: string; n: bigint }>(
      `SELECT strftime(date, '%Y-%m-%d') AS date, count(*) AS n FROM pinterest_feed_rows GROUP BY 1 ORDER BY 1`);
    expect(perDate.map((r) => [r.date, Number(r.n)])).toEqual([['2026-11-10', 3], ['2026-11-11', 1]]);
    const feeds = await w.store.all<{ file: string }>(`SELECT file FROM pinterest_feeds WHERE date = DATE '2026-11-10'`);
    expect(feeds).toEqual([{ file: first }]);

    // Replacing with a smaller feed drops the old rows (and their credit).
    await ingestFeed(w.store, w.adv, csvFeed(w, [row({ event_time: iso(T0 - 3600_000), external_id: 'xa', ad_name: 'solo' })]), '2026-11-10');
    expect(credits(await w.report(SEGMENT))).toEqual({ 'Paid Social/Pinterest/Fall/G/solo': 0.5, 'Paid Social/Pinterest/Fall/G/four': 0.5 });
  });

  it('refuses a truncated gzip feed whole, leaving the date\'s earlier feed in force', async () => {
    const w = await make();
    await enable(w);
    const rows = Array.from({ length: 3000 }, (_, i) => row({ event_time: iso(T0 - i * 1000), external_id: `x${i}`, ad_name: `ad ${i}` }));
    const whole = csvFeed(w, rows, 'whole.csv.gz');
    await ingestFeed(w.store, w.adv, csvFeed(w, rows.slice(0, 2), 'first.csv'), '2026-11-10');
    const bytes = readFileSync(whole);
    const truncated = join(w.dir, 'truncated.csv.gz');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(ingestFeed(w.store, w.adv, truncated, '2026-11-10')).rejects.toThrow(/truncated\.csv\.gz: could not be read to its end; nothing of it was stored/);
    expect(Number(await w.store.scalar('SELECT count(*) FROM pinterest_feed_rows'))).toBe(2);
  });

  it('refuses a file whose bad share exceeds the threshold, and accepts it under a higher one', async () => {
    const w = await make();
    await enable(w);
    const rows: FeedRow[] = [];
    for (let i = 0; i < 20; i++) rows.push(row({ event_time: iso(T0 - i * MIN), external_id: `x${i}` }));
    rows[4] = row({ event_time: iso(T0), action_type: 'hover', external_id: 'x4' });
    rows[9] = row({ event_time: iso(T0), campaign_id: '' , external_id: 'x9' });
    const file = csvFeed(w, rows);
    await expect(ingestFeed(w.store, w.adv, file, '2026-11-10')).rejects.toThrow(/2 of 20 rows \(10%\) are bad, more than the allowed 5%/);
    expect(Number(await w.store.scalar('SELECT count(*) FROM pinterest_feed_rows'))).toBe(0);
    expect(Number(await w.store.scalar('SELECT count(*) FROM pinterest_feeds'))).toBe(0);

    const s = await ingestFeed(w.store, w.adv, file, '2026-11-10', { thresholdShare: 0.1 });
    expect(s).toMatchObject({ rows: 20, accepted: 18, rejected: 2, bad_share: 0.1, rejects_path: `${file}.rejects.csv` });
    expect(readFileSync(`${file}.rejects.csv`, 'utf8')).toBe(
      'line,reason\n' +
      '6,"action_type: unknown ""hover"" (accepted: view, impression, engagement, closeup, save, repin, carousel_swipe, click, outbound_click, pin_click)"\n' +
      '11,campaign_id: required\n');
  });

  it('gives every rejected row its line number and reason', async () => {
    const w = await make();
    await enable(w);
    const lines = [
      HEADER.join(','),                                                                   // 1
      `${iso(T0)},view,e1,,,,1,"Fall, big",2,G,3,A,,`,                                   // 2 ok (quoted comma)
      '',                                                                                 // 3 blank: not a row
      `${iso(T0)},view,,,,,1,C,2,G,3,A,,`,                                              // 4 no match key
      `2026-11-10 12:00:00,view,e2,,,,1,C,2,G,3,A,,`,                                   // 5 no offset
      `1762776000000,view,e3,,,,1,C,2,G,3,A,,`,                                          // 6 milliseconds
      `${iso(T0)},click,e4,,ann@example.com,,1,C,2,G,3,A,,`,                            // 7 plain email
      `${iso(T0)},click,e5,,abc,,1,C,2,G,3,A,,`,                                        // 8 bad hash
      `${iso(T0)},click,e6,,,,1,C,,G,3,A,,`,                                             // 9 no ad group id
      `${iso(T0)},click,e7,,,,1,C,2,G,,A,,`,                                             // 10 no ad id
      `${iso(T0)},click,e8,,,,1,C,2,G,3,A`,                                              // 11 too few fields
      `${iso(T0)},click,e9,,,,1,"C"x,2,G,3,A,,`,                                         // 12 malformed quotes
      `${iso(T0)},,e10,,,,1,C,2,G,3,A,,`,                                                // 13 no action type
      `,view,e11,,,,1,C,2,G,3,A,,`,                                                      // 14 no event time
      `${iso(T0)},carousel_swipe,"e""12",,,,1,"say ""hi""",2,G,3,A,,`,                  // 15 ok
    ];
    const file = textFile(w, 'feed.csv', `${lines.join('\r\n')}\r\n`);
    const rejects = join(w.dir, 'out', 'rejects.csv');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(w.dir, 'out'));
    const s = await ingestFeed(w.store, w.adv, file, '2026-11-10', { thresholdShare: 1, rejectsPath: rejects });
    expect(s).toMatchObject({ rows: 13, accepted: 2, rejected: 11, rejects_path: rejects });
    expect(s.rejects.map((r) => r.line)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(Object.fromEntries(s.rejects.map((r) => [r.line, r.reason]))).toMatchObject({
      4: 'no match key: at least one of event_id, external_id, hashed_email, click_id is required',
      5: expect.stringMatching(/^event_time: must be ISO-8601 with an offset/),
      6: 'event_time: 1762776000000 looks like milliseconds; Unix time must be in seconds',
      7: expect.stringMatching(/^hashed_email: looks like a plain email address/),
      8: expect.stringMatching(/^hashed_email: must be 64 hexadecimal characters/),
      9: 'ad_group_id: required',
      10: 'ad_id: required',
      11: 'expected 14 fields (as in the header), found 12',
      12: expect.stringMatching(/^malformed quoting/),
      13: 'action_type: required',
      14: 'event_time: required',
    });
    const stored = await w.store.all<{ event_id: string; campaign_name: string; kind: number }>(
      `SELECT event_id, campaign_name, kind::INTEGER AS kind FROM pinterest_feed_rows JOIN pinterest_feed_ads USING (advertiser, ad_key) ORDER BY line_no`);
    expect(stored).toEqual([{ event_id: 'e1', campaign_name: 'Fall, big', kind: 2 }, { event_id: 'e"12', campaign_name: 'say "hi"', kind: 1 }]);
    const written = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(written[0]).toBe('line,reason');
    expect(written.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    // The plain email is not written anywhere.
    expect(readFileSync(rejects, 'utf8')).not.toContain('ann@example.com');
    expect(Number(await w.store.scalar(`SELECT count(*) FROM pinterest_feed_rows WHERE hashed_email LIKE '%@%'`))).toBe(0);
  });

  it('reads JSON Lines and gzip, ignores unknown columns with one warning, keeps pin_id and ad_account_id', async () => {
    const w = await make();
    await enable(w);
    await w.ingest([{ type: 'identify', ts: iso(T0 - DAY), uid: 'a', external_id: 'xa' }, buy('a', T0, 10, { order_id: 'oa' })]);
    const json = [
      { event_time: Math.floor((T0 - 3600_000) / 1000), action_type: 'Closeup', external_id: 'xa', campaign_id: 11, ad_group_id: 22, ad_id: 33, pin_id: 'p1', ad_account_id: 'acc', device: 'ios' },
      { event_time: iso(T0 - 1800_000), action_type: 'view', external_id: 'xa', campaign_id: '11', campaign_name: 'Named', ad_group_id: '22', ad_id: '33', placement: 'feed' },
      'not json',
    ].map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
    const file = join(w.dir, 'feed.jsonl.gz');
    writeFileSync(file, gzipSync(`${json}\n`));
    const s = await ingestFeed(w.store, w.adv, file, '2026-11-10', { thresholdShare: 0.5 });
    expect(s).toMatchObject({ format: 'jsonl', rows: 3, accepted: 2, rejected: 1, rejects: [{ line: 3, reason: 'not valid JSON' }] });
    expect(s.warnings).toEqual(['ignored unknown columns: device, placement']);
    const stored = await w.store.all(`SELECT pin_id, ad_account_id, campaign_id FROM pinterest_feed_rows JOIN pinterest_feed_ads USING (advertiser, ad_key) ORDER BY line_no`);
    expect(stored).toEqual([{ pin_id: 'p1', ad_account_id: 'acc', campaign_id: '11' }, { pin_id: null, ad_account_id: null, campaign_id: '11' }]);
    // Tiers: names, else ids; pin_id and ad_account_id are not reported.
    expect(credits(await w.report(SEGMENT))).toEqual({ 'Paid Social/Pinterest/11/22/33': 0.5, 'Paid Social/Pinterest/Named/22/33': 0.5 });

    const csv = csvFeed(w, [row({ event_time: iso(T0 - 60_000), external_id: 'xa' })], 'day2.csv.gz', [...HEADER, 'extra_a', 'extra_b']);
    const s2 = await ingestFeed(w.store, w.adv, csv, '2026-11-11');
    expect(s2).toMatchObject({ format: 'csv', rows: 1, accepted: 1 });
    expect(s2.warnings).toEqual(['ignored unknown columns: extra_a, extra_b']);
  });

  it('refuses a CSV without the required columns or any match key, naming them', async () => {
    const w = await make();
    await enable(w);
    const file = textFile(w, 'bad.csv', 'event_time,action_type,campaign_id\n2026-11-10T00:00:00Z,view,1\n');
    await expect(ingestFeed(w.store, w.adv, file, '2026-11-10'))
      .rejects.toThrow(/missing required columns ad_group_id, ad_id; no match key column/);
  });

  it('uses the advertiser\'s pinterest tier_1 / tier_2', async () => {
    const w = await make({ pinterest: { tier_1: 'Social', tier_2: 'Pins' } });
    await enable(w);
    await w.ingest([{ type: 'identify', ts: iso(T0 - DAY), uid: 'a', external_id: 'xa' }, buy('a', T0, 10, { order_id: 'oa' })]);
    await ingestFeed(w.store, w.adv, csvFeed(w, [row({ event_time: iso(T0 - 60_000), external_id: 'xa', ad_name: 'Z' })]), '2026-11-10');
    expect(credits(await w.report(SEGMENT))).toEqual({ 'Social/Pins/Fall/G/Z': 1 });
  });
});

describe('privacy (SPEC §6)', () => {
  const person = fc.integer({ min: 0, max: 5 });
  const minute = fc.integer({ min: 0, max: 60 * 24 * 5 });
  const siteEvent = fc.oneof(
    fc.record({ k: fc.constant('view' as const), p: person, m: minute, url: fc.constantFrom(PIN, GOOGLE, HOME, `${HOME}?epik=E1`, `${HOME}?epik=E2`) }),
    fc.record({ k: fc.constant('identify' as const), p: person, m: minute, x: fc.constantFrom('x1', 'x2', 'x3') }),
    fc.record({ k: fc.constant('buy' as const), p: person, m: minute, cents: fc.integer({ min: 0, max: 50_000 }) }),
  );
  const feedRow = fc.record({
    m: minute,
    action: fc.constantFrom('view', 'impression', 'closeup', 'save', 'click', 'outbound_click'),
    key: fc.constantFrom('event_id', 'external_id', 'hashed_email', 'click_id'),
    value: fc.constantFrom('ev-0', 'ev-1', 'ev-2', 'x1', 'x2', 'E1', 'E2', 'none'),
    campaign: fc.constantFrom('fall', 'Fall', 'Spring'),
  });
  const START = Date.parse('2026-11-01T00:00:00Z');

  it('the base segment is byte-identical with and without a feed (random data)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(siteEvent, { minLength: 1, maxLength: 25 }), fc.array(feedRow, { minLength: 1, maxLength: 25 }), async (events, feed) => {
      const w = await World.create({ rules: TEST_RULES, timezone: 'America/New_York' });
      try {
        await w.ingest(events.map((e, i) => {
          const ts = iso(START + e.m * MIN);
          if (e.k === 'view') return { type: 'view', ts, uid: `u${e.p}`, url: e.url, event_id: `ev-${i}` };
          if (e.k === 'identify') return { type: 'identify', ts, uid: `u${e.p}`, external_id: e.x };
          return { type: 'conversion', ts, uid: `u${e.p}`, action: 'purchase', revenue: e.cents / 100, order_id: `o${i}` };
        }));
        const before = toCsv(BUCKET_COLUMNS, await w.report());
        await enable(w);
        const file = join(w.dir, 'feed.csv');
        writeFileSync(file, [HEADER.join(','), ...feed.map((f) => HEADER.map((h) => {
          if (h === 'event_time') return sec(START + f.m * MIN);
          if (h === 'action_type') return f.action;
          if (h === f.key) return f.key === 'hashed_email' ? sha(f.value) : f.value;
          if (h === 'campaign_id') return '1';
          if (h === 'campaign_name') return f.campaign;
          if (h === 'ad_group_id' || h === 'ad_id') return '2';
          return '';
        }).join(',')), ''].join('\n'));
        await ingestFeed(w.store, w.adv, file, '2026-11-02');
        const after = toCsv(BUCKET_COLUMNS, await w.report());
        expect(after).toBe(before);
        // and the Pinterest segment accounts for the same conversions (credits sum per conversion = 1)
        const pin = await w.report(SEGMENT);
        const base = await w.report();
        const sum = (rows: BucketRow[]) => Math.round(rows.reduce((a, r) => a + r.even, 0) * 1e4) / 1e4;
        expect(sum(pin)).toBe(sum(base));
      } finally {
        w.close();
      }
    }), { numRuns: 12 });
  });
});
