import { ensureResults } from '../attribution/results.js';
import type { Advertiser } from '../config/schema.js';
import { RefusedError } from '../errors.js';
import { activeSegments } from '../segments/active.js';
import { loadCombos } from '../attribution/paths.js';
import { readColumns } from '../store/columns.js';
import { round6 } from './csv.js';
import { sqlString, type Store } from '../store/db.js';

/** Column order of the Buckets Breakdown (SPEC §7.1). */
export const BUCKET_COLUMNS = [
  'date', 'segment', 'tier_1', 'tier_2', 'tier_3', 'tier_4', 'tier_5', 'platform',
  'first_touch', 'last_touch', 'even', 'normalized',
  'revenue_first_touch', 'revenue_last_touch', 'revenue_even', 'revenue_normalized',
] as const;
export const FIGURE_COLUMNS = BUCKET_COLUMNS.slice(8) as readonly BucketFigure[];
export type BucketFigure = (typeof BUCKET_COLUMNS)[number] & ('first_touch' | 'last_touch' | 'even' | 'normalized'
  | 'revenue_first_touch' | 'revenue_last_touch' | 'revenue_even' | 'revenue_normalized');

export interface BucketRow {
  date: string; segment: string;
  tier_1: string; tier_2: string; tier_3: string; tier_4: string; tier_5: string; platform: string;
  first_touch: number; last_touch: number; even: number; normalized: number;
  revenue_first_touch: number; revenue_last_touch: number; revenue_even: number; revenue_normalized: number;
}

export interface BucketQuery {
  segment: string;
  from: string;
  to: string;
  /** only rows of this platform (the daily report to Pinterest uses 'pinterest') */
  platform?: string;
}

/**
 * The Buckets Breakdown for a segment and date range: one row per (date, segment, tiers, platform),
 * figures rounded to 6 decimals, rows whose eight figures are all 0 omitted, sorted by date then tiers.
 */
export async function bucketsBreakdown(
  store: Store, adv: Advertiser, q: BucketQuery, onProgress?: (step: string) => void,
): Promise<BucketRow[]> {
  const segments = await activeSegments(store, adv);
  if (!segments.some((s) => s.name === q.segment)) {
    throw new RefusedError(`unknown segment "${q.segment}"; this advertiser has: ${segments.map((s) => `"${s.name}"`).join(', ')}`);
  }
  if (q.from > q.to) throw new RefusedError(`--from ${q.from} is after --to ${q.to}`);
  await ensureResults(store, adv, onProgress); // recomputes only when data changed since the last report
  // bucket_results holds one row per (segment, date, combination): no aggregation needed. Only numbers
  // cross from DuckDB (the fast path); tier names come from the small combinations table.
  const { length, columns } = await readColumns(store.conn, `
    SELECT (r.date - DATE '1970-01-01')::INTEGER AS day, r.combo_id, ${FIGURE_COLUMNS.map((f) => `r.${f}`).join(', ')}
    FROM bucket_results r JOIN tier_combos c ON c.advertiser = r.advertiser AND c.combo_id = r.combo_id
    WHERE r.advertiser = ${sqlString(adv.id)} AND r.segment = ${sqlString(q.segment)}
      AND r.date BETWEEN ${sqlString(q.from)}::DATE AND ${sqlString(q.to)}::DATE
      ${q.platform !== undefined ? `AND c.platform = ${sqlString(q.platform)}` : ''}
    ORDER BY r.date, c.tier_1, c.tier_2, c.tier_3, c.tier_4, c.tier_5, c.platform`, NUMERIC_COLUMNS);
  const combos = new Map((await loadCombos(store, adv.id)).map((c) => [c.id, c]));
  const dates = new Map<number, string>();
  const rows: BucketRow[] = [];
  for (let i = 0; i < length; i++) {
    const figures = FIGURE_COLUMNS.map((f) => round6(columns[f][i]));
    if (figures.every((x) => x === 0)) continue;
    const day = columns.day[i];
    let date = dates.get(day);
    if (date === undefined) dates.set(day, (date = new Date(day * 86_400_000).toISOString().slice(0, 10)));
    const combo = combos.get(columns.combo_id[i])!;
    const row = {
      date, segment: q.segment,
      tier_1: combo.tiers[0], tier_2: combo.tiers[1], tier_3: combo.tiers[2], tier_4: combo.tiers[3], tier_5: combo.tiers[4],
      platform: combo.platform,
    } as BucketRow;
    FIGURE_COLUMNS.forEach((f, k) => { row[f] = figures[k]; });
    rows.push(row);
  }
  return rows;
}

const NUMERIC_COLUMNS = {
  day: 'i32', combo_id: 'i32',
  ...Object.fromEntries(FIGURE_COLUMNS.map((f) => [f, 'f64'])),
} as { day: 'i32'; combo_id: 'i32' } & Record<BucketFigure, 'f64'>;
