import { REJECTS_SHOWN, type PipelineStep } from '../pipeline.js';
import type { EventIngestContext } from './context.js';

/**
 * Step 4: appends to `events` the first good line of each dedupe key (its `event_id`, or its whole
 * content when it has none) whose key is not stored yet, numbered seq = last seq + line number
 * (increasing in ingestion order), and fills the summary.
 */
export const insertEvents: PipelineStep<EventIngestContext> = {
  name: 'storing',
  phase: 'commit',
  async run(store, ctx) {
    const lastSeq = BigInt(await store.scalar<bigint>(`SELECT coalesce(max(seq), 0) FROM events`));
    await store.run(`INSERT INTO events
      SELECT k.advertiser, ${lastSeq} + k.line_no, k.type, k.ts, k.uid, k.event_id, k.url, k.referrer, k.epik,
             k.external_id, k.email_sha256, k.action, k.order_id, k.revenue, k.currency, k.dedupe_key
      FROM _parsed k
      JOIN (SELECT advertiser, dedupe_key, min(line_no) AS first_line FROM _parsed WHERE reason IS NULL GROUP BY ALL) f
        ON f.advertiser = k.advertiser AND f.dedupe_key = k.dedupe_key AND f.first_line = k.line_no
      WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.advertiser = k.advertiser AND e.dedupe_key = k.dedupe_key)`);

    const counts = await store.one<{ lines: bigint; good: bigint; inserted: bigint }>(`SELECT
        (SELECT count(*) FROM _parsed) AS lines, (SELECT count(*) FROM _parsed WHERE reason IS NULL) AS good,
        (SELECT count(*) FROM events WHERE seq > ${lastSeq}) AS inserted`);
    const rejects = await store.all<{ line: bigint; reason: string }>(
      `SELECT line_no AS line, reason FROM _parsed WHERE reason IS NOT NULL ORDER BY line_no ${ctx.keepAllRejects ? '' : `LIMIT ${REJECTS_SHOWN}`}`);
    const advertisers = await store.all<{ advertiser: string }>(`SELECT DISTINCT advertiser FROM events WHERE seq > ${lastSeq} ORDER BY 1`);
    const lines = Number(counts!.lines);
    const good = Number(counts!.good);
    ctx.summary.lines = lines;
    ctx.summary.accepted = Number(counts!.inserted);
    ctx.summary.duplicates = good - Number(counts!.inserted);
    ctx.summary.rejected = lines - good;
    ctx.summary.rejects = rejects.map((r) => ({ line: Number(r.line), reason: r.reason }));
    ctx.summary.advertisers = advertisers.map((a) => a.advertiser);
    await store.run('DROP TABLE _parsed');
  },
};
