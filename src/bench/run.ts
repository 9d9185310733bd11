import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureResults } from '../attribution/results.js';
import { saveAdvertiser } from '../config/advertisers.js';
import { parseConfigOrRefuse } from '../config/load.js';
import { generate } from '../demo/generator.js';
import { DEMO_CONFIG } from '../demo/run.js';
import { ingestEventsFile } from '../ingest/events/ingestEvents.js';
import { bucketsBreakdown } from '../reports/bucketsBreakdown.js';
import { renderTable } from '../reports/table.js';
import { Store, sqlString } from '../store/db.js';
import type { Advertiser } from '../config/schema.js';
import { BucketAggregator, runSegment } from '../attribution/engine.js';
import { prepareEngineInput } from '../attribution/results.js';
import { baseSegment, pinterestSegment, pinterestSegmentName, type Segment } from '../segments/segments.js';
import '../integrations/index.js';
import { addDays } from '../integrations/pinterest/time.js';
import { baselineQuery, loadBaseline } from './baseline.js';

/**
 * npm run bench: a large generated advertiser through the engine and through an analyst's SQL
 * baseline, side by side. Options: BENCH_PERSONS (default 200000), BENCH_DIR (default ./bench-data).
 */
const PERSONS = Number(process.env.BENCH_PERSONS ?? 200_000);
const DIR = resolve(process.env.BENCH_DIR ?? 'bench-data');
const END = '2026-11-30';
/** Part of the cached files' names: bump it when the generator's output changes. */
const DATA_VERSION = 'g2';
const DAYS = 90;
const FROM = addDays(END, -(DAYS - 1));

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

