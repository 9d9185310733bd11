import { sqlString } from '../../store/db.js';
import { readWholeFile } from '../gzipCheck.js';
import { fileLines } from '../lineReader.js';
import type { PipelineStep } from '../pipeline.js';
import type { EventIngestContext } from './context.js';

/** The fields of a site event line (SPEC §2.2); `ts` and `revenue` stay JSON so their type can be checked. */
export const EVENT_FIELDS = [
  'type', 'ts', 'uid', 'event_id', 'url', 'referrer', 'epik', 'external_id', 'email', 'email_sha256',
  'action', 'order_id', 'revenue', 'currency', 'advertiser',
] as const;
const SHAPE = JSON.stringify(Object.fromEntries(EVENT_FIELDS.map((f) => [f, f === 'ts' || f === 'revenue' ? 'JSON' : 'VARCHAR'])));

/**
 * Step 1: streams the file (plain or gzip) through DuckDB's CSV reader set to take each whole line as
 * one value, so a file of any size is read without holding it in memory, numbers the lines, and
 * parses each JSON object once into a struct. Produces `_raw(line_no, is_object, blank, j)`:
 * `is_object` is NULL for text that is not JSON; `blank` marks whitespace-only lines (skipped).
 */
export const readLines: PipelineStep<EventIngestContext> = {
  name: 'reading',
  phase: 'stage',
  async run(store, ctx) {
    await readWholeFile(ctx.file, async () => {
      // The file's lines in file order (insertion order is preserved): a line's number is its rowid + 1.
      // (Cheaper than row_number() OVER (), which serialises the scan.)
      await store.run(`CREATE OR REPLACE TEMP TABLE _lines AS
        SELECT line FROM ${fileLines(ctx.file)}`);
      await store.run(`CREATE OR REPLACE TEMP TABLE _raw AS
        SELECT line_no, is_object,
               CASE WHEN is_object IS NULL THEN trim(line, ' ' || chr(9) || chr(13)) = '' ELSE false END AS blank,
               CASE WHEN is_object THEN json_transform(line, ${sqlString(SHAPE)}) END AS j
        FROM (
          SELECT rowid + 1 AS line_no, line, CASE WHEN json_valid(line) THEN starts_with(ltrim(line, ' ' || chr(9) || chr(13)), '{') END AS is_object
          FROM _lines WHERE line IS NOT NULL
        )`);
      await store.run('DROP TABLE _lines');
    });
  },
};
