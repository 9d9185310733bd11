import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { bumpDataVersion } from '../../../config/advertisers.js';
import { RefusedError } from '../../../errors.js';
import { REJECTS_SHOWN, type PipelineStep } from '../../../ingest/pipeline.js';
import { sqlString } from '../../../store/db.js';
import type { FeedIngestContext } from './context.js';
import { ensureFeedCombos, feedMatchStats } from './matching.js';

/**
 * Step 3: counts, writes the rejects file, refuses the whole file when its bad share exceeds the
 * threshold, then replaces the date's rows (the previous feed of that date, if any) with the good rows
 * and records the feed. Runs inside the pipeline's transaction: all of it lands or none.
 */
export const storeFeed: PipelineStep<FeedIngestContext> = {
  name: 'storing',
  phase: 'commit',
  async run(store, ctx) {
    const s = ctx.summary;
    const counts = (await store.one<{ rows: bigint; rejected: bigint }>(
      `SELECT count(*) AS rows, count(*) FILTER (WHERE reason IS NOT NULL) AS rejected FROM _feed_parsed`))!;
    s.rows = Number(counts.rows);
    s.rejected = Number(counts.rejected);
    s.accepted = s.rows - s.rejected;
    s.bad_share = s.rows === 0 ? 0 : s.rejected / s.rows;
    const shown = await store.all<{ line: bigint; reason: string }>(
      `SELECT line_no AS line, reason FROM _feed_parsed WHERE reason IS NOT NULL ORDER BY line_no LIMIT ${REJECTS_SHOWN}`);
    s.rejects = shown.map((r) => ({ line: Number(r.line), reason: r.reason }));

    if (ctx.rejectsPath && (s.rejected > 0 || ctx.rejectsPathExplicit)) {
      await writeRejects(store, ctx.rejectsPath);
      s.rejects_path = ctx.rejectsPath;
    }

    if (s.bad_share > ctx.thresholdShare) {
      throw new RefusedError(`${ctx.file}: ${s.rejected.toLocaleString('en-US')} of ${s.rows.toLocaleString('en-US')} rows ` +
        `(${percent(s.bad_share)}) are bad, more than the allowed ${percent(ctx.thresholdShare)}; the file was refused whole ` +
        `and nothing of it was stored${s.rejects_path ? ` (every bad row is listed in ${s.rejects_path})` : ''}` +
        `${s.rejects.length > 0 ? `; first: line ${s.rejects[0].line}: ${s.rejects[0].reason}` : ''}`);
    }

    const adv = ctx.adv;
    const id = sqlString(adv.id);
    const date = `${sqlString(ctx.date)}::DATE`;
    s.replaced_rows = Number(await store.scalar<bigint>(
      `SELECT count(*) FROM pinterest_feed_rows WHERE advertiser = ${id} AND date = ${date}`));
    await store.run(`DELETE FROM pinterest_feed_rows WHERE advertiser = ${id} AND date = ${date}`);
    await store.run(`DELETE FROM pinterest_feeds WHERE advertiser = ${id} AND date = ${date}`);

    // The ads (campaign / ad group / ad, names, pin, account) go to pinterest_feed_ads, one row per
    // distinct combination; a row refers to its ad by ad_key. The row id is the highest so far + the
    // line number: unique, stable, and in ingestion order.
    const AD = ['campaign_id', 'campaign_name', 'ad_group_id', 'ad_group_name', 'ad_id', 'ad_name', 'pin_id', 'ad_account_id'];
    const sameAd = AD.map((c) => `a.${c} IS NOT DISTINCT FROM g.${c}`).join(' AND ');
    await store.run(`INSERT INTO pinterest_feed_ads
      SELECT ${id}, (SELECT coalesce(max(ad_key), 0) FROM pinterest_feed_ads WHERE advertiser = ${id})
                    + row_number() OVER (ORDER BY ${AD.join(', ')}), ${AD.join(', ')}
      FROM (SELECT DISTINCT ${AD.join(', ')} FROM _feed_parsed WHERE reason IS NULL) g
      WHERE NOT EXISTS (SELECT 1 FROM pinterest_feed_ads a WHERE a.advertiser = ${id} AND ${sameAd})`);
    const base = Number(await store.scalar<bigint>(`SELECT coalesce(max(row_id), 0) FROM pinterest_feed_rows`));
    await store.run(`INSERT INTO pinterest_feed_rows
      SELECT ${id}, ${date}, ${base} + g.line_no, g.line_no, g.ts, g.kind, g.event_id, g.external_id, g.hashed_email, g.click_id, a.ad_key
      FROM (SELECT * FROM _feed_parsed WHERE reason IS NULL) g
      JOIN (SELECT * FROM pinterest_feed_ads WHERE advertiser = ${id}) a ON ${sameAd}`);
    await ensureFeedCombos(store, adv);
    await store.run(`INSERT INTO pinterest_feeds VALUES (?, ?::DATE, ?, ?, ?, ?, ?, ?, now())`,
      [adv.id, ctx.date, ctx.file, ctx.format, s.rows, s.accepted, s.rejected, s.rejects_path]);
    await store.run(`INSERT INTO ingest_runs VALUES (?, 'pinterest_feed', ?, now(), ?, ?, 0, ?)`,
      [adv.id, ctx.file, s.rows, s.accepted, s.rejected]);
    await bumpDataVersion(store, adv.id);

    const stats = await feedMatchStats(store, adv, { from: ctx.date, to: ctx.date });
    s.matched = stats[0]?.matched ?? 0;
    s.unmatched = s.accepted - s.matched;
    for (const t of ['_feed_lines', '_feed_parsed']) await store.run(`DROP TABLE IF EXISTS ${t}`);
  },
};

/** Every rejected row as CSV (line,reason), written next to its final name and renamed into place. */
async function writeRejects(store: { run(sql: string): Promise<void> }, path: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await store.run(`COPY (SELECT line_no AS line, reason FROM _feed_parsed WHERE reason IS NOT NULL ORDER BY line_no)
      TO ${sqlString(tmp)} (FORMAT csv, HEADER true)`);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new RefusedError(`cannot write the rejects file ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
}

function percent(x: number): string {
  return `${(Math.round(x * 10000) / 100).toString()}%`;
}
