import { access } from 'node:fs/promises';
import type { Advertiser } from '../../../config/schema.js';
import { RefusedError } from '../../../errors.js';
import { runPipeline, type PipelineStep, type ProgressFn } from '../../../ingest/pipeline.js';
import type { Store } from '../../../store/db.js';
import { requireEnabled } from '../lifecycle.js';
import type { FeedIngestContext, FeedIngestSummary } from './context.js';
import { parseFeed } from './parseFeed.js';
import { readFeed } from './readFeed.js';
import { storeFeed } from './storeFeed.js';

export const DEFAULT_MAX_BAD_SHARE = 0.05;

export interface IngestFeedOptions {
  /** the largest share of bad rows a file may have (0..1, default 0.05); above it the file is refused whole */
  thresholdShare?: number;
  /** where to write every rejected row (CSV: line,reason); default `<file>.rejects.csv` when a row is rejected */
  rejectsPath?: string;
  onProgress?: ProgressFn;
}

const steps: PipelineStep<FeedIngestContext>[] = [readFeed, parseFeed, storeFeed];

/**
 * Ingests one day's Pinterest log-level feed (SPEC §2.3): CSV with a header or JSON Lines, plain or
 * gzip. Bad rows go to the rejects file and the rest is stored under `date`, replacing an earlier feed
 * of that date in one transaction; a file whose share of bad rows exceeds the threshold is refused
 * whole. Refused while the integration is not enabled.
 */
export async function ingestFeed(
  store: Store, adv: Advertiser, file: string, date: string, opts: IngestFeedOptions = {},
): Promise<FeedIngestSummary> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new RefusedError(`--date must be a date as YYYY-MM-DD, got "${date}"`);
  }
  const threshold = opts.thresholdShare ?? DEFAULT_MAX_BAD_SHARE;
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new RefusedError(`the bad-row threshold must be a share between 0 and 1 (e.g. 0.05 for 5%), got ${threshold}`);
  }
  const activation = await requireEnabled(store, adv, 'feed ingestion');
  try {
    await access(file);
  } catch {
    throw new RefusedError(`${file}: no such file`);
  }
  const ctx: FeedIngestContext = {
    adv, file, date, thresholdShare: threshold,
    rejectsPath: opts.rejectsPath ?? `${file}.rejects.csv`,
    rejectsPathExplicit: opts.rejectsPath !== undefined,
    format: 'csv', headerLine: 0, header: [], delimiter: ',', positions: {},
    summary: {
      advertiser: adv.id, file, date, format: 'csv', rows: 0, accepted: 0, rejected: 0, bad_share: 0, rejects: [],
      rejects_path: null, replaced_rows: 0, matched: 0, unmatched: 0, warnings: [],
    },
  };
  if (date < activation.first_feed_date) {
    ctx.summary.warnings.push(`${date} is before the first feed date ${activation.first_feed_date} of the current activation`);
  }
  await runPipeline(store, steps, ctx, opts.onProgress);
  return ctx.summary;
}
