import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexCombos, runSegment, type CreditSink, type EngineInput } from '../src/attribution/engine.js';
import { fitLogistic } from '../src/attribution/logistic.js';
import { KIND, SOURCE, type Combo } from '../src/attribution/paths.js';
import { parseAdvertiserConfig, type Advertiser } from '../src/config/schema.js';
import { baseSegment, pinterestSegment } from '../src/segments/segments.js';

const adv: Advertiser = (() => {
  const r = parseAdvertiserConfig({ id: 'p', dedupe_minutes: 30 });
  if (!r.ok) throw new Error('config');
  return r.advertiser;
})();

const COMBOS: Combo[] = [
  { id: 1, tiers: ['Paid Social', 'Pinterest', 'c1', '', ''], platform: 'pinterest' },
  { id: 2, tiers: ['Paid Social', 'Facebook', 'c2', '', ''], platform: 'facebook' },
  { id: 3, tiers: ['Paid Search', 'Google', '', '', ''], platform: 'google' },
  { id: 4, tiers: ['Paid Social', 'Pinterest', 'feed', 'g', 'a'], platform: 'pinterest' },
  { id: 5, tiers: ['Direct', '', '', '', ''], platform: '' },
];

const touch = fc.record({
  person: fc.integer({ min: 0, max: 6 }),
  minute: fc.integer({ min: 0, max: 60 * 24 * 40 }),
  combo: fc.constantFrom(1, 2, 3, 4),
  kind: fc.constantFrom(KIND.click, KIND.engagement, KIND.view),
});
const conversion = fc.record({
  person: fc.integer({ min: 0, max: 6 }),
  minute: fc.integer({ min: 0, max: 60 * 24 * 40 }),
  cents: fc.integer({ min: 0, max: 100_000 }),
});

function build(touches: { person: number; minute: number; combo: number; kind: number }[], convs: { person: number; minute: number; cents: number }[]): EngineInput {
  const t = touches
    .map((x, seq) => ({ ...x, source: x.combo === 4 ? SOURCE.pinterest_feed : SOURCE.site, kind: x.combo === 4 ? x.kind : KIND.click, seq }))
    .sort((a, b) => a.person - b.person || a.minute - b.minute || a.source - b.source || a.seq - b.seq);
  const c = convs.map((x, seq) => ({ ...x, seq })).sort((a, b) => a.person - b.person || a.minute - b.minute || a.seq - b.seq);
  return {
    adv,
    touchpoints: {
      length: t.length,
      person: Int32Array.from(t.map((x) => x.person)), ts: Float64Array.from(t.map((x) => x.minute * 60_000)),
      combo: Int32Array.from(t.map((x) => x.combo)), kind: Int32Array.from(t.map((x) => x.kind)),
      source: Int32Array.from(t.map((x) => x.source)), seq: Float64Array.from(t.map((x) => x.seq)),
    },
    conversions: {
      length: c.length,
      person: Int32Array.from(c.map((x) => x.person)), ts: Float64Array.from(c.map((x) => x.minute * 60_000)),
      revenue: Float64Array.from(c.map((x) => x.cents / 100)), day: Int32Array.from(c.map((x) => Math.floor(x.minute / 1440))),
      seq: Float64Array.from(c.map((x) => x.seq)),
    },
    combos: indexCombos(COMBOS, 5),
  };
}

/** Collects per-conversion sums of each model's credits. */
function collect(input: EngineInput, which: 'base' | 'pinterest') {
  const sums = Array.from({ length: input.conversions.length }, () => [0, 0, 0, 0]);
  const revenue = [0, 0, 0, 0];
  const feedSeen: number[] = [];
  const sink: CreditSink = {
    credit(c, t, _combo, credits) {
      for (let k = 0; k < 4; k++) {
        expect(credits[k]).toBeGreaterThanOrEqual(0);
        sums[c][k] += credits[k];
        revenue[k] += credits[k] * input.conversions.revenue[c];
      }
      if (t >= 0 && input.touchpoints.source[t] === SOURCE.pinterest_feed) feedSeen.push(t);
    },
  };
  runSegment(input, which === 'base' ? baseSegment(adv) : pinterestSegment(adv), sink);
  return { sums, revenue, feedSeen };
}

describe('attribution properties on random paths', () => {
  it('every model splits exactly 1 per conversion; totals equal conversions and revenue (both segments)', () => {
    fc.assert(fc.property(fc.array(touch, { maxLength: 60 }), fc.array(conversion, { maxLength: 20 }), (touches, convs) => {
      const input = build(touches, convs);
      const totalRevenue = convs.reduce((s, c) => s + c.cents / 100, 0);
      for (const which of ['base', 'pinterest'] as const) {
        const { sums, revenue, feedSeen } = collect(input, which);
        for (const s of sums) for (const v of s) expect(v).toBeCloseTo(1, 9);
        for (const r of revenue) expect(Math.abs(r - totalRevenue)).toBeLessThan(0.005);
        if (which === 'base') expect(feedSeen).toEqual([]);
      }
    }), { numRuns: 300 });
  });

  it('the base segment does not change when feed touchpoints are added', () => {
    fc.assert(fc.property(fc.array(touch, { maxLength: 40 }), fc.array(conversion, { maxLength: 15 }), (touches, convs) => {
      const site = touches.filter((t) => t.combo !== 4);
      const a = collect(build(site, convs), 'base');
      const b = collect(build(touches, convs), 'base');
      expect(b.sums).toEqual(a.sums);
      expect(b.revenue).toEqual(a.revenue);
    }), { numRuns: 200 });
  });
});

describe('logistic regression', () => {
  it('recovers a positive weight for a bucket that raises conversion and a negative one for a bucket that lowers it', () => {
    // 1000 persons: bucket 0 exposed → 60% convert; bucket 1 exposed → 10%; neither → 30%.
    const offsets = [0];
    const indices: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const group = i % 3;
      if (group < 2) indices.push(group);
      offsets.push(indices.length);
      const rate = group === 0 ? 0.6 : group === 1 ? 0.1 : 0.3;
      labels.push((i * 7919) % 100 < rate * 100 ? 1 : 0);
    }
    const fit = fitLogistic({ features: 2, offsets: Int32Array.from(offsets), indices: Int32Array.from(indices), labels: Uint8Array.from(labels) }, { lambda: 1 });
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(0.5);
    expect(fit.coefficients[1]).toBeLessThan(-0.5);
    // with no penalty the fit reproduces the group log-odds exactly: logit(0.6) - logit(0.3) and logit(0.1) - logit(0.3)
    const exact = fitLogistic({ features: 2, offsets: Int32Array.from(offsets), indices: Int32Array.from(indices), labels: Uint8Array.from(labels) }, { lambda: 0 });
    const rates = [0, 1, 2].map((g) => labels.filter((_, i) => i % 3 === g).reduce((a, b) => a + b, 0) / labels.filter((_, i) => i % 3 === g).length);
    const logit = (p: number) => Math.log(p / (1 - p));
    expect(exact.intercept).toBeCloseTo(logit(rates[2]), 6);
    expect(exact.coefficients[0]).toBeCloseTo(logit(rates[0]) - logit(rates[2]), 6);
    expect(exact.coefficients[1]).toBeCloseTo(logit(rates[1]) - logit(rates[2]), 6);
  });
});
