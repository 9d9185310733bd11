import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureResults } from '../attribution/results.js';
import { saveAdvertiser } from '../config/advertisers.js';
import { parseConfigOrRefuse } from '../config/load.js';
import type { Advertiser } from '../config/schema.js';
import { ingestEventsFile } from '../ingest/events/ingestEvents.js';
import type { ProgressFn } from '../ingest/pipeline.js';
import { bucketsBreakdown } from '../reports/bucketsBreakdown.js';
import { channelTotals, type ChannelTotals } from '../reports/channelSummary.js';
import { Store } from '../store/db.js';
import { generate, type GeneratedData } from './generator.js';

/** The demo advertiser: an outdoor shop in New York using the shipped default mapping rules. */
export const DEMO_CONFIG = {
  id: 'acme',
  name: 'Acme Outdoor',
  timezone: 'America/New_York',
  currency: 'USD',
  featured_conversion: { action: 'purchase', name: 'Purchase' },
};
export const DEMO_PERIOD = { endDate: '2026-11-30', days: 90 } as const;

export interface DemoOptions { dir: string; persons: number; seed: number; onProgress?: ProgressFn }

export interface DemoResult {
  dir: string;
  db: string;
  generated: GeneratedData;
  ingest: { lines: number; accepted: number; duplicates: number; rejected: number };
  from: string;
  to: string;
  persons: number;
  conversions: number;
  revenue: number;
  channels: ChannelTotals[];
  total: ChannelTotals;
  timings: Record<string, number>;
}

/** Generates a realistic advertiser, ingests it into a fresh database and attributes it end to end. */
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
  const db = join(dir, 'demo.duckdb');

  opts.onProgress?.('generating site events');
  const generated = await timed('generate', () => generate({
    seed: opts.seed, persons: opts.persons, days: DEMO_PERIOD.days, endDate: DEMO_PERIOD.endDate,
    siteHost: 'shop.example', advertiserTimezone: DEMO_CONFIG.timezone,
  }, eventsFile));

  const store = await Store.open(db);
  try {
    const adv: Advertiser = parseConfigOrRefuse(DEMO_CONFIG, 'demo config');
    await saveAdvertiser(store, adv);
    const summary = await timed('ingest', () => ingestEventsFile(store, eventsFile, adv.id, { onProgress: opts.onProgress }));
    opts.onProgress?.('attributing');
    const computed = await timed('attribute', () => ensureResults(store, adv));
    const from = addDays(DEMO_PERIOD.endDate, -(DEMO_PERIOD.days - 1));
    const rows = await timed('report', () => bucketsBreakdown(store, adv, { segment: adv.featured_conversion.name, from, to: DEMO_PERIOD.endDate }));
    const { channels, total } = channelTotals(rows);
    return {
      dir, db, generated,
      ingest: { lines: summary.lines, accepted: summary.accepted, duplicates: summary.duplicates, rejected: summary.rejected },
      from, to: DEMO_PERIOD.endDate, persons: computed.persons, conversions: computed.conversions, revenue: computed.revenue,
      channels, total, timings,
    };
  } finally {
    store.close();
  }
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
