import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GeneratedData, type GeneratorOptions } from '../src/demo/generator.js';

const OPTS: GeneratorOptions = {
  seed: 42,
  persons: 500,
  days: 10,
  endDate: '2026-11-30',
  siteHost: 'shop.example',
  advertiserTimezone: 'America/New_York',
};
const PERIOD_START = Date.parse('2026-11-21T00:00:00Z');
const PERIOD_END = Date.parse('2026-12-01T00:00:00Z');
const FEED_HEADER =
  'event_time,action_type,event_id,external_id,hashed_email,click_id,campaign_id,campaign_name,ad_group_id,ad_group_name,ad_id,ad_name,pin_id,ad_account_id';

type Line = Record<string, unknown>;

let dir: string;
let resultA: GeneratedData;
let eventsA: Buffer;
let lines: Line[];
let feedFilesA: string[];
const feedA = new Map<string, Buffer>();

/** Minimal RFC 4180 parser (quoted fields, doubled quotes, commas inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

function tsMs(ts: unknown): number {
  return typeof ts === 'number' ? ts : Date.parse(ts as string);
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'touchline-gen-'));
  resultA = await generate(OPTS, join(dir, 'a.jsonl'), join(dir, 'feed-a'));
  eventsA = await readFile(join(dir, 'a.jsonl'));
  lines = eventsA.toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
  feedFilesA = (await readdir(join(dir, 'feed-a'))).sort();
  for (const f of feedFilesA) feedA.set(f, await readFile(join(dir, 'feed-a', f)));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('demo data generator', () => {
  it('is deterministic: same seed → byte-identical events and feed files', async () => {
    const resultB = await generate(OPTS, join(dir, 'b.jsonl'), join(dir, 'feed-b'));
    expect(resultB).toEqual(resultA);
    expect((await readFile(join(dir, 'b.jsonl'))).equals(eventsA)).toBe(true);
    const filesB = (await readdir(join(dir, 'feed-b'))).sort();
    expect(filesB).toEqual(feedFilesA);
    for (const f of filesB) expect((await readFile(join(dir, 'feed-b', f))).equals(feedA.get(f)!)).toBe(true);
  });

  it('differs with another seed', async () => {
    await generate({ ...OPTS, seed: 43 }, join(dir, 'c.jsonl'), join(dir, 'feed-c'));
    expect((await readFile(join(dir, 'c.jsonl'))).equals(eventsA)).toBe(false);
    const f = feedFilesA[0];
    expect((await readFile(join(dir, 'feed-c', f))).equals(feedA.get(f)!)).toBe(false);
  });

  it('writes gzip when the path ends in .gz, with the same content (events do not depend on the feed)', async () => {
    const result = await generate(OPTS, join(dir, 'd.jsonl.gz'));
    expect(result.eventLines).toBe(resultA.eventLines);
    expect(result.conversions).toBe(resultA.conversions);
    expect(result.feedRows).toBe(0);
    const gz = await readFile(join(dir, 'd.jsonl.gz'));
    expect(gz[0]).toBe(0x1f);
    expect(gz[1]).toBe(0x8b);
    expect(gunzipSync(gz).equals(eventsA)).toBe(true);
  });

  it('counts what it writes, at a realistic volume', () => {
    expect(lines.length).toBe(resultA.eventLines);
    expect(lines.filter((l) => l.type === 'conversion').length).toBe(resultA.conversions);
    expect(resultA.eventLines / OPTS.persons).toBeGreaterThan(4);
    expect(resultA.eventLines / OPTS.persons).toBeLessThan(20);
    expect(resultA.conversions / OPTS.persons).toBeGreaterThan(0.2);
    expect(resultA.conversions / OPTS.persons).toBeLessThan(0.8);
    expect(resultA.feedRows / OPTS.persons).toBeGreaterThan(3);
    expect(resultA.feedRows / OPTS.persons).toBeLessThan(7);
  });

  it('writes only the documented keys, with the required fields per type', () => {
    const viewKeys = new Set(['type', 'ts', 'uid', 'event_id', 'url', 'referrer']);
    const identifyKeys = new Set(['type', 'ts', 'uid', 'external_id', 'email', 'email_sha256']);
    const conversionKeys = new Set(['type', 'ts', 'uid', 'external_id', 'email', 'email_sha256', 'action', 'order_id', 'revenue', 'currency']);
    const eventIds = new Set<string>();
    for (const l of lines) {
      const ms = tsMs(l.ts);
      expect(Number.isFinite(ms)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(PERIOD_START);
      expect(ms).toBeLessThan(PERIOD_END);
      if (l.type === 'view') {
        for (const k of Object.keys(l)) expect(viewKeys.has(k)).toBe(true);
        expect(typeof l.uid).toBe('string');
        expect(typeof l.event_id).toBe('string');
        expect(eventIds.has(l.event_id as string)).toBe(false);
        eventIds.add(l.event_id as string);
        expect((l.url as string).startsWith('https://shop.example/')).toBe(true);
        expect(() => new URL(l.url as string)).not.toThrow();
        if ('referrer' in l) expect(() => new URL(l.referrer as string)).not.toThrow();
      } else if (l.type === 'identify') {
        for (const k of Object.keys(l)) expect(identifyKeys.has(k)).toBe(true);
        expect(typeof l.uid).toBe('string');
        expect(l.external_id !== undefined || l.email !== undefined || l.email_sha256 !== undefined).toBe(true);
        if (l.email_sha256 !== undefined) expect(l.email_sha256).toMatch(/^[0-9a-f]{64}$/);
      } else if (l.type === 'conversion') {
        for (const k of Object.keys(l)) expect(conversionKeys.has(k)).toBe(true);
        expect(['purchase', 'add_to_cart', 'signup']).toContain(l.action);
        expect(l.uid !== undefined || l.external_id !== undefined || l.email !== undefined || l.email_sha256 !== undefined).toBe(true);
        expect(typeof l.revenue).toBe('number');
        expect(l.revenue as number).toBeGreaterThanOrEqual(0);
        expect(l.currency).toBe('USD');
        if (l.action === 'purchase') {
          expect(typeof l.order_id).toBe('string');
          expect(l.revenue as number).toBeGreaterThan(0);
          expect(Math.round((l.revenue as number) * 100) / 100).toBe(l.revenue);
        } else {
          expect(l.revenue).toBe(0);
        }
      } else {
        throw new Error(`unexpected type ${String(l.type)}`);
      }
    }
  });

  it('mixes timestamp formats that denote the same instants', () => {
    const kinds = { z: 0, offset: 0, epoch: 0 };
    for (const l of lines) {
      if (typeof l.ts === 'number') kinds.epoch++;
      else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(l.ts as string)) kinds.z++;
      else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/.test(l.ts as string)) kinds.offset++;
      else throw new Error(`bad ts ${String(l.ts)}`);
    }
    const n = lines.length;
    expect(kinds.z / n).toBeGreaterThan(0.7);
    expect(kinds.offset / n).toBeGreaterThan(0.05);
    expect(kinds.epoch / n).toBeGreaterThan(0.05);
  });

  it('keeps each device’s events in chronological order', () => {
    const last = new Map<string, number>();
    for (const l of lines) {
      if (typeof l.uid !== 'string') continue;
      const ms = tsMs(l.ts);
      expect(ms).toBeGreaterThanOrEqual(last.get(l.uid) ?? 0);
      last.set(l.uid, ms);
    }
  });

  it('has duplicate orders, conversions without uid, other actions and messy identities', () => {
    const orders = new Map<string, number>();
    let withoutUid = 0;
    const actions = new Set<string>();
    for (const l of lines) {
      if (l.type !== 'conversion') continue;
      actions.add(l.action as string);
      if (l.uid === undefined) withoutUid++;
      if (typeof l.order_id === 'string') orders.set(l.order_id, (orders.get(l.order_id) ?? 0) + 1);
    }
    expect([...orders.values()].some((c) => c === 2)).toBe(true);
    expect(withoutUid).toBeGreaterThan(0);
    expect(actions).toEqual(new Set(['purchase', 'add_to_cart', 'signup']));

    const identifies = lines.filter((l) => l.type === 'identify');
    const emails = identifies.map((l) => l.email).filter((e): e is string => typeof e === 'string');
    expect(emails.some((e) => e !== e.trim())).toBe(true);
    expect(emails.some((e) => e !== e.toLowerCase())).toBe(true);
    expect(identifies.some((l) => l.email !== undefined && l.external_id !== undefined)).toBe(true);
    expect(identifies.some((l) => l.email === undefined && l.email_sha256 === undefined)).toBe(true);
    // email_sha256 is the hash of the normalised email: some hashes match emails seen in clear.
    const hashesOfClear = new Set(emails.map((e) => sha256(e.trim().toLowerCase())));
    expect(identifies.some((l) => typeof l.email_sha256 === 'string' && hashesOfClear.has(l.email_sha256))).toBe(true);
    // Multi-device persons: an external_id shared by several uids.
    const uidsByExternal = new Map<string, Set<string>>();
    for (const l of identifies) {
      if (typeof l.external_id !== 'string') continue;
      const set = uidsByExternal.get(l.external_id) ?? new Set<string>();
      set.add(l.uid as string);
      uidsByExternal.set(l.external_id, set);
    }
    expect([...uidsByExternal.values()].some((s) => s.size >= 2)).toBe(true);
  });

  it('expresses channels through URLs and referrers, with names that exercise decoding', () => {
    const sources = new Set<string>();
    const campaigns = new Set<string>();
    let gclidOnly = 0;
    let epik = 0;
    let organic = 0;
    let direct = 0;
    let internal = 0;
    for (const l of lines) {
      if (l.type !== 'view') continue;
      const url = new URL(l.url as string);
      const ref = l.referrer as string | undefined;
      if (ref?.startsWith('https://shop.example/')) {
        internal++;
        expect(url.searchParams.get('utm_source')).toBeNull();
        continue;
      }
      const source = url.searchParams.get('utm_source');
      if (source) sources.add(`${source}/${url.searchParams.get('utm_medium')}`);
      const campaign = url.searchParams.get('utm_campaign');
      if (campaign) campaigns.add(campaign);
      if (url.searchParams.get('gclid') && !source) gclidOnly++;
      if (url.searchParams.get('epik')) epik++;
      if (!source && ref && /google|bing|duckduckgo/.test(ref)) organic++;
      if (!ref && url.search === '') direct++;
    }
    for (const s of ['facebook/paid_social', 'instagram/paid_social', 'tiktok/paid_social', 'pinterest/paid_social', 'google/cpc', 'klaviyo/email']) {
      expect(sources.has(s)).toBe(true);
    }
    expect(gclidOnly).toBeGreaterThan(0);
    expect(epik).toBeGreaterThan(0);
    expect(organic).toBeGreaterThan(0);
    expect(direct).toBeGreaterThan(0);
    expect(internal).toBeGreaterThan(0);
    const names = [...campaigns];
    expect(names.some((n) => n.includes(' ') && n.includes('&'))).toBe(true);
    expect(names.some((n) => n.startsWith('=') || n.startsWith('+'))).toBe(true);
  });

  it('writes one feed CSV per UTC day with the exact header, valid rows and at least one match key each', () => {
    const days = Array.from({ length: 10 }, (_, i) => new Date(PERIOD_START + i * 86_400_000).toISOString().slice(0, 10));
    expect(feedFilesA).toEqual(days.map((d) => `pinterest_feed_${d}.csv`));
    const views = new Map<string, number>();
    const epiks = new Set<string>();
    for (const l of lines) {
      if (l.type !== 'view') continue;
      views.set(l.event_id as string, tsMs(l.ts));
      const e = new URL(l.url as string).searchParams.get('epik');
      if (e) epiks.add(e);
    }
    const actions = new Set<string>();
    let rows = 0;
    let byEventId = 0;
    let byClickId = 0;
    let quotedName = false;
    for (const [file, buf] of feedA) {
      const text = buf.toString('utf8');
      expect(text.split('\n')[0]).toBe(FEED_HEADER);
      if (text.includes('"')) quotedName = true;
      const parsed = parseCsv(text).slice(1);
      const day = file.slice('pinterest_feed_'.length, -'.csv'.length);
      for (const r of parsed) {
        rows++;
        expect(r).toHaveLength(14);
        const [eventTime, action, eventId, externalId, hashedEmail, clickId, campaignId, , adGroupId, , adId] = r;
        const ms = /^\d+$/.test(eventTime) ? Number(eventTime) * 1000 : Date.parse(eventTime);
        expect(/^\d+$/.test(eventTime) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(eventTime)).toBe(true);
        expect(new Date(ms).toISOString().slice(0, 10)).toBe(day);
        actions.add(action);
        expect(eventId !== '' || externalId !== '' || hashedEmail !== '' || clickId !== '').toBe(true);
        if (hashedEmail !== '') expect(hashedEmail).toMatch(/^[0-9a-f]{64}$/);
        expect(campaignId).not.toBe('');
        expect(adGroupId).not.toBe('');
        expect(adId).not.toBe('');
        if (eventId !== '' && views.has(eventId)) {
          byEventId++;
          // A click precedes the site view it produced by 0–20 minutes.
          const delta = views.get(eventId)! - ms;
          expect(delta).toBeGreaterThanOrEqual(0);
          expect(delta).toBeLessThanOrEqual(20 * 60_000 + 1_000);
        }
        if (clickId !== '' && epiks.has(clickId)) byClickId++;
      }
    }
    expect(rows).toBe(resultA.feedRows);
    expect(byEventId).toBeGreaterThan(0);
    expect(byClickId).toBeGreaterThan(0);
    expect(quotedName).toBe(true);
    for (const a of ['view', 'impression', 'closeup', 'save', 'engagement', 'click', 'outbound_click', 'pin_click']) expect(actions.has(a)).toBe(true);
  });

  it('refuses bad options', async () => {
    await expect(generate({ ...OPTS, endDate: '2026-13-01' }, join(dir, 'x.jsonl'))).rejects.toThrow(/endDate/);
    await expect(generate({ ...OPTS, advertiserTimezone: 'Mars/Olympus' }, join(dir, 'x.jsonl'))).rejects.toThrow(/advertiserTimezone/);
    await expect(generate({ ...OPTS, days: 0 }, join(dir, 'x.jsonl'))).rejects.toThrow(/days/);
  });
});
