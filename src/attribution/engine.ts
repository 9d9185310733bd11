import type { Advertiser } from '../config/schema.js';
import type { Segment } from '../segments/segments.js';
import { fitLogistic, type LogisticFit } from './logistic.js';
import { even } from './models/even.js';
import { firstTouch } from './models/firstTouch.js';
import { lastTouch } from './models/lastTouch.js';
import type { AttributionModel, EligiblePath } from './models/model.js';
import { normalizedModel } from './models/normalized.js';
import { KIND, SOURCE, type Combo, type ConversionColumns, type TouchpointColumns } from './paths.js';

const DAY_MS = 86_400_000;

/** What the engine needs to know about tier combinations. */
export interface ComboIndex {
  /** same tier_1..tier_5 ⇔ same tier group (platform ignored): the same-tier dedupe key */
  tierGroup: Int32Array;
  /** regression bucket (tier_1 + tier_2) of each combo */
  bucket: Int32Array;
  buckets: string[];
  isPinterest: Uint8Array;
  direct: number;
}

export function indexCombos(combos: readonly Combo[], directCombo: number): ComboIndex {
  const size = combos.reduce((m, c) => Math.max(m, c.id), directCombo) + 1;
  const tierGroup = new Int32Array(size).fill(-1);
  const bucket = new Int32Array(size).fill(-1);
  const isPinterest = new Uint8Array(size);
  const groups = new Map<string, number>();
  const bucketIds = new Map<string, number>();
  for (const c of combos) {
    const tk = c.tiers.join('\u001f');
    if (!groups.has(tk)) groups.set(tk, groups.size);
    tierGroup[c.id] = groups.get(tk)!;
    const bk = `${c.tiers[0]} / ${c.tiers[1]}`;
    if (!bucketIds.has(bk)) bucketIds.set(bk, bucketIds.size);
    bucket[c.id] = bucketIds.get(bk)!;
    isPinterest[c.id] = c.platform === 'pinterest' ? 1 : 0;
  }
  return { tierGroup, bucket, buckets: [...bucketIds.keys()], isPinterest, direct: directCombo };
}

/** Receives every credit the engine hands out. `touchpoint` is -1 for the Direct row. */
export interface CreditSink {
  credit(conversion: number, touchpoint: number, combo: number, credits: Float64Array): void;
}

export interface SegmentRun {
  segment: Segment;
  /** which touchpoints survived the segment's scope, click merge and same-tier dedupe */
  kept: Uint8Array;
  fit: LogisticFit;
  bucketWeights: Float64Array;
  conversions: number;
  revenue: number;
}

export interface EngineInput {
  adv: Advertiser;
  touchpoints: TouchpointColumns;
  conversions: ConversionColumns;
  combos: ComboIndex;
}

/**
 * Steps 1–2 of SPEC §5 for one segment: keeps the touchpoints in scope, drops feed clicks that are the
 * same click as a Pinterest site landing, and drops same-tier repeats within dedupe_minutes of the
 * touchpoint immediately before (compared whether or not that one was dropped).
 */
export function keptTouchpoints(input: EngineInput, segment: Segment): Uint8Array {
  const { touchpoints: tp, combos, adv } = input;
  const dedupeMs = adv.dedupe_minutes * 60_000;
  const kept = new Uint8Array(tp.length);
  let start = 0;
  while (start < tp.length) {
    let end = start;
    const person = tp.person[start];
    while (end < tp.length && tp.person[end] === person) end++;
    let prev = -1;
    for (let i = start; i < end; i++) {
      if (!segment.usesFeed && tp.source[i] !== SOURCE.site) continue;
      if (segment.usesFeed && tp.source[i] === SOURCE.pinterest_feed && tp.kind[i] === KIND.click && mergesWithLanding(tp, combos, start, end, i, dedupeMs)) continue;
      const sameTier = prev >= 0 && combos.tierGroup[tp.combo[i]] === combos.tierGroup[tp.combo[prev]] && tp.ts[i] - tp.ts[prev] <= dedupeMs;
      if (!sameTier) kept[i] = 1;
      prev = i;
    }
    start = end;
  }
  return kept;
}

/** A feed click at t is the site landing at s (platform pinterest) when 0 ≤ s − t ≤ dedupe window. */
function mergesWithLanding(tp: TouchpointColumns, combos: ComboIndex, start: number, end: number, i: number, dedupeMs: number): boolean {
  const t = tp.ts[i];
  for (let j = start; j < end; j++) {
    if (tp.source[j] !== SOURCE.site || !combos.isPinterest[tp.combo[j]]) continue;
    const d = tp.ts[j] - t;
    if (d >= 0 && d <= dedupeMs) return true;
  }
  return false;
}

/**
 * Fits the normalized model's regression (documented in docs/attribution.md): one row per person with
 * activity (a kept touchpoint or a featured conversion), features = exposure to each bucket,
 * label = converted at least once. Returns each bucket's weight (its coefficient).
 */
