import { sqlString } from '../../store/db.js';
import { paramOf, queryOf } from '../../taxonomy/urlParts.js';
import type { PipelineStep } from '../pipeline.js';
import type { EventIngestContext } from './context.js';
import { EVENT_FIELDS } from './readLines.js';
import { ISO_WITH_OFFSET_PATTERN as ISO_WITH_OFFSET } from '../timestamps.js';


/** An event's identity for dedupe: its event_id, else its whole (normalised) content. */
const DEDUPE_KEY = `md5_number(CASE WHEN event_id IS NOT NULL THEN 'id' || chr(31) || event_id ELSE concat_ws(chr(31),
  type, epoch_us(ts)::VARCHAR, coalesce(uid, chr(0)), coalesce(url, chr(0)), coalesce(referrer, chr(0)),
  coalesce(epik, chr(0)), coalesce(external_id, chr(0)), coalesce(email_sha256, chr(0)), coalesce(action, chr(0)),
  coalesce(order_id, chr(0)), revenue::VARCHAR, coalesce(currency, chr(0))) END)`;

/**
 * Step 2: parses each line as JSON (SPEC §2.2) and decides, per line, the first reason to reject it.
 * Produces `_parsed` with typed fields (emails already normalised and hashed), `reason` (NULL = good)
 * and, for good lines, `dedupe_key`.
 */
export const validateEvents: PipelineStep<EventIngestContext> = {
  name: 'validating',
  phase: 'stage',
  async run(store, ctx) {
    const defaultAdv = ctx.defaultAdvertiser === null ? 'NULL' : sqlString(ctx.defaultAdvertiser);
    const plain = EVENT_FIELDS.filter((f) => f !== 'email' && f !== 'ts' && f !== 'revenue');
    const fields = `SELECT line_no, ${plain.map((f) => `nullif(j.${f}, '') AS "${f}"`).join(', ')},
             CASE WHEN j.ts IS NOT NULL THEN json_type(j.ts) END AS ts_type, j.ts->>'$' AS ts,
             CASE WHEN j.revenue IS NOT NULL THEN json_type(j.revenue) END AS revenue_type, j.revenue->>'$' AS revenue,
             nullif(trim(j.email, ' \t\n\r'), '') AS email_norm, j.email IS NOT NULL AS has_email
      FROM _raw WHERE is_object`;
    await store.run(`CREATE OR REPLACE TEMP TABLE _parsed AS
      SELECT *, CASE WHEN reason IS NULL THEN ${DEDUPE_KEY} END AS dedupe_key FROM (
      WITH typed AS (
        SELECT f.*, coalesce(f.advertiser, ${defaultAdv}) AS adv, a.currency AS adv_currency, a.id IS NOT NULL AS adv_known,
          CASE
            WHEN ts_type = 'VARCHAR' AND regexp_full_match(f.ts, '${ISO_WITH_OFFSET}') THEN try_cast(f.ts AS TIMESTAMPTZ)
            WHEN ts_type IN ('UBIGINT', 'BIGINT') THEN try(epoch_ms(f.ts::BIGINT)::TIMESTAMPTZ)
          END AS ts_parsed,
          CASE WHEN revenue_type IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN f.revenue::DOUBLE END AS revenue_num,
          lower(f.email_sha256) AS sha_in
        FROM (${fields}) f LEFT JOIN advertisers a ON a.id = coalesce(f.advertiser, ${defaultAdv})
      )
      SELECT line_no, adv AS advertiser, type, ts_parsed AS ts, uid, event_id, url, referrer,
        coalesce(epik, CASE WHEN type = 'view' AND contains(url, 'epik=') THEN nullif(${paramOf(queryOf('url'), 'epik')}, '') END) AS epik,
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
          WHEN has_email AND email_norm IS NULL THEN 'email: must not be empty'
          WHEN sha_in IS NOT NULL AND NOT regexp_full_match(sha_in, '[0-9a-f]{64}') THEN 'email_sha256: must be 64 hexadecimal characters (SHA-256 of the trimmed, lower-cased email)'
          WHEN type = 'view' AND uid IS NULL THEN 'uid: required for a view'
          WHEN type = 'view' AND url IS NULL THEN 'url: required for a view'
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
      FROM _raw WHERE NOT coalesce(is_object, false) AND NOT blank)`);
    await store.run('DROP TABLE _raw'); // frees its memory before the next steps
  },
};
