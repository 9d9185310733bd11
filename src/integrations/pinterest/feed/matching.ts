/**
 * Which person a feed row belongs to (SPEC §3), and the feed's tier combinations.
 *
 * A row is matched, in this order of precedence (the first key that finds a person decides, so a row
 * whose keys point to different persons is matched deterministically):
 *   1. event_id     → the site event with that event_id (same advertiser) → its uid's person
 *                     (for a conversion without uid: its external_id's, else its email hash's person);
 *   2. external_id  → the person carrying `x:<external_id>`;
 *   3. hashed_email → the person carrying `e:<hashed_email>` (compared lower-case);
 *   4. click_id     → the earliest site view whose epik (the `epik` field, or `epik=` in its URL)
 *                     equals it → that view's uid's person.
 * Rows that match nobody are not touchpoints. The SQL is evaluated at every recomputation, so a row
 * becomes a touchpoint as soon as site data arrives that matches it.
 */
import type { Advertiser } from '../../../config/schema.js';
import { sqlString, type Store } from '../../../store/db.js';

/** Feed rows with their person (NULL when unmatched). Needs identity_map to be current. */
function feedPersonsSql(adv: Advertiser): string {
  const id = sqlString(adv.id);
  // The feed table is read directly where it is used (a shared CTE would be materialised: 1M rows).
  const rows = `pinterest_feed_rows WHERE advertiser = ${id}`;
  return `
    WITH feed_events AS MATERIALIZED (
      -- only the site events a feed row names (the optimiser would otherwise join every event first)
      SELECT event_id, seq, uid, external_id, email_sha256 FROM events
      WHERE advertiser = ${id} AND event_id IN (SELECT event_id FROM ${rows} AND event_id IS NOT NULL)
    ), by_event AS (
      SELECT e.event_id, arg_min(coalesce(mu.person, mx.person, me.person), e.seq) AS person
      FROM feed_events e
      LEFT JOIN identity_map mu ON mu.advertiser = ${id} AND mu.ident = 'u:' || e.uid
      LEFT JOIN identity_map mx ON mx.advertiser = ${id} AND mx.ident = 'x:' || e.external_id
      LEFT JOIN identity_map me ON me.advertiser = ${id} AND me.ident = 'e:' || e.email_sha256
      WHERE coalesce(mu.person, mx.person, me.person) IS NOT NULL
      GROUP BY e.event_id
    ), by_click AS (
      SELECT e.epik, arg_min(mu.person, e.seq) AS person
      FROM events e JOIN identity_map mu ON mu.advertiser = ${id} AND mu.ident = 'u:' || e.uid
      WHERE e.advertiser = ${id} AND e.type = 'view' AND e.epik IN (SELECT click_id FROM ${rows} AND click_id IS NOT NULL)
      GROUP BY e.epik
    )
    SELECT f.row_id, f.date, f.ts, f.kind, f.ad_key,
           coalesce(be.person, mx.person, me.person, bc.person) AS person
    FROM (SELECT row_id, date, ts, kind, ad_key, event_id, external_id, hashed_email, click_id FROM ${rows}) f
    LEFT JOIN by_event be ON be.event_id = f.event_id
    LEFT JOIN identity_map mx ON mx.advertiser = ${id} AND mx.ident = 'x:' || f.external_id
    LEFT JOIN identity_map me ON me.advertiser = ${id} AND me.ident = 'e:' || f.hashed_email
    LEFT JOIN by_click bc ON bc.epik = f.click_id`;
}

/**
 * The SQL registered with the engine (registerFeedTouchpoints): matched feed rows as touchpoints
 * with columns person, ts, combo_id, kind (0 click, 1 engagement, 2 view), seq (the feed row id).
 * Tiers: pinterest.tier_1 / pinterest.tier_2 / campaign / ad group / ad, platform 'pinterest'.
 */
export function feedTouchpointsSql(adv: Advertiser): string {
  const id = sqlString(adv.id);
  // Each ad's tier combination is looked up once (a few hundred ads), then joined to the rows by ad_key.
  return `
    WITH ad_combo AS MATERIALIZED (
      SELECT fc.ad_key, tc.combo_id FROM (${feedLabelsSql(adv)}) fc
      JOIN tier_combos tc ON tc.advertiser = ${id}
        AND tc.tier_1 = ${sqlString(adv.pinterest.tier_1)} AND tc.tier_2 = ${sqlString(adv.pinterest.tier_2)}
        AND tc.tier_3 = fc.tier_3 AND tc.tier_4 = fc.tier_4 AND tc.tier_5 = fc.tier_5 AND tc.platform = 'pinterest'
    )
    SELECT p.person::INTEGER AS person, p.ts, ac.combo_id, p.kind::INTEGER AS kind, p.row_id AS seq
    FROM (${feedPersonsSql(adv)}) p
    JOIN ad_combo ac ON ac.ad_key = p.ad_key
    WHERE p.person IS NOT NULL`;
}