export function fitBuckets(input: EngineInput, kept: Uint8Array): { fit: LogisticFit; weights: Float64Array } {
  const { touchpoints: tp, conversions: cv, combos } = input;
  const K = combos.buckets.length;
  const offsets: number[] = [0];
  const indices: number[] = [];
  const labels: number[] = [];
  const seen = new Int32Array(K).fill(-1);
  let i = 0;
  let c = 0;
  let row = 0;
  while (i < tp.length || c < cv.length) {
    const person = Math.min(i < tp.length ? tp.person[i] : Infinity, c < cv.length ? cv.person[c] : Infinity);
    let active = false;
    for (; i < tp.length && tp.person[i] === person; i++) {
      if (!kept[i]) continue;
      active = true;
      const b = combos.bucket[tp.combo[i]];
      if (b >= 0 && seen[b] !== row) {
        seen[b] = row;
        indices.push(b);
      }
    }
    let converted = 0;
    for (; c < cv.length && cv.person[c] === person; c++) converted = 1;
    if (active || converted) {
      labels.push(converted);
      offsets.push(indices.length);
      row++;
    } else {
      indices.length = offsets[offsets.length - 1];
    }
  }
  const fit = fitLogistic({
    features: K, offsets: Int32Array.from(offsets), indices: Int32Array.from(indices), labels: Uint8Array.from(labels),
  });
  return { fit, weights: fit.coefficients };
}

/**
 * Steps 3–5 of SPEC §5: for each conversion, the kept touchpoints with 0 ≤ conversion − touchpoint ≤
 * window[kind] are eligible; each model splits 1 among them (no eligible touchpoint: 1 to Direct).
 */
export function runSegment(input: EngineInput, segment: Segment, sink: CreditSink): SegmentRun {
  const { touchpoints: tp, conversions: cv, combos, adv } = input;
  const kept = keptTouchpoints(input, segment);
  const { fit, weights } = fitBuckets(input, kept);
  const models: AttributionModel[] = [firstTouch, lastTouch, even, normalizedModel(weights)];
  const windowMs = [adv.windows_days.click * DAY_MS, adv.windows_days.engagement * DAY_MS, adv.windows_days.view * DAY_MS];

  let maxPath = 16;
  let eligibleIdx = new Int32Array(maxPath);
  let buckets = new Int32Array(maxPath);
  let outs = models.map(() => new Float64Array(maxPath));
  const credits = new Float64Array(models.length);
  const directCredits = new Float64Array(models.length).fill(1);
  let revenue = 0;

  let i = 0;
  for (let c = 0; c < cv.length; c++) {
    const person = cv.person[c];
    while (i < tp.length && tp.person[i] < person) i++;
    let n = 0;
    for (let j = i; j < tp.length && tp.person[j] === person; j++) {
      if (!kept[j]) continue;
      const age = cv.ts[c] - tp.ts[j];
      if (age < 0) break; // ordered by ts: later touchpoints are all after the conversion
      if (age > windowMs[tp.kind[j]]) continue;
      if (n === maxPath) {
        maxPath *= 2;
        const grow = <T extends Int32Array | Float64Array>(a: T): T => { const b = new (a.constructor as new (n: number) => T)(maxPath); b.set(a); return b; };
        eligibleIdx = grow(eligibleIdx);
        buckets = grow(buckets);
        outs = outs.map(grow);
      }
      eligibleIdx[n] = j;
      buckets[n] = combos.bucket[tp.combo[j]];
      n++;
    }
    revenue += cv.revenue[c];
    if (n === 0) {
      sink.credit(c, -1, combos.direct, directCredits);
      continue;
    }
    const path: EligiblePath = { length: n, buckets };
    models.forEach((m, k) => m.credit(path, outs[k]));
    for (let e = 0; e < n; e++) {
      for (let k = 0; k < models.length; k++) credits[k] = outs[k][e];
      sink.credit(c, eligibleIdx[e], tp.combo[eligibleIdx[e]], credits);
    }
  }
  return { segment, kept, fit, bucketWeights: weights, conversions: cv.length, revenue };
}

/** Sums credits and revenue per (local date, combo): the Buckets Breakdown's cells. */
export class BucketAggregator implements CreditSink {
  /** key: day * 2^22 + combo → [4 credits, 4 revenues] */
  readonly cells = new Map<number, Float64Array>();

  constructor(private readonly conversions: ConversionColumns) {}

  credit(conversion: number, _touchpoint: number, combo: number, credits: Float64Array): void {
    const key = this.conversions.day[conversion] * 4_194_304 + combo;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = new Float64Array(8);
      this.cells.set(key, cell);
    }
    const revenue = this.conversions.revenue[conversion];
    for (let k = 0; k < 4; k++) {
      cell[k] += credits[k];
      cell[4 + k] += credits[k] * revenue;
    }
  }

  *entries(): Generator<{ day: number; combo: number; values: Float64Array }> {
    for (const [key, values] of this.cells) {
      const combo = key % 4_194_304;
      yield { day: (key - combo) / 4_194_304, combo, values };
    }
  }
}
