import { dataVersion } from '../config/advertisers.js';
import type { Advertiser } from '../config/schema.js';
import { stitchIdentities } from '../identity/stitch.js';
import { activeSegments } from '../segments/active.js';
import type { Segment } from '../segments/segments.js';
import { sqlString, type Store } from '../store/db.js';
import { comboId, refreshSiteTouchpoints } from '../taxonomy/siteTouchpoints.js';
import { BucketAggregator, indexCombos, runSegment, type CreditSink, type EngineInput } from './engine.js';
import { loadCombos, loadConversions, loadTouchpoints } from './paths.js';

export interface ComputeSummary {
  data_version: number;
  persons: number;
  touchpoints: number;
  conversions: number;
  revenue: number;
  segments: { name: string; kept_touchpoints: number; buckets: Record<string, number>; iterations: number; converged: boolean }[];
  millis: number;
}

export const DIRECT_TIERS: [string, string, string, string, string] = ['Direct', '', '', '', ''];

/**
 * Prepares the engine's input: maps new views, stitches identities, loads ordered columns.
 * Call inside a transaction.
 */
export async function prepareEngineInput(store: Store, adv: Advertiser, withFeed: boolean): Promise<{ input: EngineInput; persons: number }> {
  await refreshSiteTouchpoints(store, adv);
  const persons = await stitchIdentities(store, adv.id);
  const direct = await comboId(store, adv.id, DIRECT_TIERS, '');
  const [touchpoints, conversions, combos] = [
    await loadTouchpoints(store, adv, withFeed),
    await loadConversions(store, adv),
    await loadCombos(store, adv.id),
  ];
  return { input: { adv, touchpoints, conversions, combos: indexCombos(combos, direct) }, persons };
}

/**
 * Makes sure `bucket_results` reflects everything ingested (SPEC §10: no separate run step).
 * Recomputes every segment when the advertiser's data version moved since the last computation;
 * otherwise does nothing. Returns the summary of the computation in force.
 */
export async function ensureResults(store: Store, adv: Advertiser, onProgress?: (step: string) => void): Promise<ComputeSummary> {
  const version = await dataVersion(store, adv.id);
  const state = await store.one<{ data_version: bigint; summary: string }>(
    `SELECT data_version, summary::VARCHAR AS summary FROM results_state WHERE advertiser = ?`, [adv.id]);
  if (state && Number(state.data_version) === version) return JSON.parse(state.summary) as ComputeSummary;

  return store.transaction(async () => {
    const started = performance.now();
    const segments = await activeSegments(store, adv);
    onProgress?.('resolving identities and paths');
    const { input, persons } = await prepareEngineInput(store, adv, segments.some((s) => s.usesFeed));
    await store.run(`DELETE FROM bucket_results WHERE advertiser = ?`, [adv.id]);
    await store.run(`CREATE OR REPLACE TEMP TABLE _cells (segment VARCHAR, day INTEGER, combo_id INTEGER,
      ft DOUBLE, lt DOUBLE, ev DOUBLE, nm DOUBLE, rft DOUBLE, rlt DOUBLE, rev DOUBLE, rnm DOUBLE)`);
    const appender = await store.conn.createAppender('_cells', 'main', 'temp');
    const summaries: ComputeSummary['segments'] = [];
    for (const segment of segments) {
      onProgress?.(`attributing ${segment.name}`);
      const cells = new BucketAggregator(input.conversions);
      const run = runSegment(input, segment, cells);
      for (const { day, combo, values } of cells.entries()) {
        appender.appendVarchar(segment.name);
        appender.appendInteger(day);
        appender.appendInteger(combo);
        for (let k = 0; k < 8; k++) appender.appendDouble(values[k]);
        appender.endRow();
      }
      summaries.push({
        name: segment.name,
        kept_touchpoints: run.kept.reduce((a, b) => a + b, 0),
        buckets: Object.fromEntries(input.combos.buckets.map((b, k) => [b, round6(run.bucketWeights[k])])),
        iterations: run.fit.iterations,
        converged: run.fit.converged,
      });
    }
    appender.closeSync();
    await store.run(`INSERT INTO bucket_results SELECT ${sqlString(adv.id)}, segment, DATE '1970-01-01' + day, combo_id,
      ft, lt, ev, nm, rft, rlt, rev, rnm FROM _cells`);
    await store.run(`DROP TABLE _cells`);
    let revenue = 0;
    for (let c = 0; c < input.conversions.length; c++) revenue += input.conversions.revenue[c];
    const summary: ComputeSummary = {
      data_version: version, persons, touchpoints: input.touchpoints.length, conversions: input.conversions.length,
      revenue: Math.round(revenue * 100) / 100, segments: summaries, millis: Math.round(performance.now() - started),
    };
    await store.run(`INSERT OR REPLACE INTO results_state VALUES (?, ?, now(), ?)`, [adv.id, version, JSON.stringify(summary)]);
    return summary;
  });
}

/** Runs one segment with a custom sink (per-conversion exports); data must be current. */
export async function runWithSink(store: Store, adv: Advertiser, segment: Segment, sink: (input: EngineInput) => CreditSink): Promise<EngineInput> {
  return store.transaction(async () => {
    const { input } = await prepareEngineInput(store, adv, segment.usesFeed);
    runSegment(input, segment, sink(input));
    return input;
  });
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
