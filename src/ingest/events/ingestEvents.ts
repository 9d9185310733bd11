import { bumpDataVersion, getAdvertiser } from '../../config/advertisers.js';
import { RefusedError } from '../../errors.js';
import type { Store } from '../../store/db.js';
import { refreshSiteTouchpoints } from '../../taxonomy/siteTouchpoints.js';
import { runPipeline, type PipelineStep, type ProgressFn } from '../pipeline.js';
import type { EventIngestContext, EventIngestSummary } from './context.js';
import { insertEvents } from './insertEvents.js';
import { readLines } from './readLines.js';
import { validateEvents } from './validate.js';
import { access } from 'node:fs/promises';

type Ctx = EventIngestContext & { keepAllRejects?: boolean };

/** Step 4: maps the new views of each advertiser to touchpoints and marks results stale. */
const mapAndMark: PipelineStep<Ctx> = {
  name: 'mapping',
  phase: 'commit',
  async run(store, ctx) {
    for (const id of ctx.summary.advertisers) {
      const adv = (await getAdvertiser(store, id))!;
      await refreshSiteTouchpoints(store, adv);
      await bumpDataVersion(store, id);
    }
    await store.run(`INSERT INTO ingest_runs VALUES (?, 'events', ?, now(), ?, ?, ?, ?)`, [
      ctx.defaultAdvertiser ?? ctx.summary.advertisers.join(','), ctx.file,
      ctx.summary.lines, ctx.summary.accepted, ctx.summary.duplicates, ctx.summary.rejected,
    ]);
  },
};

const steps: PipelineStep<Ctx>[] = [readLines, validateEvents, insertEvents, mapAndMark];

/**
 * Ingests one site-events file (JSON Lines, optionally gzip; SPEC §2.2) in one transaction:
 * good lines are kept, bad lines are reported with their line number and reason, repeats add nothing.
 * If the file cannot be read to its end (e.g. a truncated gzip), nothing of it is stored.
 */
export async function ingestEventsFile(
  store: Store, file: string, defaultAdvertiser: string | null,
  opts: { onProgress?: ProgressFn; keepAllRejects?: boolean } = {},
): Promise<EventIngestSummary> {
  try {
    await access(file);
  } catch {
    throw new RefusedError(`${file}: no such file`);
  }
  const ctx: Ctx = {
    file, defaultAdvertiser, keepAllRejects: opts.keepAllRejects,
    summary: { file, lines: 0, accepted: 0, duplicates: 0, rejected: 0, rejects: [], advertisers: [] },
  };
  await runPipeline(store, steps, ctx, opts.onProgress);
  return ctx.summary;
}
