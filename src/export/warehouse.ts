import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CreditSink } from '../attribution/engine.js';
import { ensureResults, runWithSink } from '../attribution/results.js';
import type { Advertiser } from '../config/schema.js';
import { RefusedError } from '../errors.js';
import { BUCKET_COLUMNS, bucketsBreakdown } from '../reports/bucketsBreakdown.js';
import { assertExportAllowed } from '../segments/privacy.js';
import { baseSegment } from '../segments/segments.js';
import { sqlString, type Store } from '../store/db.js';

export const DATASETS = ['conversions', 'touchpoints', 'log_mta', 'buckets_breakdown'] as const;
export type Dataset = (typeof DATASETS)[number];

export interface ExportRequest {
  dataset: string;
  segment: string;
  from: string;
  to: string;
  out: string;
  format: 'parquet' | 'csv';
}

export interface ExportResult { dir: string; rows: number; files: number; dates: number }

/**
 * Writes one dataset of the base segment as Hive-partitioned files (OUT/<dataset>/date=YYYY-MM-DD/…),
 * ready for a warehouse's external tables (SPEC §7.3). The dataset is built in a temporary folder
 * beside its destination and moved into place at the end, so readers never see half of it.
 */
export async function exportDataset(store: Store, adv: Advertiser, req: ExportRequest): Promise<ExportResult> {
  assertExportAllowed(adv, req.dataset, req.segment);
  if (!(DATASETS as readonly string[]).includes(req.dataset)) {
    throw new RefusedError(`unknown dataset "${req.dataset}"; choose one of ${DATASETS.join(', ')}`);
  }
  if (req.from > req.to) throw new RefusedError(`--from ${req.from} is after --to ${req.to}`);
  await ensureResults(store, adv);
  const dataset = req.dataset as Dataset;
  const view = await stageDataset(store, adv, dataset, req);

  await mkdir(req.out, { recursive: true });
  const final = join(req.out, dataset);
  const tmp = join(req.out, `.${dataset}.${process.pid}.tmp`);
  const old = join(req.out, `.${dataset}.${process.pid}.old`);
  await rm(tmp, { recursive: true, force: true });
  try {
    const rows = Number(await store.scalar<bigint>(`SELECT count(*) FROM ${view}`));
    const dates = Number(await store.scalar<bigint>(`SELECT count(DISTINCT date) FROM ${view}`));
    if (rows > 0) {
      await store.run(`COPY (SELECT * FROM ${view} ORDER BY ALL) TO ${sqlString(tmp)}
        (FORMAT ${req.format === 'csv' ? 'csv, HEADER true' : 'parquet'}, PARTITION_BY (date), OVERWRITE_OR_IGNORE true)`);
    } else {
      await mkdir(tmp, { recursive: true });
    }
    const existed = await stat(final).then(() => true, () => false);
    if (existed) await rename(final, old);
    await rename(tmp, final);
    if (existed) await rm(old, { recursive: true, force: true });
    return { dir: final, rows, files: dates, dates };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${view}`);
  }
}

async function stageDataset(store: Store, adv: Advertiser, dataset: Dataset, req: ExportRequest): Promise<string> {
  const id = sqlString(adv.id);
  const tz = sqlString(adv.timezone);
  const range = `BETWEEN ${sqlString(req.from)}::DATE AND ${sqlString(req.to)}::DATE`;
  const view = `_export_${dataset}`;
  if (dataset === 'buckets_breakdown') {
    const rows = await bucketsBreakdown(store, adv, { segment: req.segment, from: req.from, to: req.to });
    await store.run(`CREATE OR REPLACE TEMP TABLE ${view} (date DATE, segment VARCHAR, tier_1 VARCHAR, tier_2 VARCHAR, tier_3 VARCHAR,
      tier_4 VARCHAR, tier_5 VARCHAR, platform VARCHAR, first_touch DOUBLE, last_touch DOUBLE, even DOUBLE, normalized DOUBLE,
      revenue_first_touch DOUBLE, revenue_last_touch DOUBLE, revenue_even DOUBLE, revenue_normalized DOUBLE)`);
    const appender = await store.conn.createAppender(view, 'main', 'temp');
    for (const r of rows) {
      appender.appendVarchar(r.date); // cast by DuckDB on append
      for (const c of BUCKET_COLUMNS.slice(1, 8)) appender.appendVarchar(r[c] as string);
      for (const c of BUCKET_COLUMNS.slice(8)) appender.appendDouble(r[c] as number);
      appender.endRow();
    }
    appender.closeSync();
    return view;
  }
  if (dataset === 'touchpoints') {
    await store.run(`CREATE OR REPLACE TEMP TABLE ${view} AS
      SELECT t.event_seq AS touchpoint_id, m.person, t.ts, (t.ts AT TIME ZONE ${tz})::DATE AS date, 'click' AS kind, 'site' AS source,
             c.tier_1, c.tier_2, c.tier_3, c.tier_4, c.tier_5, c.platform, e.event_id, e.url, e.referrer
      FROM site_touchpoints t
      JOIN identity_map m ON m.advertiser = ${id} AND m.ident = 'u:' || t.uid
      JOIN tier_combos c ON c.advertiser = ${id} AND c.combo_id = t.combo_id
      JOIN events e ON e.advertiser = ${id} AND e.seq = t.event_seq
      WHERE t.advertiser = ${id} AND (t.ts AT TIME ZONE ${tz})::DATE ${range}`);
    return view;
  }
  // conversions and log_mta come from the engine (deduped conversions, per-touchpoint credits).
  const segment = baseSegment(adv);
  await store.run(`CREATE OR REPLACE TEMP TABLE _credits (conversion_seq BIGINT, person INTEGER, conversion_ts_ms DOUBLE, day INTEGER, revenue DOUBLE,
    touchpoint_seq BIGINT, touchpoint_ts_ms DOUBLE, combo_id INTEGER, ft DOUBLE, lt DOUBLE, ev DOUBLE, nm DOUBLE)`);
  const appender = await store.conn.createAppender('_credits', 'main', 'temp');
  await runWithSink(store, adv, segment, (input): CreditSink => ({
    credit(c, t, combo, credits) {
      const cv = input.conversions;
      appender.appendBigInt(BigInt(cv.seq[c]));
      appender.appendInteger(cv.person[c]);
      appender.appendDouble(cv.ts[c]);
      appender.appendInteger(cv.day[c]);
      appender.appendDouble(cv.revenue[c]);
      if (t < 0) { appender.appendNull(); appender.appendNull(); } else {
        appender.appendBigInt(BigInt(input.touchpoints.seq[t]));
        appender.appendDouble(input.touchpoints.ts[t]);
      }
      appender.appendInteger(combo);
      for (let k = 0; k < 4; k++) appender.appendDouble(credits[k]);
      appender.endRow();
    },
  }));
  appender.closeSync();
  const base = `FROM _credits x JOIN events e ON e.advertiser = ${id} AND e.seq = x.conversion_seq
    WHERE DATE '1970-01-01' + x.day ${range}`;
  if (dataset === 'conversions') {
    await store.run(`CREATE OR REPLACE TEMP TABLE ${view} AS
      SELECT DISTINCT x.conversion_seq AS conversion_id, x.person, e.ts, DATE '1970-01-01' + x.day AS date, e.action, e.order_id,
             x.revenue, ${sqlString(adv.currency)} AS currency ${base}`);
  } else {
    await store.run(`CREATE OR REPLACE TEMP TABLE ${view} AS
      SELECT x.conversion_seq AS conversion_id, e.order_id, x.person, e.ts AS conversion_ts, DATE '1970-01-01' + x.day AS date,
             x.touchpoint_seq AS touchpoint_id, make_timestamp((x.touchpoint_ts_ms * 1000)::BIGINT)::TIMESTAMPTZ AS touchpoint_ts,
             c.tier_1, c.tier_2, c.tier_3, c.tier_4, c.tier_5, c.platform,
             x.ft AS first_touch, x.lt AS last_touch, x.ev AS even, x.nm AS normalized,
             x.ft * x.revenue AS revenue_first_touch, x.lt * x.revenue AS revenue_last_touch,
             x.ev * x.revenue AS revenue_even, x.nm * x.revenue AS revenue_normalized
      ${base.replace('WHERE', `JOIN tier_combos c ON c.advertiser = ${id} AND c.combo_id = x.combo_id WHERE`)}`);
  }
  await store.run('DROP TABLE _credits');
  return view;
}
