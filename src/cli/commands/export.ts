import type { Command } from 'commander';
import { RefusedError } from '../../errors.js';
import { exportDataset } from '../../export/warehouse.js';
import { parseDateOption, withAdvertiser } from '../context.js';

export function registerExport(program: Command): void {
  program.command('export')
    .description('warehouse export of the base segment, partitioned by date (SPEC §7.3)')
    .requiredOption('--dataset <name>', 'conversions, touchpoints, log_mta or buckets_breakdown')
    .requiredOption('--segment <name>', 'the base segment, e.g. "Purchase"')
    .requiredOption('--from <date>', 'first date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last date, YYYY-MM-DD, inclusive')
    .requiredOption('--out <dir>', 'output folder; the dataset lands in OUT/<dataset>/date=YYYY-MM-DD/')
    .option('--format <format>', 'parquet or csv', 'parquet')
    .action(async (opts: { dataset: string; segment: string; from: string; to: string; out: string; format: string }, cmd: Command) => {
      if (opts.format !== 'parquet' && opts.format !== 'csv') throw new RefusedError(`--format must be parquet or csv, got "${opts.format}"`);
      const request = { ...opts, format: opts.format as 'parquet' | 'csv', from: parseDateOption('from', opts.from), to: parseDateOption('to', opts.to) };
      const result = await withAdvertiser(cmd, (store, adv) => exportDataset(store, adv, request));
      process.stdout.write(`${opts.dataset}: ${result.rows.toLocaleString('en-US')} rows over ${result.dates} dates written to ${result.dir}\n`);
    });
}
