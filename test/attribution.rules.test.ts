import { afterEach, describe, expect, it } from 'vitest';
import { World, TEST_RULES, PIN, GOOGLE, byTiers } from './support/world.js';

const T0 = Date.parse('2026-11-10T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const DAY = 86_400_000;

let world: World | undefined;
afterEach(() => { world?.close(); world = undefined; });

async function make(config: Record<string, unknown> = {}) {
  world = await World.create({ rules: TEST_RULES, ...config });
  return world;
}

const view = (uid: string, ms: number, url: string, extra: object = {}) => ({ type: 'view', ts: iso(ms), uid, url, ...extra });
const buy = (uid: string, ms: number, revenue: number, extra: object = {}) => ({ type: 'conversion', ts: iso(ms), uid, action: 'purchase', revenue, ...extra });

describe('eligibility windows (SPEC §5.3)', () => {
  it('counts a click exactly 30 days old and drops one a second older', async () => {
    const w = await make();
    await w.ingest([
      view('a', T0 - 30 * DAY, PIN), buy('a', T0, 100, { order_id: 'o1' }),
      view('b', T0 - 30 * DAY - 1000, GOOGLE), buy('b', T0, 50, { order_id: 'o2' }),
    ]);
    const rows = byTiers(await w.report());
    expect(rows['Paid Social/Pinterest/fall']).toEqual({ first_touch: 1, last_touch: 1, even: 1, normalized: 1, revenue_even: 100 });
    expect(rows['Direct']).toEqual({ first_touch: 1, last_touch: 1, even: 1, normalized: 1, revenue_even: 50 });
    expect(rows['Paid Search/Google/brand']).toBeUndefined();
  });

  it('counts a touchpoint at the conversion instant but not one after it', async () => {
    const w = await make();
    await w.ingest([view('a', T0, PIN), buy('a', T0, 10, { order_id: 'o1' }), view('a', T0 + 1000, GOOGLE)]);
    const rows = byTiers(await w.report());
    expect(Object.keys(rows)).toEqual(['Paid Social/Pinterest/fall']);
  });
});

describe('conversion dedupe (SPEC §5)', () => {
  it('keeps the earliest conversion of an order_id', async () => {
    const w = await make({ timezone: 'UTC' });
    await w.ingest([
      view('a', T0 - DAY, PIN),
      buy('a', T0 + 2 * DAY, 999, { order_id: 'o1' }),
      buy('a', T0, 120.5, { order_id: 'o1' }),
    ]);
    const rows = await w.report();
    expect(rows).toHaveLength(1);
    expect(rows[0].date).toBe('2026-11-10');
    expect(rows[0].revenue_even).toBe(120.5);
  });

  it('treats identical person + action + ts without order_id as one, different ts as two', async () => {
    const w = await make();
    await w.ingest([
      view('a', T0 - DAY, PIN),
      buy('a', T0, 10), buy('a', T0, 10, { revenue: 20 }), buy('a', T0 + 1000, 30),
    ]);
    const rows = await w.report();
    expect(rows[0].even).toBe(2);
    expect(rows[0].revenue_even).toBe(40); // 10 (first by ingestion order) + 30
  });
});

describe('same-tier touchpoint dedupe (SPEC §5.2)', () => {
  it('drops a chain of reloads, each within dedupe_minutes of the one before', async () => {
    const w = await make();
    await w.ingest([
      view('a', T0 - 60 * MIN, PIN), view('a', T0 - 40 * MIN, PIN), view('a', T0 - 20 * MIN, PIN), view('a', T0, PIN),
      view('a', T0 + MIN, GOOGLE), buy('a', T0 + 2 * MIN, 90, { order_id: 'o' }),
    ]);
    const rows = byTiers(await w.report());
    expect(rows['Paid Social/Pinterest/fall'].even).toBe(0.5);
    expect(rows['Paid Search/Google/brand'].even).toBe(0.5);
    expect(rows['Paid Search/Google/brand'].last_touch).toBe(1);
    expect(rows['Paid Social/Pinterest/fall'].first_touch).toBe(1);
  });

  it('keeps a same-tier visit more than dedupe_minutes later, and one after another tier', async () => {
    const w = await make();
    await w.ingest([
      view('a', T0 - 100 * MIN, PIN), view('a', T0 - 69 * MIN, PIN), // 31 min apart: both kept
      view('b', T0 - 10 * MIN, PIN), view('b', T0 - 9 * MIN, GOOGLE), view('b', T0 - 8 * MIN, PIN), // A B A: all kept
      buy('a', T0, 30, { order_id: 'oa' }), buy('b', T0, 30, { order_id: 'ob' }),
    ]);
    const rows = byTiers(await w.report());
    expect(rows['Paid Social/Pinterest/fall'].even).toBeCloseTo(1 + 2 / 3, 6);
    expect(rows['Paid Search/Google/brand'].even).toBeCloseTo(1 / 3, 6);
    expect(rows['Paid Social/Pinterest/fall'].revenue_even).toBeCloseTo(30 + 20, 6);
  });

  it('drops a repeat exactly dedupe_minutes later (at most) but not one a second later', async () => {
    const w = await make({ dedupe_minutes: 30 });
    await w.ingest([
      view('a', T0 - 60 * MIN, PIN), view('a', T0 - 30 * MIN, PIN), view('a', T0 - 29 * MIN, GOOGLE),
      view('b', T0 - 60 * MIN, PIN), view('b', T0 - 30 * MIN + 1000, PIN), view('b', T0 - 29 * MIN, GOOGLE),
      buy('a', T0, 1, { order_id: 'oa' }), buy('b', T0, 1, { order_id: 'ob' }),
    ]);
    const rows = byTiers(await w.report());
    // a: PIN, (PIN dropped), GOOGLE → 1/2 each; b: PIN, PIN(+30min+1s... kept), GOOGLE → 1/3 each
    expect(rows['Paid Social/Pinterest/fall'].even).toBeCloseTo(0.5 + 2 / 3, 6);
    expect(rows['Paid Search/Google/brand'].even).toBeCloseTo(0.5 + 1 / 3, 6);
  });
});

describe('mapping rules (SPEC §4)', () => {
  it('tries rules by priority, drops excluded views and unmatched views', async () => {
    const w = await make();
    await w.ingest([
      // matches Pinterest paid (100) and Pinterest organic (20): paid wins
      view('a', T0 - 3 * MIN, PIN, { referrer: 'https://www.pinterest.com/' }),
      // internal navigation (1000, exclude) beats everything
      view('a', T0 - 2 * MIN, GOOGLE, { referrer: 'https://shop.example/cart' }),
      // no rule matches: not a touchpoint
      view('a', T0 - MIN, 'https://shop.example/about'),
      buy('a', T0, 10, { order_id: 'o' }),
    ]);
    const rows = byTiers(await w.report());
    expect(rows).toEqual({ 'Paid Social/Pinterest/fall': { first_touch: 1, last_touch: 1, even: 1, normalized: 1, revenue_even: 10 } });
  });

  it('decodes {param} templates and matches referrer subdomains only', async () => {
    const w = await make();
    await w.ingest([
      view('a', T0 - 2 * MIN, 'https://shop.example/?utm_source=pinterest&utm_medium=x&utm_campaign=Fall%20Sale%26More&utm_content=Pin+One&utm_term=%3Dcmd', {}),
      view('b', T0 - 2 * MIN, 'https://shop.example/', { referrer: 'https://l.pinterest.com/abc' }),
      view('c', T0 - 2 * MIN, 'https://shop.example/', { referrer: 'https://notpinterest.com/' }),
      buy('a', T0, 1, { order_id: 'a' }), buy('b', T0, 1, { order_id: 'b' }), buy('c', T0, 1, { order_id: 'c' }),
    ]);
    const rows = await w.report();
    const paid = rows.find((r) => r.tier_1 === 'Paid Social')!;
    expect([paid.tier_3, paid.tier_4, paid.tier_5, paid.platform]).toEqual(['Fall Sale&More', 'Pin One', '=cmd', 'pinterest']);
    const organic = rows.find((r) => r.tier_1 === 'Organic Social')!;
    expect(organic.platform).toBe('pinterest_organic');
    expect(organic.first_touch).toBe(1);
    expect(rows.find((r) => r.tier_1 === 'Direct')!.first_touch).toBe(1); // notpinterest.com is not pinterest.com
  });

  it('defaults platform to tier_2 lower-cased', async () => {
    const w = await make();
    await w.ingest([view('a', T0 - MIN, GOOGLE), buy('a', T0, 1, { order_id: 'o' })]);
    expect((await w.report())[0].platform).toBe('google');
  });
});

describe('dates in the advertiser timezone (SPEC §5.6)', () => {
  it('assigns New York dates across the end of daylight saving time', async () => {
    const w = await make({ timezone: 'America/New_York' });
    await w.ingest([
      buy('a', Date.parse('2026-11-01T03:30:00Z'), 1, { order_id: '1' }), // 23:30 EDT Oct 31
      buy('a', Date.parse('2026-11-01T04:30:00Z'), 2, { order_id: '2' }), // 00:30 EDT Nov 1
      buy('a', Date.parse('2026-11-02T04:30:00Z'), 4, { order_id: '3' }), // 23:30 EST Nov 1
      buy('a', Date.parse('2026-11-02T05:30:00Z'), 8, { order_id: '4' }), // 00:30 EST Nov 2
    ]);
    const rows = await w.report();
    expect(rows.map((r) => [r.date, r.tier_1, r.even, r.revenue_even])).toEqual([
      ['2026-10-31', 'Direct', 1, 1],
      ['2026-11-01', 'Direct', 2, 6],
      ['2026-11-02', 'Direct', 1, 8],
    ]);
  });
});

describe('identity stitching (SPEC §3)', () => {
  it('links devices through email and external_id transitively, for conversions carrying only one of them', async () => {
    const w = await make();
    await w.ingest([
      view('phone', T0 - 2 * DAY, PIN),
      { type: 'identify', ts: iso(T0 - 2 * DAY + MIN), uid: 'phone', email: ' Ann@Example.com ' },
      view('laptop', T0 - DAY, GOOGLE),
      { type: 'identify', ts: iso(T0 - DAY + MIN), uid: 'laptop', email: 'ann@example.com', external_id: 'c-42' },
      { type: 'conversion', ts: iso(T0), external_id: 'c-42', action: 'purchase', order_id: 'o1', revenue: 100 },
      { type: 'conversion', ts: iso(T0 + 1000), email: 'ANN@example.com', action: 'purchase', order_id: 'o2', revenue: 50 },
    ]);
    const rows = byTiers(await w.report());
    expect(rows['Paid Social/Pinterest/fall']).toMatchObject({ first_touch: 2, last_touch: 0, even: 1, revenue_even: 75 });
    expect(rows['Paid Search/Google/brand']).toMatchObject({ first_touch: 0, last_touch: 2, even: 1, revenue_even: 75 });
    expect(rows['Direct']).toBeUndefined();
  });

  it('keeps unrelated persons apart', async () => {
    const w = await make();
    await w.ingest([view('x', T0 - MIN, PIN), buy('y', T0, 5, { order_id: 'o' })]);
    expect(Object.keys(byTiers(await w.report()))).toEqual(['Direct']);
  });

  it('never stores a plain email', async () => {
    const w = await make();
    await w.ingest([{ type: 'identify', ts: iso(T0), uid: 'a', email: 'Ann@Example.com ' }]);
    const dump = await w.store.all<{ t: string }>(`SELECT to_json(e)::VARCHAR AS t FROM events e`);
    expect(dump[0].t).not.toMatch(/example\.com/i);
    const hash = (await w.store.scalar<string>(`SELECT email_sha256 FROM events`));
    const { createHash } = await import('node:crypto');
    expect(hash).toBe(createHash('sha256').update('ann@example.com').digest('hex'));
  });
});
