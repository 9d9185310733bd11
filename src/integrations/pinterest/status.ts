/**
 * The Pinterest integration's status (SPEC §8): lifecycle, tag verification, consent, the feed of each
 * expected day (received / pending / late / missing, with rows, matched share and rejects) and the
 * latest daily report deliveries.
 *
 * Which days are listed: every day with a feed, and every day whose feed is expected. A day D is
 * expected when an activation period covers it: D ≥ that activation's first feed date, D is before
 * today (local), and, for a period that ended with a disable, D's feed was due before the disable.
 * A day without a feed is `pending` until the due hour (pinterest.report_due_hour, local) of D + 1,
 * `late` from then until the end of D + 1, and `missing` from D + 2 00:00 local on.
 */
import type { Advertiser } from '../../config/schema.js';
import { pinterestSegmentName } from '../../segments/segments.js';
import type { Store } from '../../store/db.js';
import { feedMatchStats } from './feed/matching.js';
import { listActivations, type Activation } from './lifecycle.js';
import { recentDeliveries, type DeliveryRecord } from './report/ledger.js';
import { latestVerification } from './tagVerification/store.js';
import { addDays, localDate, localTimeToInstant } from './time.js';

export type DayStatus = 'received' | 'pending' | 'late' | 'missing';

export interface FeedDay {
  date: string;
  status: DayStatus;
  /** when the feed is due: D + 1 at the due hour, local time (as an ISO instant) */
  due_at: string;
  /** accepted rows of the feed in force (0 when none) */
  rows: number;
  matched: number;
  unmatched: number;
  /** matched / rows against the site data stored now (null without rows) */
  matched_share: number | null;
  rejects: number;
  file: string | null;
  received_at: string | null;
}

export interface PinterestStatus {
  advertiser: string;
  enabled: boolean;
  /** the segment "<featured> - Pinterest" (null until the first enable) */
  segment: string | null;
  timezone: string;
  report_due_hour: number;
  tag_verification: { verified_at: string; passed: boolean; tag_id: string | null } | null;
  tag_id: string | null;
  consent: { by: string; at: string } | null;
  activated_at: string | null;
  first_activated_at: string | null;
  deactivated_at: string | null;
  /** the first feed expected in the current activation: local date of activated_at + 1 day */
  first_feed_date: string | null;
  activations: Activation[];
  days: FeedDay[];
  counts: Record<DayStatus, number>;
  recent_deliveries: DeliveryRecord[];
  now: string;
}

/** The day's state for a day without a feed, at `now`. */
export function dayState(date: string, adv: Pick<Advertiser, 'timezone' | 'pinterest'>, now: Date): Exclude<DayStatus, 'received'> {
  const due = localTimeToInstant(addDays(date, 1), adv.pinterest.report_due_hour, adv.timezone);
  const missingFrom = localTimeToInstant(addDays(date, 2), 0, adv.timezone);
  if (now < due) return 'pending';
  if (now < missingFrom) return 'late';
  return 'missing';
}

export async function pinterestStatus(store: Store, adv: Advertiser, now: Date = new Date()): Promise<PinterestStatus> {
  const activations = await listActivations(store, adv.id);
  const current = activations.at(-1) ?? null;
  const verification = await latestVerification(store, adv.id);
  const today = localDate(now, adv.timezone);
  const dueAt = (date: string) => localTimeToInstant(addDays(date, 1), adv.pinterest.report_due_hour, adv.timezone);

  // Expected days, from each activation period.
  const expected = new Set<string>();
  for (const a of activations) {
    const end = a.deactivated_at ? new Date(a.deactivated_at) : null;
    for (let d = a.first_feed_date; d < today; d = addDays(d, 1)) {
      if (end && dueAt(d) > end) break;
      expected.add(d);
    }
  }
  const feeds = await store.all<{ date: string; file: string; accepted: bigint; rejected: bigint; received_at: string }>(
    `SELECT strftime(date, '%Y-%m-%d') AS date, file, accepted, rejected,
            strftime(received_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS received_at
     FROM pinterest_feeds WHERE advertiser = ? ORDER BY date`, [adv.id]);
  const matched = new Map((await feedMatchStats(store, adv)).map((s) => [s.date, s]));
  const byDate = new Map(feeds.map((f) => [f.date, f]));
  const dates = [...new Set([...expected, ...byDate.keys()])].sort();

  const days: FeedDay[] = dates.map((date) => {
    const feed = byDate.get(date);
    const due_at = dueAt(date).toISOString();
    if (!feed) {
      return { date, status: dayState(date, adv, now), due_at, rows: 0, matched: 0, unmatched: 0, matched_share: null, rejects: 0, file: null, received_at: null };
    }
    const rows = Number(feed.accepted);
    const m = matched.get(date)?.matched ?? 0;
    return {
      date, status: 'received', due_at, rows, matched: m, unmatched: rows - m,
      matched_share: rows === 0 ? null : Math.round((m / rows) * 1e4) / 1e4,
      rejects: Number(feed.rejected), file: feed.file, received_at: feed.received_at,
    };
  });
  const counts: Record<DayStatus, number> = { received: 0, pending: 0, late: 0, missing: 0 };
  for (const d of days) counts[d.status]++;

  return {
    advertiser: adv.id,
    enabled: current !== null && current.deactivated_at === null,
    segment: current ? pinterestSegmentName(adv) : null,
    timezone: adv.timezone,
    report_due_hour: adv.pinterest.report_due_hour,
    tag_verification: verification ? {
      verified_at: verification.verified_at, passed: verification.passed,
      tag_id: verification.expected_tag_id ?? verification.pages.find((p) => p.tag_id !== null)?.tag_id ?? null,
    } : null,
    tag_id: current?.tag_id ?? null,
    consent: current ? { by: current.consent_by, at: current.consent_at } : null,
    activated_at: current?.activated_at ?? null,
    first_activated_at: activations[0]?.activated_at ?? null,
    deactivated_at: current?.deactivated_at ?? null,
    first_feed_date: current?.first_feed_date ?? null,
    activations,
    days,
    counts,
    recent_deliveries: await recentDeliveries(store, adv.id, 10),
    now: now.toISOString(),
  };
}
