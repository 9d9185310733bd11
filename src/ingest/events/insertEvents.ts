import type { PipelineStep } from '../pipeline.js';
import type { EventIngestContext } from './context.js';

/** How many rejected lines a summary keeps for display. */
export const REJECTS_SHOWN = 20;

/**
 * Step 3: keeps the first good line of each dedupe key (its `event_id`, or its whole content when it
 * has none) whose key is not stored yet.
 */
export const dedupeEvents: PipelineStep<EventIngestContext & { keepAllRejects?: boolean }> = {
  name: 'deduplicating',
  phase: 'stage',
  async run(store) {
    await store.run(`CREATE OR REPLACE TEMP TABLE _new AS
      SELECT k.* FROM _parsed k
      JOIN (SELECT advertiser, dedupe_key, min(line_no) AS first_line FROM _parsed WHERE reason IS NULL GROUP BY ALL) f
        ON f.advertiser = k.advertiser AND f.dedupe_key = k.dedupe_key AND f.first_line = k.line_no
      WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.advertiser = k.advertiser AND e.dedupe_key = k.dedupe_key)`);
  },
};

/** Step 4: appends the new events to `events` (seq = last seq + line number: increasing in ingestion order) and fills the summary. */
export const insertEvents: PipelineStep<EventIngestContext & { keepAllRejects?: boolean }> = {
  name: 'storing',
  phase: 'commit',
  async run(store, ctx) {
    await store.run(`INSERT INTO events
      SELECT advertiser, (SELECT coalesce(max(seq), 0) FROM events) + line_no,
             type, ts, uid, event_id, url, referrer, epik, external_id, email_sha256, action, order_id, revenue, currency, dedupe_key
      FROM _new`);

    const counts = await store.one<{ lines: bigint; good: bigint; inserted: bigint }>(`SELECT
        (SELECT count(*) FROM _parsed) AS lines, (SELECT count(*) FROM _parsed WHERE reason IS NULL) AS good, (SELECT count(*) FROM _new) AS inserted`);
    const rejects = await store.all<{ line: bigint; reason: string }>(
      `SELECT line_no AS line, reason FROM _parsed WHERE reason IS NOT NULL ORDER BY line_no ${ctx.keepAllRejects ? '' : `LIMIT ${REJECTS_SHOWN}`}`);
    const advertisers = await store.all<{ advertiser: string }>(`SELECT DISTINCT advertiser FROM _new ORDER BY 1`);
    const lines = Number(counts!.lines);
    const good = Number(counts!.good);
    ctx.summary.lines = lines;
    ctx.summary.accepted = Number(counts!.inserted);
    ctx.summary.duplicates = good - Number(counts!.inserted);
    ctx.summary.rejected = lines - good;
    ctx.summary.rejects = rejects.map((r) => ({ line: Number(r.line), reason: r.reason }));
    ctx.summary.advertisers = advertisers.map((a) => a.advertiser);
    for (const table of ['_raw', '_parsed', '_new']) await store.run(`DROP TABLE ${table}`);
  },
};
