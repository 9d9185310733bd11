import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Advertiser } from '../config/schema.js';
import type { ProgressFn } from '../ingest/pipeline.js';
import { ingestFeed } from '../integrations/pinterest/feed/ingestFeed.js';
import { enablePinterest } from '../integrations/pinterest/lifecycle.js';
import { sendDailyReport } from '../integrations/pinterest/report/sendDailyReport.js';
import { saveVerification } from '../integrations/pinterest/tagVerification/store.js';
import { verifyTags } from '../integrations/pinterest/tagVerification/verify.js';
import type { Store } from '../store/db.js';
import { addDays } from '../integrations/pinterest/time.js';
import { DEMO_TAG_ID, startDemoShop } from './shopSite.js';

export interface PinterestDemoResult {
  tag_check: { url: string; status: string; tag_id: string | null };
  enabled: { activated_at: string; first_feed_date: string; consent_by: string };
  feed: { files: number; rows: number; accepted: number; matched: number; unmatched: number };
  report: { date: string; rows: number; path: string | null };
}

/**
 * Runs the Pinterest integration on the demo advertiser the way a marketer would: checks the tag on the
 * shop's page in headless Chromium, enables the integration with consent, ingests each day's feed, and
 * writes the daily report for the last day to a folder. Throws a RefusedError when Chromium is missing.
 */
export async function runPinterestDemo(
  store: Store, adv: Advertiser, feedDir: string, outDir: string, period: { from: string; to: string }, onProgress?: ProgressFn,
): Promise<PinterestDemoResult> {
  onProgress?.('checking the Pinterest tag in headless Chromium');
  const shop = await startDemoShop();
  let verification;
  try {
    verification = await verifyTags(adv.id, [shop.url], { expectedTagId: DEMO_TAG_ID, timeoutMs: 10_000 });
  } finally {
    await shop.close();
  }
  await saveVerification(store, verification);

  // Activated the evening before the period, so Pinterest's first feed is for the period's first day.
  const enabled = await enablePinterest(store, adv, {
    tagId: DEMO_TAG_ID, consentBy: 'Demo Marketer', at: `${addDays(period.from, -1)}T20:00:00-05:00`,
  });

  const files = (await readdir(feedDir)).filter((f) => /^pinterest_feed_\d{4}-\d{2}-\d{2}\.csv$/.test(f)).sort();
  const feed = { files: 0, rows: 0, accepted: 0, matched: 0, unmatched: 0 };
  for (const file of files) {
    const date = file.slice('pinterest_feed_'.length, -'.csv'.length);
    if (date < enabled.first_feed_date || date > period.to) continue;
    onProgress?.(`ingesting Pinterest feed ${date}`);
    const summary = await ingestFeed(store, adv, join(feedDir, file), date);
    feed.files++;
    feed.rows += summary.rows;
    feed.accepted += summary.accepted;
    feed.matched += summary.matched;
    feed.unmatched += summary.unmatched;
  }

  onProgress?.('sending the daily report');
  const sent = await sendDailyReport(store, adv, { date: period.to, to: `dir:${join(outDir, 'to-pinterest')}` });
  const page = verification.pages[0];
  return {
    tag_check: { url: page.url, status: page.status, tag_id: page.tag_id },
    enabled: { activated_at: enabled.activated_at, first_feed_date: enabled.first_feed_date, consent_by: enabled.consent_by },
    feed,
    report: { date: period.to, rows: sent.rows, path: sent.path },
  };
}
