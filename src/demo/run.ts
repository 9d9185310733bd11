import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureResults } from '../attribution/results.js';
import { saveAdvertiser } from '../config/advertisers.js';
import { parseConfigOrRefuse } from '../config/load.js';
import type { Advertiser } from '../config/schema.js';
import { RefusedError } from '../errors.js';
import { ingestEventsFile } from '../ingest/events/ingestEvents.js';
import type { ProgressFn } from '../ingest/pipeline.js';
import { bucketsBreakdown, type BucketRow } from '../reports/bucketsBreakdown.js';
import { channelTotals, type ChannelTotals } from '../reports/channelSummary.js';
import { activeSegments } from '../segments/active.js';
import { Store } from '../store/db.js';
import { generate, type GeneratedData } from './generator.js';
import { DEMO_FROM, DEMO_PERIOD } from './period.js';
import { runPinterestDemo, type PinterestDemoResult } from './pinterestDemo.js';

/** The demo advertiser: an outdoor shop in New York using the shipped default mapping rules. */
export const DEMO_CONFIG = {
  id: 'acme',
  name: 'Acme Outdoor',
  timezone: 'America/New_York',
  currency: 'USD',
  featured_conversion: { action: 'purchase', name: 'Purchase' },
};

export interface DemoOptions { dir: string; persons: number; seed: number; pinterest?: boolean; onProgress?: ProgressFn }

export interface SegmentSummary { name: string; channels: ChannelTotals[]; total: ChannelTotals; pinterest: ChannelTotals }

export interface DemoResult {
  dir: string;
  db: string;
  generated: GeneratedData;
  ingest: { lines: number; accepted: number; duplicates: number; rejected: number };
  from: string;
  to: string;
  persons: number;
  segments: SegmentSummary[];
  pinterest: PinterestDemoResult | { skipped: string };
  timings: Record<string, number>;
}

/**
 * Generates a realistic advertiser, ingests it into a fresh database and attributes it end to end;
 * then (unless told not to) enables the Pinterest integration on it and compares both segments.
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const dir = resolve(opts.dir);
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try { return await fn(); } finally { timings[name] = Math.round(performance.now() - started); }
  };
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const eventsFile = join(dir, 'events.jsonl.gz');
  const feedDir = join(dir, 'pinterest-feed');
  const db = join(dir, 'demo.duckdb');
  const withPinterest = opts.pinterest ?? true;

  opts.onProgress?.('generating site events and the Pinterest feed');
  const generated = await timed('generate', () => generate({
    seed: opts.seed, persons: opts.persons, days: DEMO_PERIOD.days, endDate: DEMO_PERIOD.endDate,
    siteHost: 'shop.example', advertiserTimezone: DEMO_CONFIG.timezone,
  }, eventsFile, withPinterest ? feedDir : undefined));

  const store = await Store.open(db);
  try {
    const adv: Advertiser = parseConfigOrRefuse(DEMO_CONFIG, 'demo config');
    await saveAdvertiser(store, adv);
    const summary = await timed('ingest', () => ingestEventsFile(store, eventsFile, adv.id, { onProgress: opts.onProgress }));
    let pinterest: DemoResult['pinterest'] = { skipped: 'not asked for (--no-pinterest)' };
    if (withPinterest) {
      try {
        pinterest = await timed('pinterest', () => runPinterestDemo(store, adv, feedDir, dir, { from: DEMO_FROM, to: DEMO_PERIOD.endDate }, opts.onProgress));
      } catch (err) {
        if (!(err instanceof RefusedError)) throw err;
        pinterest = { skipped: err.message };
      }
    }
    opts.onProgress?.('attributing');
    const computed = await timed('attribute', () => ensureResults(store, adv));
    const segments: SegmentSummary[] = [];
    await timed('report', async () => {
      for (const segment of await activeSegments(store, adv)) {
        const rows = await bucketsBreakdown(store, adv, { segment: segment.name, from: DEMO_FROM, to: DEMO_PERIOD.endDate });
        segments.push({ name: segment.name, ...channelTotals(rows), pinterest: pinterestCredit(rows, adv) });
      }
    });
    return {
      dir, db, generated,
      ingest: { lines: summary.lines, accepted: summary.accepted, duplicates: summary.duplicates, rejected: summary.rejected },
      from: DEMO_FROM, to: DEMO_PERIOD.endDate, persons: computed.persons, segments, pinterest, timings,
    };
  } finally {
    store.close();
  }
}

/** What paid Pinterest (platform pinterest) is credited with in a segment. */
function pinterestCredit(rows: readonly BucketRow[], adv: Advertiser): ChannelTotals {
  return channelTotals(rows.filter((r) => r.platform === 'pinterest').map((r) => ({ ...r, tier_1: adv.pinterest.tier_2 }))).total;
}
