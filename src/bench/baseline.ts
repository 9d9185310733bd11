import { sqlString, type Store } from '../store/db.js';

/**
 * The analyst's baseline: the same first/last/even figures written as one straightforward DuckDB
 * query over the raw events file, taking the person mapping (identity_map) and the view→touchpoint
 * mapping (site_touchpoints, tier_combos) from the engine's database, attached read-only as `eng`.
 */
export async function loadBaseline(store: Store, eventsFile: string): Promise<void> {
  await store.run(`CREATE OR REPLACE TABLE raw_events AS
    SELECT row_number() OVER () AS seq, * FROM read_json(${sqlString(eventsFile)}, format = 'newline_delimited',
      columns = {type: 'VARCHAR', ts: 'VARCHAR', uid: 'VARCHAR', external_id: 'VARCHAR', email: 'VARCHAR',
                 email_sha256: 'VARCHAR', action: 'VARCHAR', order_id: 'VARCHAR', revenue: 'DOUBLE'})`);
}

export function baselineQuery(advertiser: string, timezone: string, featuredAction: string, dedupeMinutes: number, clickWindowDays: number): string {
  const id = sqlString(advertiser);
  return `
  WITH conv_raw AS (
    SELECT e.seq, CASE WHEN regexp_full_match(e.ts, '\\d+') THEN epoch_ms(e.ts::BIGINT)::TIMESTAMPTZ ELSE e.ts::TIMESTAMPTZ END AS ts,
           e.order_id, coalesce(e.revenue, 0) AS revenue,
           coalesce(mu.person, mx.person, me.person) AS person
    FROM raw_events e
    LEFT JOIN eng.identity_map mu ON mu.advertiser = ${id} AND mu.ident = 'u:' || e.uid
    LEFT JOIN eng.identity_map mx ON mx.advertiser = ${id} AND mx.ident = 'x:' || e.external_id
    LEFT JOIN eng.identity_map me ON me.advertiser = ${id}
          AND me.ident = 'e:' || coalesce(lower(e.email_sha256), sha256(lower(trim(e.email, ' \t\n\r'))))
    WHERE e.type = 'conversion' AND e.action = ${sqlString(featuredAction)}
  ), conv AS (
    SELECT * FROM conv_raw
    QUALIFY row_number() OVER (PARTITION BY coalesce(order_id, person::VARCHAR || '|' || epoch_us(ts)::VARCHAR), order_id IS NULL ORDER BY ts, seq) = 1
  ), tp AS (
    SELECT m.person, t.ts, t.event_seq, t.combo_id, concat_ws('|', c.tier_1, c.tier_2, c.tier_3, c.tier_4, c.tier_5) AS tiers
    FROM eng.site_touchpoints t
    JOIN eng.identity_map m ON m.advertiser = ${id} AND m.ident = 'u:' || t.uid
    JOIN eng.tier_combos c ON c.advertiser = ${id} AND c.combo_id = t.combo_id
    WHERE t.advertiser = ${id}
  ), kept AS (
    SELECT * FROM (
      SELECT *, lag(tiers) OVER w AS prev_tiers, lag(ts) OVER w AS prev_ts
      FROM tp WINDOW w AS (PARTITION BY person ORDER BY ts, event_seq)
    ) WHERE prev_tiers IS NULL OR prev_tiers <> tiers OR ts - prev_ts > INTERVAL ${dedupeMinutes} MINUTE
  ), eligible AS (
    SELECT c.seq AS conversion, c.revenue, c.ts AS conversion_ts, k.combo_id,
           row_number() OVER (PARTITION BY c.seq ORDER BY k.ts, k.event_seq) AS nth,
           count(*) OVER (PARTITION BY c.seq) AS n
    FROM conv c JOIN kept k ON k.person = c.person
     AND k.ts <= c.ts AND epoch_ms(c.ts) - epoch_ms(k.ts) <= ${clickWindowDays}::BIGINT * 86400000
  ), credits AS (
    SELECT conversion_ts, combo_id, revenue,
           CASE WHEN nth = 1 THEN 1 ELSE 0 END AS ft, CASE WHEN nth = n THEN 1 ELSE 0 END AS lt, 1.0::DOUBLE / n AS ev
    FROM eligible
    UNION ALL
    SELECT c.ts, (SELECT combo_id FROM eng.tier_combos WHERE advertiser = ${id} AND tier_1 = 'Direct' AND tier_2 = '' AND platform = ''), c.revenue, 1, 1, 1
    FROM conv c WHERE NOT EXISTS (SELECT 1 FROM eligible e WHERE e.conversion = c.seq)
  )
  SELECT (conversion_ts AT TIME ZONE ${sqlString(timezone)})::DATE AS date, combo_id,
         sum(ft)::DOUBLE AS first_touch, sum(lt)::DOUBLE AS last_touch, sum(ev)::DOUBLE AS even,
         sum(ft * revenue) AS revenue_first_touch, sum(lt * revenue) AS revenue_last_touch, sum(ev * revenue) AS revenue_even
  FROM credits GROUP BY ALL`;
}
