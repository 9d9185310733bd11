import { afterEach, describe, expect, it } from 'vitest';
import { saveAdvertiser, resolveAdvertiser } from '../src/config/advertisers.js';
import { parseConfigOrRefuse } from '../src/config/load.js';
import { ingestEventsFile } from '../src/ingest/events/ingestEvents.js';
import { bucketsBreakdown } from '../src/reports/bucketsBreakdown.js';
import { World, TEST_RULES, PIN, GOOGLE } from './support/world.js';

let world: World | undefined;
afterEach(() => { world?.close(); world = undefined; });

const T = Date.parse('2026-11-10T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('advertisers and rule changes', () => {
  it('re-maps stored views when the mapping rules change, at the next report', async () => {
    world = await World.create({ rules: TEST_RULES });
    await world.ingest([
      { type: 'view', ts: iso(T - 60_000), uid: 'a', url: PIN },
      { type: 'conversion', ts: iso(T), uid: 'a', action: 'purchase', order_id: 'o', revenue: 10 },
    ]);
    expect((await world.report()).map((r) => [r.tier_1, r.tier_3])).toEqual([['Paid Social', 'fall']]);

    const changed = parseConfigOrRefuse({ id: 'acme', rules: [
      { name: 'Pinterest by campaign', priority: 5, when: { params: { utm_source: 'pinterest' } }, tiers: ['Social', 'Pinterest', 'all campaigns', '', ''] },
    ] }, 'test');
    expect(await saveAdvertiser(world.store, changed)).toBe('updated');
    world.adv = changed;
    expect((await world.report()).map((r) => [r.tier_1, r.tier_3, r.platform])).toEqual([['Social', 'all campaigns', 'pinterest']]);
    // saving the same config again changes nothing
    expect(await saveAdvertiser(world.store, changed)).toBe('unchanged');
  });

  it('keeps advertisers apart, takes the advertiser per line, and asks which one when there are several', async () => {
    world = await World.create({ rules: TEST_RULES });
    const other = parseConfigOrRefuse({ id: 'globex', rules: TEST_RULES, currency: 'EUR' }, 'test');
    await saveAdvertiser(world.store, other);
    await expect(resolveAdvertiser(world.store)).rejects.toThrow(/several advertisers \(acme, globex\); choose one with --advertiser ID/);
    const file = world.file([
      { type: 'view', ts: iso(T - 60_000), uid: 'a', url: PIN },
      { type: 'conversion', ts: iso(T), uid: 'a', action: 'purchase', order_id: 'o', revenue: 10 },
      { advertiser: 'globex', type: 'view', ts: iso(T - 60_000), uid: 'a', url: GOOGLE },
      { advertiser: 'globex', type: 'conversion', ts: iso(T), uid: 'a', action: 'purchase', order_id: 'o', revenue: 7, currency: 'EUR' },
      { advertiser: 'globex', type: 'conversion', ts: iso(T), uid: 'b', action: 'purchase', order_id: 'p', revenue: 7, currency: 'USD' },
    ]);
    const summary = await ingestEventsFile(world.store, file, 'acme', { keepAllRejects: true });
    expect(summary.rejects).toEqual([{ line: 5, reason: 'currency: "USD" differs from the advertiser\'s currency "EUR"' }]);
    expect(summary.advertisers).toEqual(['acme', 'globex']);
    const acme = await bucketsBreakdown(world.store, world.adv, { segment: 'Purchase', from: '2026-11-01', to: '2026-11-30' });
    const globex = await bucketsBreakdown(world.store, other, { segment: 'Purchase', from: '2026-11-01', to: '2026-11-30' });
    expect(acme.map((r) => [r.tier_2, r.revenue_even])).toEqual([['Pinterest', 10]]);
    expect(globex.map((r) => [r.tier_2, r.revenue_even])).toEqual([['Google', 7]]);
    // without --advertiser, lines naming none are refused when the database holds several
    const ambiguous = await ingestEventsFile(world.store, world.file([{ type: 'view', ts: iso(T), uid: 'z', url: PIN }]), null, { keepAllRejects: true });
    expect(ambiguous.rejects[0].reason).toMatch(/^advertiser: required when the database holds several advertisers/);
  });
});