async function main(): Promise<void> {
  await mkdir(DIR, { recursive: true });
  const events = join(DIR, `events-${DATA_VERSION}-${PERSONS}.jsonl`);
  const feedDir = join(DIR, `feed-${DATA_VERSION}-${PERSONS}`);
  if (!existsSync(events) || !existsSync(feedDir)) {
    log(`generating ${PERSONS.toLocaleString('en-US')} persons over ${DAYS} days with a Pinterest feed (cached in ${DIR})`);
    await rm(`${feedDir}.tmp`, { recursive: true, force: true });
    await generate({ seed: 7, persons: PERSONS, days: DAYS, endDate: END, siteHost: 'shop.example', advertiserTimezone: DEMO_CONFIG.timezone },
      `${events}.tmp`, `${feedDir}.tmp`);
    await rm(feedDir, { recursive: true, force: true });
    await rename(`${events}.tmp`, events);
    await rename(`${feedDir}.tmp`, feedDir);
  }
  const fileMb = (await stat(events)).size / 1e6;

  // Engine: init + ingest + first full-period report, then repeated reports.
  const engineDb = join(DIR, 'engine.duckdb');
  await rm(engineDb, { force: true });
  await rm(`${engineDb}.wal`, { force: true });
  const store = await Store.open(engineDb);
  const adv = parseConfigOrRefuse(DEMO_CONFIG, 'bench');
  const [, initMs] = await timed(() => saveAdvertiser(store, adv));
  log('engine: ingesting');
  const [summary, ingestMs] = await timed(() => ingestEventsFile(store, events, adv.id));
  log('engine: first report (attributes everything)');
  const query = { segment: adv.featured_conversion.name, from: FROM, to: END };
  const [rows, firstReportMs] = await timed(() => bucketsBreakdown(store, adv, query));
  const computed = await ensureResults(store, adv);
  const repeats: number[] = [];
  for (let i = 0; i < 7; i++) repeats.push((await timed(() => bucketsBreakdown(store, adv, query)))[1]);
  repeats.sort((a, b) => a - b);
  const repeatMs = repeats[Math.floor(repeats.length / 2)];
  const pinterest = await benchPinterest(store, adv, feedDir, query);
  store.close();

  // Baseline: load the raw file with DuckDB's JSON reader, then one SQL query.
  const baseDb = join(DIR, 'baseline.duckdb');
  await rm(baseDb, { force: true });
  await rm(`${baseDb}.wal`, { force: true });
  const base = await Store.open(baseDb);
  log('baseline: loading');
  const [, baseLoadMs] = await timed(() => loadBaseline(base, events));
  await base.run(`ATTACH ${sqlString(engineDb)} AS eng (READ_ONLY)`);
  log('baseline: query');
  const sql = baselineQuery(adv.id, adv.timezone, adv.featured_conversion.action, adv.dedupe_minutes, adv.windows_days.click);
  const [, baseQueryMs] = await timed(() => base.run(`CREATE OR REPLACE TEMP TABLE baseline AS ${sql}`));
  const diff = await base.one<{ cells: bigint; worst: number; missing: bigint }>(`
    WITH engine AS (
      SELECT date, combo_id, first_touch, last_touch, even, revenue_first_touch, revenue_last_touch, revenue_even
      FROM eng.bucket_results WHERE advertiser = ${sqlString(adv.id)} AND segment = ${sqlString(adv.featured_conversion.name)}
    )
    SELECT count(*) AS cells,
      max(greatest(abs(coalesce(e.first_touch, 0) - coalesce(b.first_touch, 0)), abs(coalesce(e.last_touch, 0) - coalesce(b.last_touch, 0)),
                   abs(coalesce(e.even, 0) - coalesce(b.even, 0)), abs(coalesce(e.revenue_first_touch, 0) - coalesce(b.revenue_first_touch, 0)),
                   abs(coalesce(e.revenue_last_touch, 0) - coalesce(b.revenue_last_touch, 0)), abs(coalesce(e.revenue_even, 0) - coalesce(b.revenue_even, 0)))) AS worst,
      count(*) FILTER (WHERE e.combo_id IS NULL OR b.combo_id IS NULL) AS missing
    FROM engine e FULL OUTER JOIN baseline b ON e.date = b.date AND e.combo_id = b.combo_id`);
  base.close();

  const rssMb = process.resourceUsage().maxRSS / 1024;
  const engineTotal = initMs + ingestMs + firstReportMs;
  const baselineTotal = baseLoadMs + baseQueryMs;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  process.stdout.write(`\nData: ${PERSONS.toLocaleString('en-US')} persons, ${summary.lines.toLocaleString('en-US')} site events (${fileMb.toFixed(0)} MB JSONL), ` +
    `${computed.conversions.toLocaleString('en-US')} purchases after dedupe, ${computed.touchpoints.toLocaleString('en-US')} touchpoints, ${DAYS} days, ${rows.length.toLocaleString('en-US')} report rows\n\n`);
  process.stdout.write(renderTable(['measure', 'engine', 'SQL baseline', 'target'], [
    ['ingest events/s', Math.round(summary.lines / (ingestMs / 1000)).toLocaleString('en-US'), Math.round(summary.lines / (baseLoadMs / 1000)).toLocaleString('en-US'), '≥ 1,000,000'],
    ['init', s(initMs), '—', ''],
    ['ingest / load', s(ingestMs), s(baseLoadMs), ''],
    ['full-period report (4 models) / query (3 models)', s(firstReportMs), s(baseQueryMs), ''],
    ['total init + ingest + report', s(engineTotal), s(baselineTotal), 'engine ≤ baseline'],
    ['repeated 90-day report (median of 7)', `${repeatMs.toFixed(0)} ms`, '—', '≤ 200 ms'],
    ['peak RSS (whole process)', `${rssMb.toFixed(0)} MB`, '', '≤ 2,048 MB'],
  ]));
  process.stdout.write(`\nEngine vs baseline: ${Number(diff!.cells)} (date, tiers) cells compared, largest difference ${(diff!.worst ?? 0).toExponential(2)}, ` +
    `${Number(diff!.missing)} cells present on one side only → ${Number(diff!.missing) === 0 && (diff!.worst ?? 0) <= 1e-6 ? 'AGREE to 1e-6' : 'DISAGREE'}\n`);
  process.stdout.write(`Attribution step alone (identity + paths + regression + credits): ${computed.millis} ms\n`);
  process.stdout.write(`\nPinterest: ${pinterest.rows.toLocaleString('en-US')} feed rows (${pinterest.files} days, ingested as one file)\n\n`);
  process.stdout.write(renderTable(['measure', 'base segment', 'Pinterest segment', 'target'], [
    ['feed ingest rows/s', '—', Math.round(pinterest.rows / (pinterest.ingestMs / 1000)).toLocaleString('en-US'), '≥ 1,000,000'],
    ['feed ingest, one ~1M-row file', '—', s(pinterest.ingestMs), ''],
    ['feed ingest, one daily file', '—', `${pinterest.perFileMs.toFixed(0)} ms for ${Math.round(pinterest.perFileRows).toLocaleString('en-US')} rows`, ''],
    ['attribution (paths + regression + credits)', s(pinterest.baseMs), s(pinterest.pinMs), 'Pinterest ≤ 1.5 × base'],
    ['first report after the feed (both segments)', s(pinterest.firstReportMs), '', ''],
    ['repeated 90-day report (median of 7)', `${pinterest.baseRepeatMs.toFixed(0)} ms`, `${pinterest.pinRepeatMs.toFixed(0)} ms`, 'Pinterest ≤ 1.5 × base'],
  ]));
}

