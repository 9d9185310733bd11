import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import '../src/integrations/index.js';
import { dataVersion } from '../src/config/advertisers.js';
import { RefusedError } from '../src/errors.js';
import { ingestFeed } from '../src/integrations/pinterest/feed/ingestFeed.js';
import {
  auditLog, disablePinterest, enablePinterest, firstFeedDate, isPinterestEnabled, listActivations,
} from '../src/integrations/pinterest/lifecycle.js';
import { dayState, pinterestStatus } from '../src/integrations/pinterest/status.js';
import { formatPinterestStatus } from '../src/integrations/pinterest/statusFormat.js';
import { saveVerification } from '../src/integrations/pinterest/tagVerification/store.js';
import type { VerificationResult } from '../src/integrations/pinterest/tagVerification/types.js';
import { localTimeToInstant } from '../src/integrations/pinterest/time.js';
import { activeSegments } from '../src/segments/active.js';
import { TEST_RULES, World } from './support/world.js';

const TAG = '2612345678901';

let world: World | undefined;
afterEach(() => { world?.close(); world = undefined; });

async function make(config: Record<string, unknown> = {}): Promise<World> {
  world = await World.create({ rules: TEST_RULES, timezone: 'America/New_York', ...config });
  return world;
}

function verification(over: Partial<VerificationResult> = {}): VerificationResult {
  return {
    advertiser: 'acme', verified_at: '2026-11-01T10:00:00.000Z', expected_tag_id: TAG, passed: true,
    pages: [{ url: 'https://shop.example/', status: 'ok', tag_id: TAG, tag_ids_seen: [TAG], http_status: 200,
      final_url: 'https://shop.example/', elapsed_ms: 10, reason: null, advice: null }],
    ...over,
  };
}

async function nothingWritten(w: World, version: number): Promise<void> {
  expect(await listActivations(w.store, 'acme')).toEqual([]);
  expect(await auditLog(w.store, 'acme')).toEqual([]);
  expect(await dataVersion(w.store, 'acme')).toBe(version);
  expect((await activeSegments(w.store, w.adv)).map((s) => s.name)).toEqual(['Purchase']);
}

describe('enable (SPEC §8)', () => {
  it('is refused without a tag verification and without consent, naming both; nothing is written', async () => {
    const w = await make();
    const v0 = await dataVersion(w.store, 'acme');
    const err = await enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: '  ' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedError);
    const message = (err as Error).message;
    expect(message).toMatch(/no tag verification on record/);
    expect(message).toMatch(/--consent-by is empty/);
    await nothingWritten(w, v0);
  });

  it('is refused when the latest verification did not pass, or checked another tag id', async () => {
    const w = await make();
    const v0 = await dataVersion(w.store, 'acme');
    await saveVerification(w.store, verification());
    await saveVerification(w.store, verification({
      verified_at: '2026-11-02T10:00:00.000Z', passed: false, expected_tag_id: '2619999999999',
      pages: [{ ...verification().pages[0], status: 'stub_only', tag_id: null }],
    }));
    const err = await enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: 'Ann' }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(RefusedError);
    expect(err.message).toMatch(/latest tag verification \(2026-11-02T10:00:00.000Z\) did not pass: 1 of 1 pages are not ok/);
    expect(err.message).toMatch(/checked tag id 2619999999999, but --tag-id is 2612345678901/);
    expect(err.message).not.toMatch(/consent/);
    await nothingWritten(w, v0);

    // no expected id in the verification: the pages' tag id must be --tag-id
    await saveVerification(w.store, verification({ verified_at: '2026-11-03T10:00:00.000Z', expected_tag_id: null }));
    await expect(enablePinterest(w.store, w.adv, { tagId: '2610000000000', consentBy: 'Ann' }))
      .rejects.toThrow(/pages of the latest tag verification carry tag id 2612345678901, but --tag-id is 2610000000000/);
    await nothingWritten(w, v0);
  });

  it('records consent, activation and the first feed date (across a timezone boundary), and creates the segment', async () => {
    const w = await make();
    await saveVerification(w.store, verification());
    const v0 = await dataVersion(w.store, 'acme');
    const now = new Date('2026-11-04T05:00:00Z');
    const r = await enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: 'Ann Marketer', at: '2026-11-03T23:30:00-05:00', now });
    expect(r).toMatchObject({
      changed: true, resumed: false, segment: 'Purchase - Pinterest', tag_id: TAG, consent_by: 'Ann Marketer',
      consent_at: '2026-11-04T05:00:00.000Z', activated_at: '2026-11-04T04:30:00.000Z', first_feed_date: '2026-11-04',
    });
    expect(await isPinterestEnabled(w.store, 'acme')).toBe(true);
    expect(await dataVersion(w.store, 'acme')).toBe(v0 + 1);
    expect((await activeSegments(w.store, w.adv)).map((s) => s.name)).toEqual(['Purchase', 'Purchase - Pinterest']);
    const log = await auditLog(w.store, 'acme');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ at: '2026-11-04T05:00:00.000Z', actor: 'Ann Marketer', action: 'enable',
      details: { tag_id: TAG, first_feed_date: '2026-11-04', activated_at: '2026-11-04T04:30:00.000Z' } });

    // the same instant for a UTC advertiser is already 2026-11-04 locally
    expect(firstFeedDate(new Date('2026-11-04T04:30:00Z'), 'UTC')).toBe('2026-11-05');
    expect(firstFeedDate(new Date('2026-11-04T04:30:00Z'), 'America/New_York')).toBe('2026-11-04');
    expect(firstFeedDate(new Date('2026-11-04T04:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-05');
  });

  it('refuses a malformed --at and a non-numeric tag id', async () => {
    const w = await make();
    await saveVerification(w.store, verification());
    await expect(enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: 'Ann', at: '2026-11-03 23:30' }))
      .rejects.toThrow(/--at must be an ISO-8601 time with an offset/);
    await expect(enablePinterest(w.store, w.adv, { tagId: 'abc', consentBy: 'Ann' })).rejects.toThrow(/--tag-id must be the digits/);
  });
});

