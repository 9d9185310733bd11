import { bumpDataVersion, getAdvertiser } from '../../config/advertisers.js';
import { RefusedError } from '../../errors.js';
import { sqlString, type Store } from '../../store/db.js';
import { mapPages, refreshSiteTouchpoints } from '../../taxonomy/siteTouchpoints.js';
import { runPipeline, type PipelineStep, type ProgressFn } from '../pipeline.js';
import type { EventIngestContext, EventIngestSummary } from './context.js';
import { insertEvents } from './insertEvents.js';
import { readLines } from './readLines.js';
import { validateEvents } from './validate.js';
import { access } from 'node:fs/promises';

type Ctx = EventIngestContext & { stagedPages?: Map<string, string> };

/** Step 3: maps the pages of the file's views through each advertiser's rules (outside the transaction). */
const mapFilePages: PipelineStep<Ctx> = {
  name: 'mapping',
  phase: 'stage',
  async run(store, ctx) {
    ctx.stagedPages = new Map();
    const ids = await store.all<{ advertiser: string }>(`SELECT DISTINCT advertiser FROM _parsed WHERE reason IS NULL AND type = 'view' ORDER BY 1`);
    for (const [n, { advertiser }] of ids.entries()) {
      const adv = (await getAdvertiser(store, advertiser))!;
      const table = `_staged_pages_${n}`;
      await mapPages(store, adv, `_parsed WHERE reason IS NULL AND type = 'view' AND advertiser = ${sqlString(advertiser)}`, table);
      ctx.stagedPages.set(advertiser, table);
    }
  },
};

/** Step 5: turns the new views of each advertiser into touchpoints and marks results stale. */
const touchpointsAndMark: PipelineStep<Ctx> = {
  name: 'storing touchpoints',
  phase: 'commit',
  async run(store, ctx) {
    for (const id of ctx.summary.advertisers) {
      const adv = (await getAdvertiser(store, id))!;
      await refreshSiteTouchpoints(store, adv, ctx.stagedPages?.get(id));
      await bumpDataVersion(store, id);
    }
    for (const table of ctx.stagedPages?.values() ?? []) await store.run(`DROP TABLE IF EXISTS ${table}`);
    await store.run(`INSERT INTO ingest_runs VALUES (?, 'events', ?, now(), ?, ?, ?, ?)`, [
      ctx.defaultAdvertiser ?? ctx.summary.advertisers.join(','), ctx.file,
      ctx.summary.lines, ctx.summary.accepted, ctx.summary.duplicates, ctx.summary.rejected,
    ]);
  },
};

const steps: PipelineStep<Ctx>[] = [readLines, validateEvents, mapFilePages, insertEvents, touchpointsAndMark];

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
