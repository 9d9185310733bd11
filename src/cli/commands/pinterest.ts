import { InvalidArgumentError, type Command } from 'commander';
import type { Advertiser } from '../../config/schema.js';
import type { Store } from '../../store/db.js';
import {
  DEFAULT_CONCURRENCY, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_MS,
  countStatuses, formatVerification, latestVerification, saveVerification, selectPages, statusCounts,
  verifyTags, type PageResult, type PageStatus, type VerificationResult,
} from '../../integrations/pinterest/tagVerification/index.js';
import { printJson, withAdvertiser, withStore } from '../context.js';
import { pinterestIntegrationSection, registerPinterestLifecycle } from './pinterestLifecycle.js';

interface VerifyTagOptions {
  sitemap?: string;
  expectTagId?: string;
  json?: boolean;
  timeout: number;
  concurrency: number;
  maxPages: number;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('must be a whole number of 1 or more');
  }
  return n;
}

/**
 * One part of `pinterest status`: a key in the JSON object and lines for the terminal. The
 * lifecycle (enable/disable, feed, deliveries) adds its own sections to `statusSections`.
 */
export interface PinterestStatusSection<T> {
  key: string;
  load(store: Store, advertiser: Advertiser): Promise<T>;
  render(value: T): string[];
}

interface TagVerificationStatus {
  verified_at: string;
  expected_tag_id: string | null;
  passed: boolean;
  counts: Record<PageStatus, number>;
  pages: PageResult[];
}

const tagVerificationSection: PinterestStatusSection<TagVerificationStatus | null> = {
  key: 'tag_verification',
  async load(store, advertiser) {
    const latest: VerificationResult | null = await latestVerification(store, advertiser.id);
    if (!latest) return null;
    const { verified_at, expected_tag_id, passed, pages } = latest;
    return { verified_at, expected_tag_id, passed, counts: countStatuses(pages), pages };
  },
  render(v) {
    if (!v) return ['Tag verification: none yet (run `touchline pinterest verify-tag --sitemap https://your-site/sitemap.xml`)'];
    const expected = v.expected_tag_id ? `expected tag id ${v.expected_tag_id}` : 'no expected tag id';
    const lines = [`Tag verification: ${v.passed ? 'PASSED' : 'NOT PASSED'} at ${v.verified_at} (${expected}; ${statusCounts(v.pages)})`];
    const width = Math.max(...v.pages.map((p) => p.status.length), 0);
    for (const p of v.pages) lines.push(`  ${p.status.padEnd(width)}  ${p.tag_id ?? '-'}  ${p.url}`);
    return lines;
  },
};

/** Sections of `pinterest status`, in output order. */
export const statusSections: PinterestStatusSection<any>[] = [tagVerificationSection, pinterestIntegrationSection];

/** The status object: { advertiser, tag_verification, ...one key per section }. */
export async function buildPinterestStatus(store: Store, advertiser: Advertiser): Promise<Record<string, unknown>> {
  const status: Record<string, unknown> = { advertiser: advertiser.id };
  for (const section of statusSections) status[section.key] = await section.load(store, advertiser);
  return status;
}

export function registerPinterest(program: Command): void {
  const pinterest = program.command('pinterest').description('Pinterest view-through integration (SPEC §8-9)');
  registerPinterestLifecycle(pinterest);

  pinterest.command('verify-tag')
    .description('open pages in headless Chromium and check that the Pinterest tag (window.pintrk.tagId) loads (SPEC §9)')
    .argument('[urls...]', 'page addresses to check')
    .option('--sitemap <url>', 'also check the pages listed in this sitemap (sitemap indexes are followed)')
    .option('--expect-tag-id <id>', 'your Pinterest tag id: pages with another id are a mismatch')
    .option('--json', 'print the result as JSON')
    .option('--timeout <ms>', 'time per page for loading and for the tag to appear', positiveInt, DEFAULT_TIMEOUT_MS)
    .option('--concurrency <n>', 'pages checked at the same time', positiveInt, DEFAULT_CONCURRENCY)
    .option('--max-pages <n>', 'check at most this many pages', positiveInt, DEFAULT_MAX_PAGES)
    .action(async (urls: string[], opts: VerifyTagOptions, cmd: Command) => {
      // The database is not held open while the browser works (a run can take minutes).
      const advertiser = await withAdvertiser(cmd, async (_store, adv) => adv);
      const selection = await selectPages({ urls, sitemap: opts.sitemap, maxPages: opts.maxPages });
      if (selection.truncated) {
        process.stderr.write(`note: more pages than --max-pages ${opts.maxPages}; checking the first ${selection.urls.length}\n`);
      }
      const progress = process.stderr.isTTY && !opts.json;
      const result = await verifyTags(advertiser.id, selection.urls, {
        expectedTagId: opts.expectTagId,
        timeoutMs: opts.timeout,
        concurrency: opts.concurrency,
        onPage: progress ? (_p, done, total) => process.stderr.write(`\rchecked ${done}/${total} pages`) : undefined,
      });
      if (progress) process.stderr.write('\r\x1b[K');
      await withStore(cmd, (store) => saveVerification(store, result));
      if (opts.json) printJson(result);
      else process.stdout.write(formatVerification(result));
      if (!result.passed) process.exitCode = 2;
    });

  pinterest.command('status')
    .description('the Pinterest integration for the advertiser: latest tag verification')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withAdvertiser(cmd, async (store, advertiser) => {
        const status = await buildPinterestStatus(store, advertiser);
        if (opts.json) {
          printJson(status);
          return;
        }
        const lines = [`Pinterest integration for ${advertiser.id}`];
        for (const section of statusSections) lines.push(...section.render(status[section.key]));
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
