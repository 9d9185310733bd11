/**
 * The Pinterest integration's lifecycle (SPEC §8): enable (needs a passing tag verification and the
 * advertiser's consent to the daily report), disable (history stays), enable again (resumes).
 * Table pinterest_activations keeps one row per activation period; pinterest_audit_log every action.
 */
import { bumpDataVersion } from '../../config/advertisers.js';
import type { Advertiser } from '../../config/schema.js';
import { RefusedError } from '../../errors.js';
import { pinterestSegmentName } from '../../segments/segments.js';
import type { Store } from '../../store/db.js';
import { latestVerification } from './tagVerification/store.js';
import { addDays, localDate } from './time.js';
import { ISO_WITH_OFFSET } from '../../ingest/timestamps.js';

export interface Activation {
  activation: number;
  tag_id: string;
  consent_by: string;
  consent_at: string;
  activated_at: string;
  first_feed_date: string;
  deactivated_at: string | null;
  deactivated_by: string | null;
}

export interface EnableOptions {
  tagId: string;
  consentBy: string;
  /** ISO-8601 instant of activation (default: now) */
  at?: string;
  /** the wall clock (tests); default new Date() */
  now?: Date;
}

export interface EnableResult {
  advertiser: string;
  /** false when the integration was already enabled with this tag id (nothing changed) */
  changed: boolean;
  /** true when an earlier activation existed (the integration resumes) */
  resumed: boolean;
  segment: string;
  tag_id: string;
  consent_by: string;
  consent_at: string;
  activated_at: string;
  first_activated_at: string;
  /** the first feed expected: local date (advertiser timezone) of activated_at + 1 day */
  first_feed_date: string;
}

export interface DisableResult {
  advertiser: string;
  changed: boolean;
  deactivated_at: string;
}


const ACTIVATION_COLUMNS = `activation,
  tag_id, consent_by,
  strftime(consent_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS consent_at,
  strftime(activated_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS activated_at,
  strftime(first_feed_date, '%Y-%m-%d') AS first_feed_date,
  strftime(deactivated_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS deactivated_at,
  deactivated_by`;

/** Every activation period of the advertiser, oldest first. */
export async function listActivations(store: Store, advertiser: string): Promise<Activation[]> {
  return store.all<Activation>(
    `SELECT ${ACTIVATION_COLUMNS} FROM pinterest_activations WHERE advertiser = ? ORDER BY activation`, [advertiser]);
}

/** The current activation period (the latest one), or null when never enabled. */
export async function currentActivation(store: Store, advertiser: string): Promise<Activation | null> {
  const row = await store.one<Activation>(
    `SELECT ${ACTIVATION_COLUMNS} FROM pinterest_activations WHERE advertiser = ? ORDER BY activation DESC LIMIT 1`, [advertiser]);
  return row ?? null;
}

export async function isPinterestEnabled(store: Store, advertiser: string): Promise<boolean> {
  const a = await currentActivation(store, advertiser);
  return a !== null && a.deactivated_at === null;
}

/** Whether the integration was ever enabled (its segment then exists, also after a disable). */
export async function wasEverEnabled(store: Store, advertiser: string): Promise<boolean> {
  return Number(await store.scalar<bigint>(`SELECT count(*) FROM pinterest_activations WHERE advertiser = ?`, [advertiser])) > 0;
}

/** The first feed expected after an activation: its local date in the advertiser's timezone + 1 day. */
export function firstFeedDate(activatedAt: Date, timezone: string): string {
  return addDays(localDate(activatedAt, timezone), 1);
}

/** Refuses unless the integration is enabled (feed ingestion, daily report). */
export async function requireEnabled(store: Store, adv: Advertiser, what: string): Promise<Activation> {
  const a = await currentActivation(store, adv.id);
  if (!a) {
    throw new RefusedError(`${what} refused: the Pinterest integration is not enabled for "${adv.id}" ` +
      '(enable it with: touchline pinterest enable --tag-id ID --consent-by NAME)');
  }
  if (a.deactivated_at !== null) {
    throw new RefusedError(`${what} refused: the Pinterest integration for "${adv.id}" was disabled at ${a.deactivated_at} ` +
      '(enable it again with: touchline pinterest enable --tag-id ID --consent-by NAME)');
  }
  return a;
}

async function audit(store: Store, advertiser: string, at: Date, actor: string, action: string, details: object): Promise<void> {
  await store.run(`INSERT INTO pinterest_audit_log VALUES (?, ?::TIMESTAMPTZ, ?, ?, ?::JSON)`,
    [advertiser, at.toISOString(), actor, action, JSON.stringify(details)]);
}

export interface AuditEntry { at: string; actor: string; action: string; details: Record<string, unknown> }

