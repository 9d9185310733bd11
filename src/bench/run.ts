import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
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
import { baselineQuery, loadBaseline } from './baseline.js';

/**
 * npm run bench: a large generated advertiser through the engine and through an analyst's SQL
 * baseline, side by side. Options: BENCH_PERSONS (default 200000), BENCH_DIR (default ./bench-data).
 */
const PERSONS = Number(process.env.BENCH_PERSONS ?? 200_000);
const DIR = resolve(process.env.BENCH_DIR ?? 'bench-data');
const END = '2026-11-30';
const DAYS = 90;
const FROM = new Date(Date.parse(`${END}T00:00:00Z`) - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

async function main(): Promise<void> {
  await mkdir(DIR, { recursive: true });
  const events = join(DIR, `events-${PERSONS}.jsonl`);
  if (!existsSync(events)) {
    log(`generating ${PERSONS.toLocaleString('en-US')} persons over ${DAYS} days (cached in ${events})`);
    const tmp = `${events}.tmp`;
    await generate({ seed: 7, persons: PERSONS, days: DAYS, endDate: END, siteHost: 'shop.example', advertiserTimezone: DEMO_CONFIG.timezone }, tmp);
    await (await import('node:fs/promises')).rename(tmp, events);
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
}

await main();
