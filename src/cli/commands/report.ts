import type { Command } from 'commander';
import { BUCKET_COLUMNS, bucketsBreakdown } from '../../reports/bucketsBreakdown.js';
import { toCsv } from '../../reports/csv.js';
import { renderTable } from '../../reports/table.js';
import { RefusedError } from '../../errors.js';
import { writeFileAtomic } from '../../store/files.js';
import { parseDateOption, withAdvertiser } from '../context.js';
import { terminalProgress } from '../progress.js';

export function registerReport(program: Command): void {
  const report = program.command('report').description('reports');
  report.command('buckets')
    .description('Buckets Breakdown for a segment and date range (SPEC §7.1)')
    .requiredOption('--segment <name>', 'segment, e.g. "Purchase" or "Purchase - Pinterest"')
    .requiredOption('--from <date>', 'first date, YYYY-MM-DD (advertiser timezone)')
    .requiredOption('--to <date>', 'last date, YYYY-MM-DD, inclusive')
    .option('--format <format>', 'csv or json (default: a table on a terminal, else csv)')
    .option('--out <file>', 'write to a file (atomically) instead of stdout')
    .action(async (opts: { segment: string; from: string; to: string; format?: string; out?: string }, cmd: Command) => {
      if (opts.format && !['csv', 'json'].includes(opts.format)) throw new RefusedError(`--format must be csv or json, got "${opts.format}"`);
      const query = { segment: opts.segment, from: parseDateOption('from', opts.from), to: parseDateOption('to', opts.to) };
      const progress = terminalProgress('report');
      const rows = await withAdvertiser(cmd, (store, adv) => bucketsBreakdown(store, adv, query, progress.update))
        .finally(() => progress.done());
      const format = opts.format ?? (opts.out || !process.stdout.isTTY ? 'csv' : 'table');
      const text = format === 'json'
        ? `${JSON.stringify(rows, null, 2)}\n`
        : format === 'csv'
          ? toCsv(BUCKET_COLUMNS, rows)
          : rows.length === 0
            ? `no conversions for "${opts.segment}" from ${opts.from} to ${opts.to}\n`
            : renderTable(BUCKET_COLUMNS.filter((c) => c !== 'segment'), rows.map((r) => BUCKET_COLUMNS.filter((c) => c !== 'segment').map((c) => r[c])));
      if (opts.out) await writeFileAtomic(opts.out, text);
      else process.stdout.write(text);
    });
}
