import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { World, TEST_RULES, PIN, GOOGLE } from './support/world.js';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const URLS = [PIN, GOOGLE, 'https://shop.example/p?utm_source=pinterest&utm_medium=x&utm_campaign=spring', 'https://shop.example/about'];

const event = fc.oneof(
  fc.record({ kind: fc.constant('view' as const), uid: fc.integer({ min: 0, max: 5 }), minute: fc.integer({ min: 0, max: 60 * 24 * 20 }), url: fc.integer({ min: 0, max: URLS.length - 1 }) }),
  fc.record({ kind: fc.constant('identify' as const), uid: fc.integer({ min: 0, max: 5 }), minute: fc.integer({ min: 0, max: 60 * 24 * 20 }), customer: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('conversion' as const), uid: fc.integer({ min: 0, max: 5 }), minute: fc.integer({ min: 0, max: 60 * 24 * 20 }),
    order: fc.integer({ min: 0, max: 6 }), cents: fc.integer({ min: 0, max: 50_000 }) }),
);

describe('reports on random data, through ingest', () => {
  it('every model credits each deduplicated purchase once, and revenue reconciles to the cent', async () => {
    await fc.assert(fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 40 }), async (events) => {
      const w = await World.create({ rules: TEST_RULES, timezone: 'America/New_York' });
      try {
        const lines = events.map((e) => {
          const ts = new Date(T0 + e.minute * 60_000).toISOString();
          if (e.kind === 'view') return { type: 'view', ts, uid: `u${e.uid}`, url: URLS[e.url] };
          if (e.kind === 'identify') return { type: 'identify', ts, uid: `u${e.uid}`, external_id: `c${e.customer}` };
          return { type: 'conversion', ts, uid: `u${e.uid}`, action: 'purchase', order_id: `o${e.order}`, revenue: e.cents / 100 };
        });
        await w.ingest(lines);
        // expected: one purchase per order_id, the earliest (then first in the file) wins
        const firsts = new Map<number, { minute: number; cents: number }>();
        for (const e of events) {
          if (e.kind !== 'conversion') continue;
          const seen = firsts.get(e.order);
          if (!seen || e.minute < seen.minute) firsts.set(e.order, { minute: e.minute, cents: e.cents });
        }
        const purchases = firsts.size;
        const revenue = [...firsts.values()].reduce((a, b) => a + b.cents, 0) / 100;
        const rows = await w.report();
        for (const model of ['first_touch', 'last_touch', 'even', 'normalized'] as const) {
          const credits = rows.reduce((a, r) => a + r[model], 0);
          const money = rows.reduce((a, r) => a + r[`revenue_${model}`], 0);
          expect(Math.abs(credits - purchases)).toBeLessThan(1e-5 * Math.max(1, rows.length));
          expect(Math.abs(money - revenue)).toBeLessThan(0.005);
        }
        for (const r of rows) expect(r.first_touch + r.last_touch + r.even + r.normalized).toBeGreaterThan(0);
      } finally {
        w.close();
      }
    }), { numRuns: 25 });
  });
});