export async function auditLog(store: Store, advertiser: string, limit = 50): Promise<AuditEntry[]> {
  const rows = await store.all<{ at: string; actor: string; action: string; details: string }>(
    `SELECT strftime("at" AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS "at", actor, action, details::VARCHAR AS details
     FROM pinterest_audit_log WHERE advertiser = ? ORDER BY "at" DESC, rowid DESC LIMIT ?`, [advertiser, limit]);
  return rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/**
 * Enables the integration (SPEC §8). Refuses, naming every missing prerequisite and writing nothing,
 * unless: a tag verification ran; the latest one passed; the tag id it checked (its expected tag id,
 * else the id the pages carried) is --tag-id; and a consent name is given.
 * Enabling while enabled with the same tag id changes nothing; with another tag id it is refused.
 */
export async function enablePinterest(store: Store, adv: Advertiser, opts: EnableOptions): Promise<EnableResult> {
  const now = opts.now ?? new Date();
  const tagId = (opts.tagId ?? '').trim();
  const consentBy = (opts.consentBy ?? '').trim();
  const problems: string[] = [];

  let activatedAt = now;
  if (opts.at !== undefined) {
    const t = ISO_WITH_OFFSET.test(opts.at.trim()) ? Date.parse(opts.at.trim()) : NaN;
    if (Number.isNaN(t)) problems.push(`--at must be an ISO-8601 time with an offset (e.g. 2026-11-03T23:30:00-05:00), got "${opts.at}"`);
    else activatedAt = new Date(t);
  }
  if (tagId === '') problems.push('--tag-id is empty: give your Pinterest tag id (the number window.pintrk.tagId shows)');
  else if (!/^\d+$/.test(tagId)) problems.push(`--tag-id must be the digits of your Pinterest tag id, got "${tagId}"`);

  const verification = await latestVerification(store, adv.id);
  if (!verification) {
    problems.push('no tag verification on record: run `touchline pinterest verify-tag --sitemap https://your-site/sitemap.xml ' +
      '--expect-tag-id ID` (every page must show the Pinterest tag)');
  } else {
    if (!verification.passed) {
      const bad = verification.pages.filter((p) => p.status !== 'ok').length;
      problems.push(`the latest tag verification (${verification.verified_at}) did not pass: ` +
        `${verification.pages.length === 0 ? 'no page was checked' : `${bad} of ${verification.pages.length} pages are not ok`}; ` +
        'fix the tag and run `touchline pinterest verify-tag` again');
    }
    if (tagId !== '') {
      if (verification.expected_tag_id) {
        if (verification.expected_tag_id !== tagId) {
          problems.push(`the latest tag verification checked tag id ${verification.expected_tag_id}, but --tag-id is ${tagId}`);
        }
      } else {
        const seen = [...new Set(verification.pages.map((p) => p.tag_id).filter((t): t is string => t !== null))];
        if (seen.length > 0 && !seen.includes(tagId)) {
          problems.push(`the pages of the latest tag verification carry tag id ${seen.join(', ')}, but --tag-id is ${tagId}`);
        }
      }
    }
  }
  if (consentBy === '') {
    problems.push('--consent-by is empty: name the person who agrees, for the advertiser, that a daily Buckets Breakdown ' +
      'filtered to Pinterest is sent to Pinterest');
  }

  const current = await currentActivation(store, adv.id);
  if (current && current.deactivated_at === null && problems.length === 0) {
    if (current.tag_id !== tagId) {
      problems.push(`the integration is already enabled with tag id ${current.tag_id} (since ${current.activated_at}); ` +
        'disable it first to change the tag id');
    }
  }
  if (problems.length > 0) {
    throw new RefusedError(`cannot enable the Pinterest integration for "${adv.id}"; nothing was changed:\n  - ${problems.join('\n  - ')}`);
  }

  const first = (await listActivations(store, adv.id))[0];
  if (current && current.deactivated_at === null) {
    return {
      advertiser: adv.id, changed: false, resumed: false, segment: pinterestSegmentName(adv), tag_id: current.tag_id,
      consent_by: current.consent_by, consent_at: current.consent_at, activated_at: current.activated_at,
      first_activated_at: first.activated_at, first_feed_date: current.first_feed_date,
    };
  }

  const feedDate = firstFeedDate(activatedAt, adv.timezone);
  const activation = (current?.activation ?? 0) + 1;
  await store.transaction(async () => {
    await store.run(`INSERT INTO pinterest_activations VALUES (?, ?, ?, ?, ?::TIMESTAMPTZ, ?::TIMESTAMPTZ, ?::DATE, NULL, NULL)`,
      [adv.id, activation, tagId, consentBy, now.toISOString(), activatedAt.toISOString(), feedDate]);
    await audit(store, adv.id, now, consentBy, current ? 'enable (resume)' : 'enable', {
      tag_id: tagId, consent_by: consentBy, activated_at: activatedAt.toISOString(), first_feed_date: feedDate,
      activation, verification: { verified_at: verification!.verified_at, expected_tag_id: verification!.expected_tag_id },
    });
    await bumpDataVersion(store, adv.id);
  });
  return {
    advertiser: adv.id, changed: true, resumed: current !== null, segment: pinterestSegmentName(adv), tag_id: tagId,
    consent_by: consentBy, consent_at: now.toISOString(), activated_at: activatedAt.toISOString(),
    first_activated_at: first?.activated_at ?? activatedAt.toISOString(), first_feed_date: feedDate,
  };
}

/**
 * Disables the integration: no more feed ingestion or daily reports. Feed rows, the segment's results,
 * deliveries and the audit log stay readable. Refused when it was never enabled; a no-op when disabled.
 */
export async function disablePinterest(store: Store, adv: Advertiser, opts: { by?: string; now?: Date } = {}): Promise<DisableResult> {
  const now = opts.now ?? new Date();
  const current = await currentActivation(store, adv.id);
  if (!current) throw new RefusedError(`the Pinterest integration was never enabled for "${adv.id}"; nothing to disable`);
  if (current.deactivated_at !== null) return { advertiser: adv.id, changed: false, deactivated_at: current.deactivated_at };
  const by = (opts.by ?? '').trim() || 'unknown';
  await store.transaction(async () => {
    await store.run(`UPDATE pinterest_activations SET deactivated_at = ?::TIMESTAMPTZ, deactivated_by = ? WHERE advertiser = ? AND activation = ?`,
      [now.toISOString(), by, adv.id, current.activation]);
    await audit(store, adv.id, now, by, 'disable', { activation: current.activation, tag_id: current.tag_id });
    await bumpDataVersion(store, adv.id);
  });
  return { advertiser: adv.id, changed: true, deactivated_at: now.toISOString() };
}