describe('disable and enable again (SPEC §8)', () => {
  it('keeps history, resumes with a new activation, and logs every action', async () => {
    const w = await make();
    await saveVerification(w.store, verification());
    await enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: 'Ann', at: '2026-11-03T12:00:00Z', now: new Date('2026-11-03T12:00:00Z') });
    const same = await enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: 'Bob' });
    expect(same).toMatchObject({ changed: false, consent_by: 'Ann' });
    await expect(enablePinterest(w.store, w.adv, { tagId: '2610000000000', consentBy: 'Ann' })).rejects.toThrow(RefusedError);

    const v1 = await dataVersion(w.store, 'acme');
    const d = await disablePinterest(w.store, w.adv, { by: 'Carl', now: new Date('2026-11-10T09:00:00Z') });
    expect(d).toMatchObject({ changed: true, deactivated_at: '2026-11-10T09:00:00.000Z' });
    expect(await dataVersion(w.store, 'acme')).toBe(v1 + 1);
    expect(await isPinterestEnabled(w.store, 'acme')).toBe(false);
    expect((await activeSegments(w.store, w.adv)).map((s) => s.name)).toEqual(['Purchase', 'Purchase - Pinterest']);
    expect(await disablePinterest(w.store, w.adv, { by: 'Carl' })).toMatchObject({ changed: false });

    const again = await enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: 'Dana', at: '2026-11-20T15:00:00Z', now: new Date('2026-11-20T15:00:00Z') });
    expect(again).toMatchObject({ changed: true, resumed: true, consent_by: 'Dana', first_activated_at: '2026-11-03T12:00:00.000Z',
      activated_at: '2026-11-20T15:00:00.000Z', first_feed_date: '2026-11-21' });
    const activations = await listActivations(w.store, 'acme');
    expect(activations.map((a) => [a.activation, a.consent_by, a.first_feed_date, a.deactivated_at, a.deactivated_by])).toEqual([
      [1, 'Ann', '2026-11-04', '2026-11-10T09:00:00.000Z', 'Carl'],
      [2, 'Dana', '2026-11-21', null, null],
    ]);
    expect((await auditLog(w.store, 'acme')).map((e) => [e.action, e.actor])).toEqual([
      ['enable (resume)', 'Dana'], ['disable', 'Carl'], ['enable', 'Ann'],
    ]);
  });

  it('refuses a disable when never enabled', async () => {
    const w = await make();
    await expect(disablePinterest(w.store, w.adv, { by: 'x' })).rejects.toThrow(/never enabled/);
  });
});

