import { sqlString } from '../../store/db.js';
import { paramOf, queryOf } from '../../taxonomy/urlParts.js';
import type { PipelineStep } from '../pipeline.js';
import type { EventIngestContext } from './context.js';

const FIELDS = [
  'type', 'ts', 'uid', 'event_id', 'url', 'referrer', 'epik', 'external_id', 'email', 'email_sha256',
  'action', 'order_id', 'revenue', 'currency', 'advertiser',
] as const;

const ISO_WITH_OFFSET = '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}(:?\\d{2})?)$';

/**
 * Step 2: parses each line as JSON (SPEC §2.2) and decides, per line, the first reason to reject it.
 * Produces `_parsed` with typed fields (emails already normalised and hashed) and `reason` (NULL = good).
 */
export const validateEvents: PipelineStep<EventIngestContext> = {
  name: 'validating',
  async run(store, ctx) {
    // JSON functions raise on malformed text, so the well-formed objects are set apart first.
    await store.run(`CREATE OR REPLACE TEMP TABLE _checked AS
      SELECT line_no, line, CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' ELSE NULL END AS is_object
      FROM _raw`);
    const paths = FIELDS.map((f) => `'$.${f}'`).join(', ');
    const col = (name: (typeof FIELDS)[number]) => `j[${FIELDS.indexOf(name) + 1}]`;
    const typ = (name: (typeof FIELDS)[number]) => `t[${FIELDS.indexOf(name) + 1}]`;
    const defaultAdv = ctx.defaultAdvertiser === null ? 'NULL' : sqlString(ctx.defaultAdvertiser);
    await store.run(`CREATE OR REPLACE TEMP TABLE _fields AS
      SELECT line_no, ${FIELDS.filter((f) => f !== 'email').map((f) => `nullif(${col(f)}, '') AS "${f}"`).join(', ')},
             nullif(regexp_replace(${col('email')}, '^\\s+|\\s+$', '', 'g'), '') AS email_norm,
             ${col('email')} IS NOT NULL AS has_email,
             ${typ('ts')} AS ts_type, ${typ('revenue')} AS revenue_type,
             ${FIELDS.filter((f) => f !== 'ts' && f !== 'revenue').map((f) => `${typ(f)} AS "${f}_type"`).join(', ')}
      FROM (SELECT line_no, json_extract_string(line, [${paths}]) AS j, json_type(line, [${paths}]) AS t
            FROM _checked WHERE is_object)`);
    const stringish = (f: string) => `("${f}_type" IS NULL OR "${f}_type" IN ('VARCHAR', 'UBIGINT', 'BIGINT'))`;
    await store.run(`CREATE OR REPLACE TEMP TABLE _parsed AS
      WITH typed AS (
        SELECT f.*, coalesce(f.advertiser, ${defaultAdv}) AS adv, a.currency AS adv_currency, a.id IS NOT NULL AS adv_known,
          CASE
            WHEN ts_type = 'VARCHAR' AND regexp_full_match(f.ts, '${ISO_WITH_OFFSET}') THEN try_cast(f.ts AS TIMESTAMPTZ)
            WHEN ts_type IN ('UBIGINT', 'BIGINT') THEN try(epoch_ms(f.ts::BIGINT)::TIMESTAMPTZ)
          END AS ts_parsed,
          CASE WHEN revenue_type IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN f.revenue::DOUBLE END AS revenue_num,
          lower(f.email_sha256) AS sha_in
        FROM _fields f LEFT JOIN advertisers a ON a.id = coalesce(f.advertiser, ${defaultAdv})
      )
      SELECT line_no, adv AS advertiser, type, ts_parsed AS ts, uid, event_id, url, referrer,
        coalesce(epik, nullif(${paramOf(queryOf('url'), 'epik')}, '')) AS epik,
        external_id,
        coalesce(sha_in, CASE WHEN email_norm IS NOT NULL THEN sha256(lower(email_norm)) END) AS email_sha256,
        action, order_id, coalesce(revenue_num, 0) AS revenue, currency,
        CASE
          WHEN type IS NULL THEN 'type: required ("view", "identify" or "conversion")'
          WHEN type NOT IN ('view', 'identify', 'conversion') THEN 'type: must be "view", "identify" or "conversion", got "' || type || '"'
          WHEN ts_type IS NULL THEN 'ts: required'
          WHEN ts_parsed IS NULL THEN 'ts: must be ISO-8601 with an offset (e.g. 2026-11-03T10:00:00Z) or Unix epoch milliseconds as a number'
          WHEN adv IS NULL THEN 'advertiser: required when the database holds several advertisers and --advertiser is not given'
          WHEN NOT adv_known THEN 'advertiser: unknown advertiser "' || adv || '"'
          WHEN NOT ${stringish('uid')} THEN 'uid: must be a string'
          WHEN NOT ${stringish('external_id')} THEN 'external_id: must be a string'
          WHEN NOT ${stringish('event_id')} THEN 'event_id: must be a string'
          WHEN NOT ${stringish('order_id')} THEN 'order_id: must be a string'
          WHEN NOT ("email_type" IS NULL OR "email_type" = 'VARCHAR') THEN 'email: must be a string'
          WHEN has_email AND email_norm IS NULL THEN 'email: must not be empty'
          WHEN sha_in IS NOT NULL AND NOT regexp_full_match(sha_in, '[0-9a-f]{64}') THEN 'email_sha256: must be 64 hexadecimal characters (SHA-256 of the trimmed, lower-cased email)'
          WHEN type = 'view' AND uid IS NULL THEN 'uid: required for a view'
          WHEN type = 'view' AND url IS NULL THEN 'url: required for a view'
          WHEN type = 'view' AND NOT ("url_type" = 'VARCHAR') THEN 'url: must be a string'
          WHEN type = 'identify' AND uid IS NULL THEN 'uid: required for an identify'
          WHEN type = 'identify' AND external_id IS NULL AND email_norm IS NULL AND sha_in IS NULL
            THEN 'identify needs at least one of external_id, email, email_sha256'
          WHEN type = 'conversion' AND action IS NULL THEN 'action: required for a conversion'
          WHEN type = 'conversion' AND uid IS NULL AND external_id IS NULL AND email_norm IS NULL AND sha_in IS NULL
            THEN 'conversion needs at least one of uid, external_id, email, email_sha256'
          WHEN revenue_type IS NOT NULL AND revenue_type <> 'NULL' AND revenue_num IS NULL THEN 'revenue: must be a number'
          WHEN revenue_num < 0 THEN 'revenue: must be 0 or more'
          WHEN currency IS NOT NULL AND currency <> adv_currency
            THEN 'currency: "' || currency || '" differs from the advertiser''s currency "' || adv_currency || '"'
        END AS reason
      FROM typed
      UNION ALL
      SELECT line_no, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        CASE WHEN is_object IS NULL THEN 'not valid JSON' ELSE 'not a JSON object' END
      FROM _checked WHERE NOT coalesce(is_object, false)`);
    await store.run('DROP TABLE _checked');
    await store.run('DROP TABLE _fields');
  },
};