/** Feed ingest and the Pinterest segment against the base segment, on the engine's database. */
async function benchPinterest(store: Store, adv: Advertiser, feedDir: string, query: { segment: string; from: string; to: string }) {
  const { startDemoShop, DEMO_TAG_ID } = await import('../demo/shopSite.js');
  const { verifyTags } = await import('../integrations/pinterest/tagVerification/verify.js');
  const { saveVerification } = await import('../integrations/pinterest/tagVerification/store.js');
  const { enablePinterest } = await import('../integrations/pinterest/lifecycle.js');
  const { ingestFeed } = await import('../integrations/pinterest/feed/ingestFeed.js');
  log('pinterest: tag check and enable');
  const shop = await startDemoShop();
  try {
    await saveVerification(store, await verifyTags(adv.id, [shop.url], { expectedTagId: DEMO_TAG_ID }));
  } finally {
    await shop.close();
  }
  await enablePinterest(store, adv, { tagId: DEMO_TAG_ID, consentBy: 'bench', at: `${FROM}T00:00:00Z` });
  // Throughput: all days' rows in one file (the feed date is a label; rows keep their event_time).
  const files = (await readdir(feedDir)).filter((f) => f.endsWith('.csv')).sort();
  const combined = join(DIR, `feed-${DATA_VERSION}-${PERSONS}-all.csv`);
  if (!existsSync(combined)) {
    const parts = await Promise.all(files.map((f) => readFile(join(feedDir, f), 'utf8')));
    const header = parts[0].slice(0, parts[0].indexOf('\n') + 1);
    await writeFile(`${combined}.tmp`, header + parts.map((p) => p.slice(p.indexOf('\n') + 1)).join(''));
    await rename(`${combined}.tmp`, combined);
  }
  log('pinterest: ingesting the whole feed as one file');
  const [summary, ingestMs] = await timed(() => ingestFeed(store, adv, combined, END));
  const rows = summary.accepted;
  log('pinterest: first report (attributes both segments)');
  const pinQuery = { ...query, segment: pinterestSegmentName(adv) };
  const [, firstReportMs] = await timed(() => bucketsBreakdown(store, adv, pinQuery));
  const attribution = async (segment: Segment) => (await timed(() => store.transaction(async () => {
    const { input } = await prepareEngineInput(store, adv, segment.usesFeed);
    runSegment(input, segment, new BucketAggregator(input.conversions));
  })))[1];
  const baseMs = await attribution(baseSegment(adv));
  const pinMs = await attribution(pinterestSegment(adv));
  const median = async (q: typeof query) => {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) times.push((await timed(() => bucketsBreakdown(store, adv, q)))[1]);
    return times.sort((a, b) => a - b)[3];
  };
  const baseRepeatMs = await median(query);
  const pinRepeatMs = await median(pinQuery);
  // Daily use: one day's file at a time (fixed costs per file: transaction, match statistics).
  log('pinterest: ingesting 5 daily files');
  const daily = files.slice(-6, -1); // not the last day: the combined file is stored under that date
  const [, dailyMs] = await timed(async () => {
    for (const f of daily) await ingestFeed(store, adv, join(feedDir, f), f.slice('pinterest_feed_'.length, -'.csv'.length));
  });
  const dailyRows = (await Promise.all(daily.map(async (f) => (await readFile(join(feedDir, f), 'utf8')).split('\n').length - 2))).reduce((a, b) => a + b, 0);
  return { files: files.length, rows, ingestMs, firstReportMs, baseMs, pinMs, baseRepeatMs, pinRepeatMs, perFileMs: dailyMs / daily.length, perFileRows: dailyRows / daily.length };
}

await main();
