import type { PipelineStep } from '../../../ingest/pipeline.js';
import { sqlString } from '../../../store/db.js';
import { ACTION_TYPES, FEED_COLUMNS, type FeedColumn } from './columns.js';
import type { FeedIngestContext } from './context.js';
import { ISO_WITH_OFFSET_PATTERN as ISO_WITH_OFFSET } from '../../../ingest/timestamps.js';

const KIND_NUMBER = { click: 0, engagement: 1, view: 2 } as const;

/**
 * SQL that splits CSV line `l` into its fields (RFC 4180 quoting: "a,b" and "say ""hi""";
 * no line breaks inside quotes) as a VARCHAR[]. Lines without quotes take the fast path.
 * Splitting on the quote character gives parts that alternate outside/inside quotes; the
 * delimiter is replaced by chr(31) outside quotes only, an empty outside part between two
 * inside parts is an escaped quote. chr(30) marks the end of the line.
 */
function splitFields(delim: string): { fields: string; wellQuoted: string } {
  const d = sqlString(delim);
  const fields = `CASE WHEN NOT contains(line, '"') THEN string_split(line, ${d})
    ELSE string_split(rtrim(array_to_string(list_transform(parts, (x, i) ->
      CASE WHEN i % 2 = 0 THEN x WHEN x = '' AND i > 1 THEN '"' ELSE replace(x, ${d}, chr(31)) END), ''), chr(30)), chr(31)) END`;
  const wellQuoted = `(NOT contains(line, '"') OR (len(parts) % 2 = 1 AND list_bool_and(list_transform(parts, (x, i) -> i % 2 = 0 OR
      ((i = 1 OR x = '' OR x = chr(30) OR starts_with(x, ${d})) AND (i = len(parts) OR x = '' OR ends_with(x, ${d})))))))`;
  return { fields, wellQuoted };
}

/**
 * Step 2: turns each data line into typed fields and decides, per row, the first reason to reject it.
 * Produces `_feed_parsed(line_no, reason, ts, kind, <feed columns>)` (reason NULL = good).
 */
export const parseFeed: PipelineStep<FeedIngestContext> = {
  name: 'validating',
  phase: 'stage',
  async run(store, ctx) {
    const col = (c: FeedColumn) => ctx.positions[c];
    let source: string;
    if (ctx.format === 'csv') {
      const { fields, wellQuoted } = splitFields(ctx.delimiter);
      const n = ctx.header.length;
      const value = (c: FeedColumn) => (col(c) === undefined ? 'NULL::VARCHAR' : `nullif(trim(v[${col(c)}]), '')`);
      source = `WITH l AS (
          SELECT line_no, line, CASE WHEN contains(line, '"') THEN string_split(line || chr(30), '"') END AS parts
          FROM _feed_lines WHERE line_no > ${ctx.headerLine}
        ), s AS (
          SELECT line_no, ${wellQuoted} AS well_quoted, ${fields} AS v FROM l
        ), w AS (
          SELECT line_no,
            CASE WHEN NOT well_quoted THEN 'malformed quoting (a field with quotes must be wholly quoted, with "" for a quote inside)'
                 WHEN len(v) <> ${n} THEN 'expected ${n} fields (as in the header), found ' || len(v) END AS pre_reason,
            CASE WHEN well_quoted AND len(v) = ${n} THEN v END AS v
          FROM s
        )
        SELECT line_no, pre_reason, ${FEED_COLUMNS.map((c) => `${value(c)} AS ${c}`).join(', ')} FROM w`;
    } else {
      const paths = FEED_COLUMNS.map((c) => `'$.${c}'`).join(', ');
      source = `WITH j AS (
          SELECT line_no, json_valid(line) AS valid,
                 CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' END AS is_object,
                 CASE WHEN json_valid(line) AND json_type(line) = 'OBJECT' THEN json_extract_string(line, [${paths}]) END AS v
          FROM _feed_lines
        )
        SELECT line_no,
          CASE WHEN NOT valid THEN 'not valid JSON' WHEN NOT is_object THEN 'not a JSON object' END AS pre_reason,
          ${FEED_COLUMNS.map((c, i) => `nullif(trim(v[${i + 1}]), '') AS ${c}`).join(',\n          ')}
        FROM j`;
    }
    const actionCase = Object.entries(ACTION_TYPES)
      .map(([name, kind]) => `WHEN ${sqlString(name)} THEN ${KIND_NUMBER[kind]}`).join(' ');
    const accepted = Object.keys(ACTION_TYPES).join(', ');
    await store.run(`CREATE OR REPLACE TEMP TABLE _feed_parsed AS
      WITH f AS (${source}), t AS (
        SELECT f.*, lower(action_type) AS act,
          CASE
            WHEN regexp_full_match(event_time, '${ISO_WITH_OFFSET}') THEN try_cast(event_time AS TIMESTAMPTZ)
            WHEN regexp_full_match(event_time, '\\d{1,10}(\\.\\d+)?') THEN try(to_timestamp(event_time::DOUBLE))
          END AS ts,
          lower(hashed_email) AS hashed_lc
        FROM f
      )
      SELECT line_no,
        CASE
          WHEN pre_reason IS NOT NULL THEN pre_reason
          WHEN event_time IS NULL THEN 'event_time: required'
          WHEN ts IS NULL AND regexp_full_match(event_time, '\\d{11,}(\\.\\d+)?')
            THEN 'event_time: ' || event_time || ' looks like milliseconds; Unix time must be in seconds'
          WHEN ts IS NULL THEN 'event_time: must be ISO-8601 with an offset (e.g. 2026-11-03T10:00:00Z) or Unix seconds, got "' || left(event_time, 40) || '"'
          WHEN action_type IS NULL THEN 'action_type: required'
          WHEN (CASE act ${actionCase} END) IS NULL
            THEN 'action_type: unknown "' || left(action_type, 40) || '" (accepted: ${accepted})'
          WHEN event_id IS NULL AND external_id IS NULL AND hashed_email IS NULL AND click_id IS NULL
            THEN 'no match key: at least one of event_id, external_id, hashed_email, click_id is required'
          WHEN hashed_email IS NOT NULL AND contains(hashed_email, '@')
            THEN 'hashed_email: looks like a plain email address; it must be the SHA-256 (hex) of the trimmed, lower-cased email'
          WHEN hashed_email IS NOT NULL AND NOT regexp_full_match(hashed_lc, '[0-9a-f]{64}')
            THEN 'hashed_email: must be 64 hexadecimal characters (SHA-256 of the trimmed, lower-cased email)'
          WHEN campaign_id IS NULL THEN 'campaign_id: required'
          WHEN ad_group_id IS NULL THEN 'ad_group_id: required'
          WHEN ad_id IS NULL THEN 'ad_id: required'
        END AS reason,
        ts, (CASE act ${actionCase} END)::TINYINT AS kind,
        event_id, external_id, hashed_lc AS hashed_email, click_id,
        campaign_id, campaign_name, ad_group_id, ad_group_name, ad_id, ad_name, pin_id, ad_account_id
      FROM t`);
  },
};