describe('status (SPEC §8)', () => {
  it('names each expected day received, pending, late or missing at the documented instants', async () => {
    const w = await make(); // America/New_York, due hour 12 (default)
    await saveVerification(w.store, verification());
    await enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: 'Ann', at: '2026-11-03T23:30:00-05:00' });
    await w.ingest([{ type: 'identify', ts: '2026-11-05T10:00:00Z', uid: 'a', external_id: 'xa' }]);
    const feed = join(w.dir, 'feed.csv');
    writeFileSync(feed, 'event_time,action_type,external_id,campaign_id,ad_group_id,ad_id\n' +
      '2026-11-05T10:00:00Z,view,xa,1,2,3\n2026-11-05T11:00:00Z,view,xb,1,2,3\n2026-11-05T12:00:00Z,save,xa,1,2,3\n' +
      '2026-11-05T13:00:00Z,view,xc,1,2,3\n2026-11-05T14:00:00Z,view,,1,2,3\n');
    await ingestFeed(w.store, w.adv, feed, '2026-11-05', { thresholdShare: 0.5 });

    // 2026-11-08 11:00 EST: 11-07's feed is due at 12:00 EST (17:00Z) → pending
    const s = await pinterestStatus(w.store, w.adv, new Date('2026-11-08T16:00:00Z'));
    expect(s).toMatchObject({ enabled: true, segment: 'Purchase - Pinterest', first_feed_date: '2026-11-04', tag_id: TAG,
      consent: { by: 'Ann' }, activated_at: '2026-11-04T04:30:00.000Z',
      tag_verification: { passed: true, tag_id: TAG, verified_at: '2026-11-01T10:00:00.000Z' } });
    expect(s.days.map((d) => [d.date, d.status])).toEqual([
      ['2026-11-04', 'missing'], ['2026-11-05', 'received'], ['2026-11-06', 'missing'], ['2026-11-07', 'pending'],
    ]);
    expect(s.days[1]).toMatchObject({ rows: 4, matched: 2, unmatched: 2, matched_share: 0.5, rejects: 1, file: feed });
    expect(s.days[3].due_at).toBe('2026-11-08T17:00:00.000Z');
    expect(s.counts).toEqual({ received: 1, pending: 1, late: 0, missing: 2 });

    // at the due instant → late; at local midnight of D + 2 → missing
    expect((await pinterestStatus(w.store, w.adv, new Date('2026-11-08T17:00:00Z'))).days[3].status).toBe('late');
    expect((await pinterestStatus(w.store, w.adv, new Date('2026-11-09T04:59:59Z'))).days[3].status).toBe('late');
    const later = await pinterestStatus(w.store, w.adv, new Date('2026-11-09T05:00:00Z'));
    expect(later.days.map((d) => [d.date, d.status])).toEqual([
      ['2026-11-04', 'missing'], ['2026-11-05', 'received'], ['2026-11-06', 'missing'], ['2026-11-07', 'missing'], ['2026-11-08', 'pending'],
    ]);

    // site data arriving later raises the matched share
    await w.ingest([{ type: 'identify', ts: '2026-11-06T10:00:00Z', uid: 'b', external_id: 'xb' }]);
    expect((await pinterestStatus(w.store, w.adv, new Date('2026-11-08T16:00:00Z'))).days[1]).toMatchObject({ matched: 3, matched_share: 0.75 });

    const text = formatPinterestStatus(s).join('\n');
    expect(text).toMatch(/Integration: ENABLED since 2026-11-04T04:30:00.000Z/);
    expect(text).toMatch(/First feed: 2026-11-04; each day's feed is due by 12:00 America\/New_York the next day/);
    expect(text).toMatch(/2026-11-05 +received +4 +50.0% +2 +1/);
  });

  it('before the first feed date lists no day; after a disable, days due later are not expected', async () => {
    const w = await make({ timezone: 'UTC', pinterest: { report_due_hour: 6 } });
    const never = await pinterestStatus(w.store, w.adv, new Date('2026-11-04T00:00:00Z'));
    expect(never).toMatchObject({ enabled: false, segment: null, activations: [], days: [], tag_verification: null });
    expect(formatPinterestStatus(never)[0]).toMatch(/not enabled/);

    await saveVerification(w.store, verification());
    await enablePinterest(w.store, w.adv, { tagId: TAG, consentBy: 'Ann', at: '2026-11-03T10:00:00Z' });
    expect((await pinterestStatus(w.store, w.adv, new Date('2026-11-04T10:00:00Z'))).days).toEqual([]);
    // 11-04 is listed from 11-05 on: pending until 11-05 06:00, then late
    const s1 = await pinterestStatus(w.store, w.adv, new Date('2026-11-05T05:59:59Z'));
    expect(s1.days.map((d) => [d.date, d.status])).toEqual([['2026-11-04', 'pending']]);

    // disabled 2026-11-07 07:00: 11-05's feed was due 11-06 06:00 (expected), 11-06's at 11-07 06:00 (expected), 11-07's not
    await disablePinterest(w.store, w.adv, { by: 'Ann', now: new Date('2026-11-07T07:00:00Z') });
    const s2 = await pinterestStatus(w.store, w.adv, new Date('2026-11-20T00:00:00Z'));
    expect(s2.enabled).toBe(false);
    expect(s2.days.map((d) => [d.date, d.status])).toEqual([['2026-11-04', 'missing'], ['2026-11-05', 'missing'], ['2026-11-06', 'missing']]);
  });

  it('computes due instants in local time across daylight saving changes', () => {
    expect(localTimeToInstant('2026-03-08', 12, 'America/New_York').toISOString()).toBe('2026-03-08T16:00:00.000Z');
    expect(localTimeToInstant('2026-03-07', 12, 'America/New_York').toISOString()).toBe('2026-03-07T17:00:00.000Z');
    expect(localTimeToInstant('2026-03-08', 2, 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z'); // skipped hour
    expect(localTimeToInstant('2026-11-01', 1, 'America/New_York').toISOString()).toBe('2026-11-01T05:00:00.000Z'); // first of two
    expect(dayState('2026-03-07', { timezone: 'America/New_York', pinterest: { tier_1: '', tier_2: '', report_due_hour: 12 } },
      new Date('2026-03-08T15:59:59Z'))).toBe('pending');
  });
});
