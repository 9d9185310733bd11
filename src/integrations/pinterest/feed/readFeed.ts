import { RefusedError } from '../../../errors.js';
import type { PipelineStep } from '../../../ingest/pipeline.js';
import { sqlString } from '../../../store/db.js';
import { readWholeFile } from '../../../ingest/gzipCheck.js';
import { fileLines } from '../../../ingest/lineReader.js';
import { FEED_COLUMNS, MATCH_KEYS, REQUIRED_COLUMNS, type FeedColumn } from './columns.js';
import type { FeedIngestContext } from './context.js';

/**
 * Step 1: streams the file (plain or gzip) into `_feed_lines(line_no, line)` with DuckDB's CSV reader
 * set to take each whole line as one value, so a file of any size is read without holding it in memory
 * and every row keeps its line number. Blank lines are skipped (and still counted).
 * Then decides the format (by extension, else by the first line: `{` = JSON Lines) and, for CSV,
 * reads the header: required columns must be present; unknown columns give one warning.
 */
export const readFeed: PipelineStep<FeedIngestContext> = {
  name: 'reading',
  phase: 'stage',
  async run(store, ctx) {
    await readWholeFile(ctx.file, async () => {
      await store.run(`CREATE OR REPLACE TEMP TABLE _feed_lines AS
        SELECT line_no, CASE WHEN ends_with(line, chr(13)) THEN line[:-2] ELSE line END AS line FROM (
          SELECT row_number() OVER () AS line_no, line
          FROM ${fileLines(ctx.file)}
        ) WHERE line IS NOT NULL AND regexp_matches(line, '[^\\s]')`);
    });
    const first = await store.one<{ line_no: bigint; line: string }>(`SELECT line_no, line FROM _feed_lines ORDER BY line_no LIMIT 1`);
    const firstText = first ? first.line.replace(/^\uFEFF/, '').trimStart() : '';
    const name = ctx.file.toLowerCase().replace(/\.(gz|gzip)$/, '');
    ctx.format = /\.(jsonl|ndjson|json)$/.test(name) ? 'jsonl'
      : /\.(csv|tsv|txt)$/.test(name) ? 'csv'
      : firstText.startsWith('{') ? 'jsonl' : 'csv';
    ctx.summary.format = ctx.format;

    if (ctx.format === 'jsonl') {
      ctx.headerLine = 0;
      ctx.positions = Object.fromEntries(FEED_COLUMNS.map((c, i) => [c, i + 1]));
      const keys = await store.all<{ key: string }>(`SELECT DISTINCT unnest(json_keys(line)) AS key FROM _feed_lines
        WHERE json_valid(line) AND json_type(line) = 'OBJECT' ORDER BY 1`);
      warnUnknown(ctx, keys.map((k) => k.key));
      return;
    }

    if (!first) throw new RefusedError(`${ctx.file}: the file is empty; a CSV feed needs a header line (${REQUIRED_COLUMNS.join(', ')}, ...)`);
    ctx.headerLine = Number(first.line_no);
    ctx.delimiter = chooseDelimiter(firstText);
    const header = splitCsvLine(firstText, ctx.delimiter).map((h) => h.trim().toLowerCase());
    ctx.header = header;
    const seen = new Set<string>();
    const dup = header.filter((h) => h !== '' && (seen.has(h) || !seen.add(h)));
    if (dup.length > 0) throw new RefusedError(`${ctx.file}: the header names ${[...new Set(dup)].join(', ')} more than once; nothing was stored`);
    const positions: Partial<Record<FeedColumn, number>> = {};
    header.forEach((h, i) => {
      if ((FEED_COLUMNS as readonly string[]).includes(h)) positions[h as FeedColumn] = i + 1;
    });
    ctx.positions = positions;
    const missing = REQUIRED_COLUMNS.filter((c) => positions[c] === undefined);
    const problems: string[] = [];
    if (missing.length > 0) problems.push(`missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    if (!MATCH_KEYS.some((k) => positions[k] !== undefined)) problems.push(`no match key column (at least one of ${MATCH_KEYS.join(', ')})`);
    if (problems.length > 0) {
      throw new RefusedError(`${ctx.file}: not a Pinterest feed: ${problems.join('; ')}; the header (line ${ctx.headerLine}) has: ` +
        `${header.join(', ') || '(nothing)'}; nothing was stored`);
    }
    warnUnknown(ctx, header.filter((h) => h !== ''));
  },
};

function warnUnknown(ctx: FeedIngestContext, names: string[]): void {
  const unknown = names.filter((n) => !(FEED_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    ctx.summary.warnings.push(`ignored unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  }
}

/** Comma, unless the header has none and has tabs or semicolons instead. */
function chooseDelimiter(header: string): string {
  if (header.includes(',')) return ',';
  if (header.includes('\t')) return '\t';
  if (header.includes(';')) return ';';
  return ',';
}

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside quotes). */
export function splitCsvLine(line: string, delimiter = ','): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}
