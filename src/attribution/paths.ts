import type { Advertiser } from '../config/schema.js';
import { readColumns } from '../store/columns.js';
import { sqlString, type Store } from '../store/db.js';

/** Touchpoint kinds and sources as small integers (SPEC §1). */
export const KIND = { click: 0, engagement: 1, view: 2 } as const;
export const SOURCE = { site: 0, pinterest_feed: 1 } as const;

/** Every touchpoint of every person, ordered by person, ts, site before feed, ingestion order. */
export interface TouchpointColumns {
  length: number;
  person: Int32Array;
  ts: Float64Array; // epoch ms
  combo: Int32Array;
  kind: Int32Array;
  source: Int32Array;
  seq: Float64Array; // event seq (site) or feed row id (feed)
}

/** Featured conversions after dedupe, ordered by person, ts, ingestion order. */
export interface ConversionColumns {
  length: number;
  person: Int32Array;
  ts: Float64Array;
  revenue: Float64Array;
  /** the conversion's local date in the advertiser's timezone, as days since 1970-01-01 */
  day: Int32Array;
  seq: Float64Array;
}

/**
 * SQL for feed touchpoints (restricted data), registered by the Pinterest integration.
 * Must yield columns person INTEGER, ts TIMESTAMPTZ, combo_id INTEGER, kind INTEGER, seq BIGINT.
 */
let feedTouchpointsSql: ((adv: Advertiser) => string) | null = null;
export function registerFeedTouchpoints(sql: (adv: Advertiser) => string): void {
  feedTouchpointsSql = sql;
}

export async function loadTouchpoints(store: Store, adv: Advertiser, withFeed: boolean): Promise<TouchpointColumns> {
  const id = sqlString(adv.id);
  const site = `SELECT m.person, t.ts, t.combo_id, ${KIND.click} AS kind, ${SOURCE.site} AS source, t.event_seq AS seq
    FROM site_touchpoints t JOIN identity_map m ON m.advertiser = ${id} AND m.ident = 'u:' || t.uid
    WHERE t.advertiser = ${id}`;
  const feed = withFeed && feedTouchpointsSql
    ? ` UNION ALL SELECT person, ts, combo_id, kind, ${SOURCE.pinterest_feed}, seq FROM (${feedTouchpointsSql(adv)})`
    : '';
  const { length, columns } = await readColumns(store.conn, `
    SELECT person::INTEGER AS person, epoch_ms(ts)::DOUBLE AS ts, combo_id::INTEGER AS combo, kind::INTEGER AS kind,
           source::INTEGER AS source, seq::DOUBLE AS seq
    FROM (${site}${feed}) ORDER BY person, ts, source, seq`,
    { person: 'i32', ts: 'f64', combo: 'i32', kind: 'i32', source: 'i32', seq: 'f64' });
  return { length, ...columns };
}

/**
 * Featured conversions with SPEC §5's dedupe: the same order_id is one conversion (the earliest by ts,
 * then by ingestion order, wins); without order_id, identical person + action + ts are one.
 */
export async function loadConversions(store: Store, adv: Advertiser): Promise<ConversionColumns> {
  const id = sqlString(adv.id);
  const { length, columns } = await readColumns(store.conn, `
    WITH c AS (
      SELECT e.seq, e.ts, e.order_id, e.revenue,
             coalesce(mu.person, mx.person, me.person) AS person
      FROM events e
      LEFT JOIN identity_map mu ON mu.advertiser = ${id} AND mu.ident = 'u:' || e.uid
      LEFT JOIN identity_map mx ON mx.advertiser = ${id} AND mx.ident = 'x:' || e.external_id
      LEFT JOIN identity_map me ON me.advertiser = ${id} AND me.ident = 'e:' || e.email_sha256
      WHERE e.advertiser = ${id} AND e.type = 'conversion' AND e.action = ${sqlString(adv.featured_conversion.action)}
    ), firsts AS (
      SELECT * FROM c
      QUALIFY row_number() OVER (PARTITION BY coalesce(order_id, person::VARCHAR || chr(31) || epoch_us(ts)::VARCHAR),
                                              order_id IS NULL ORDER BY ts, seq) = 1
    )
    SELECT person::INTEGER AS person, epoch_ms(ts)::DOUBLE AS ts, revenue::DOUBLE AS revenue,
           ((ts AT TIME ZONE ${sqlString(adv.timezone)})::DATE - DATE '1970-01-01')::INTEGER AS day, seq::DOUBLE AS seq
    FROM firsts ORDER BY person, ts, seq`,
    { person: 'i32', ts: 'f64', revenue: 'f64', day: 'i32', seq: 'f64' });
  return { length, ...columns };
}

/** Tier combinations (tier_1..tier_5 + platform) by combo id. */
export interface Combo { id: number; tiers: [string, string, string, string, string]; platform: string }

export async function loadCombos(store: Store, advertiser: string): Promise<Combo[]> {
  const rows = await store.all<{ combo_id: number; tier_1: string; tier_2: string; tier_3: string; tier_4: string; tier_5: string; platform: string }>(
    `SELECT combo_id, tier_1, tier_2, tier_3, tier_4, tier_5, platform FROM tier_combos WHERE advertiser = ? ORDER BY combo_id`, [advertiser]);
  return rows.map((r) => ({ id: r.combo_id, tiers: [r.tier_1, r.tier_2, r.tier_3, r.tier_4, r.tier_5], platform: r.platform }));
}