/** Each feed ad's tier_3..tier_5: campaign, ad group and ad, by name, else id. */
function feedLabelsSql(adv: Advertiser): string {
  return `SELECT ad_key, coalesce(campaign_name, campaign_id) AS tier_3, coalesce(ad_group_name, ad_group_id) AS tier_4,
      coalesce(ad_name, ad_id) AS tier_5
    FROM pinterest_feed_ads WHERE advertiser = ${sqlString(adv.id)}`;
}

/**
 * Makes sure every feed label (campaign / ad group / ad) has a tier combination under the advertiser's
 * current pinterest.tier_1 / tier_2 (they may change with the config). Cheap when nothing is missing.
 */
export async function ensureFeedCombos(store: Store, adv: Advertiser): Promise<number> {
  const id = sqlString(adv.id);
  const missing = `FROM (SELECT DISTINCT tier_3, tier_4, tier_5 FROM (${feedLabelsSql(adv)})) fc WHERE NOT EXISTS (
      SELECT 1 FROM tier_combos c WHERE c.advertiser = ${id}
        AND c.tier_1 = ${sqlString(adv.pinterest.tier_1)} AND c.tier_2 = ${sqlString(adv.pinterest.tier_2)}
        AND c.tier_3 = fc.tier_3 AND c.tier_4 = fc.tier_4 AND c.tier_5 = fc.tier_5 AND c.platform = 'pinterest')`;
  const count = Number(await store.scalar<bigint>(`SELECT count(*) ${missing}`));
  if (count === 0) return 0;
  await store.run(`INSERT INTO tier_combos
    SELECT ${id}, (SELECT coalesce(max(combo_id), 0) FROM tier_combos WHERE advertiser = ${id})
                  + row_number() OVER (ORDER BY fc.tier_3, fc.tier_4, fc.tier_5),
           ${sqlString(adv.pinterest.tier_1)}, ${sqlString(adv.pinterest.tier_2)}, fc.tier_3, fc.tier_4, fc.tier_5, 'pinterest'
    ${missing}`);
  return count;
}

export interface FeedMatchStats { date: string; rows: number; matched: number }

/**
 * Rows and matched rows per feed date, against the site data stored now. A key matches when the site
 * data carries it (an event with that event_id, an event with that external_id or email hash, a view
 * with that epik): exactly when the engine's matching finds a person, without re-stitching identities.
 */
export async function feedMatchStats(store: Store, adv: Advertiser, dates?: { from?: string; to?: string }): Promise<FeedMatchStats[]> {
  const id = sqlString(adv.id);
  const range = `${dates?.from ? `AND date >= ${sqlString(dates.from)}::DATE` : ''} ${dates?.to ? `AND date <= ${sqlString(dates.to)}::DATE` : ''}`;
  // The site data is probed with the feed's keys (few) rather than hashing every event's keys (many).
  const rows = await store.all<{ date: string; rows: bigint; matched: bigint }>(`
    WITH f AS MATERIALIZED (
      SELECT date, event_id, external_id, hashed_email, click_id FROM pinterest_feed_rows WHERE advertiser = ${id} ${range}
    ), ev AS (
      SELECT DISTINCT event_id FROM events WHERE advertiser = ${id} AND event_id IN (SELECT event_id FROM f WHERE event_id IS NOT NULL)
    ), ext AS (
      SELECT DISTINCT external_id FROM events WHERE advertiser = ${id} AND external_id IN (SELECT external_id FROM f WHERE external_id IS NOT NULL)
    ), em AS (
      SELECT DISTINCT email_sha256 FROM events WHERE advertiser = ${id} AND email_sha256 IN (SELECT hashed_email FROM f WHERE hashed_email IS NOT NULL)
    ), ck AS (
      SELECT DISTINCT epik FROM events WHERE advertiser = ${id} AND type = 'view' AND uid IS NOT NULL
        AND epik IN (SELECT click_id FROM f WHERE click_id IS NOT NULL)
    )
    SELECT strftime(date, '%Y-%m-%d') AS date, count(*) AS rows,
      count(*) FILTER (WHERE event_id IN (SELECT event_id FROM ev) OR external_id IN (SELECT external_id FROM ext)
        OR hashed_email IN (SELECT email_sha256 FROM em) OR click_id IN (SELECT epik FROM ck)) AS matched
    FROM f GROUP BY date ORDER BY date`);
  return rows.map((r) => ({ date: r.date, rows: Number(r.rows), matched: Number(r.matched) }));
}
