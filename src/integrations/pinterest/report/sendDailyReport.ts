import { createHash } from 'node:crypto';
import type { Advertiser } from '../../../config/schema.js';
import { RefusedError } from '../../../errors.js';
import { BUCKET_COLUMNS, bucketsBreakdown } from '../../../reports/bucketsBreakdown.js';
import { toCsv } from '../../../reports/csv.js';
import { pinterestSegmentName } from '../../../segments/segments.js';
import type { Store } from '../../../store/db.js';
import { requireEnabled } from '../lifecycle.js';
import { deliverToDir, deliverToHttp, type HttpOptions } from './deliver.js';
import { parseDestination } from './destination.js';
import { latestDelivery, recordDelivery } from './ledger.js';

export interface SendReportOptions {
  /** the report date D (YYYY-MM-DD, the advertiser's local date) */
  date: string;
  /** dir:PATH or an http(s):// URL */
  to: string;
  token?: string;
  fetchImpl?: typeof fetch;
  /** retry timing for http destinations (tests make it fast) */
  baseDelayMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  sleep?: HttpOptions['sleep'];
  now?: () => Date;
}

export interface SendReportResult {
  advertiser: string;
  date: string;
  destination: string;
  /** delivered; failed (see error); unchanged = already delivered with identical content, not sent */
  status: 'delivered' | 'failed' | 'unchanged';
  sent: boolean;
  /** true when an earlier delivery of this date had other content (late data): sent again */
  resent_changed: boolean;
  attempts: number;
  rows: number;
  sha256: string;
  idempotency_key: string;
  http_status: number | null;
  error: string | null;
  /** the file written (dir: destinations) */
  path: string | null;
}

/** The report's CSV for date D: Buckets Breakdown rows of "<featured> - Pinterest", date D, platform pinterest. */
export async function dailyReportCsv(store: Store, adv: Advertiser, date: string): Promise<{ csv: string; rows: number }> {
  const rows = await bucketsBreakdown(store, adv, { segment: pinterestSegmentName(adv), from: date, to: date, platform: 'pinterest' });
  return { csv: toCsv(BUCKET_COLUMNS, rows), rows: rows.length };
}

/** sha256 hex of advertiser, date and content joined by newlines: the same report gets the same key. */
export function idempotencyKey(advertiser: string, date: string, csv: string): string {
  return createHash('sha256').update(`${advertiser}\n${date}\n${csv}`).digest('hex');
}

/**
 * Sends the daily report to Pinterest (SPEC §7.2). Refused while the integration is disabled or
 * without consent on record. Sending a date already delivered to the same destination with identical
 * content does nothing; changed content (late data) is sent again. Every send is recorded in the
 * ledger; a failed delivery is reported in the result (status "failed"), not thrown.
 */
export async function sendDailyReport(store: Store, adv: Advertiser, opts: SendReportOptions): Promise<SendReportResult> {
  const date = opts.date;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new RefusedError(`--date must be a date as YYYY-MM-DD, got "${date}"`);
  }
  const dest = parseDestination(opts.to);
  const activation = await requireEnabled(store, adv, 'the daily report to Pinterest');
  if (!activation.consent_by.trim()) {
    throw new RefusedError('the daily report to Pinterest is refused: no consent is on record (enable again with --consent-by NAME)');
  }
  const now = opts.now ?? (() => new Date());

  const { csv, rows } = await dailyReportCsv(store, adv, date);
  const sha256 = createHash('sha256').update(csv).digest('hex');
  const key = idempotencyKey(adv.id, date, csv);
  const base = { advertiser: adv.id, date, destination: dest.label, rows, sha256, idempotency_key: key };

  const last = await latestDelivery(store, adv.id, date, dest.label);
  if (last && last.status === 'delivered' && last.sha256 === sha256) {
    return { ...base, status: 'unchanged', sent: false, resent_changed: false, attempts: 0, http_status: null, error: null, path: null };
  }
  const previouslyDelivered = await store.scalar<boolean>(`SELECT count(*) > 0 FROM pinterest_report_deliveries
    WHERE advertiser = ? AND date = ?::DATE AND destination = ? AND status = 'delivered'`, [adv.id, date, dest.label]);

  const attemptedAt = now();
  const outcome = dest.kind === 'dir'
    ? await deliverToDir(dest, adv.id, date, csv)
    : await deliverToHttp(dest, csv, {
      token: opts.token, idempotencyKey: key, fetchImpl: opts.fetchImpl, baseDelayMs: opts.baseDelayMs,
      maxAttempts: opts.maxAttempts, timeoutMs: opts.timeoutMs, sleep: opts.sleep,
    });
  await recordDelivery(store, adv.id, {
    date, destination: dest.label, status: outcome.status, attempts: outcome.attempts, row_count: rows, sha256,
    http_status: outcome.http_status, error: outcome.error, attempted_at: attemptedAt.toISOString(),
    delivered_at: outcome.status === 'delivered' ? now().toISOString() : null,
  });
  return {
    ...base, status: outcome.status, sent: outcome.status === 'delivered', resent_changed: Boolean(previouslyDelivered),
    attempts: outcome.attempts, http_status: outcome.http_status, error: outcome.error, path: outcome.path,
  };
}
