import type { Command } from 'commander';
import { renderTable } from '../../reports/table.js';
import { printJson } from '../context.js';
import { terminalProgress } from '../progress.js';

export function registerDemo(program: Command): void {
  program.command('demo')
    .description('generate a realistic advertiser (about 50k persons over 90 days), ingest it into a fresh database and show what each model credits')
    .option('--dir <dir>', 'folder for the generated files and the demo database (replaced on each run)', 'touchline-demo')
    .option('--persons <n>', 'number of persons to generate', (v) => Number.parseInt(v, 10), 50_000)
    .option('--seed <n>', 'random seed (same seed, same data)', (v) => Number.parseInt(v, 10), 42)
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { dir: string; persons: number; seed: number; json?: boolean }) => {
      const { runDemo } = await import('../../demo/run.js');
      const progress = terminalProgress('demo');
      const result = await runDemo({ ...opts, onProgress: progress.update }).finally(() => progress.done());
      if (opts.json) {
        printJson(result);
        return;
      }
      const out = process.stdout;
      out.write(`Acme Outdoor (demo): ${result.persons.toLocaleString('en-US')} persons, ${result.ingest.accepted.toLocaleString('en-US')} site events ingested; ` +
        `${Math.round(result.total.even).toLocaleString('en-US')} purchases (after order dedupe) worth $${money(result.total.revenue_even)} from ${result.from} to ${result.to} (New York time)\n\n`);
      out.write('Purchases credited per channel, by model\n');
      const rows = [...result.channels, result.total];
      out.write(renderTable(
        ['channel', 'first touch', 'last touch', 'even', 'normalized'],
        rows.map((r) => [r.channel, round1(r.first_touch), round1(r.last_touch), round1(r.even), round1(r.normalized)]),
      ));
      out.write('\nRevenue credited per channel, by model (USD)\n');
      out.write(renderTable(
        ['channel', 'first touch', 'last touch', 'even', 'normalized'],
        rows.map((r) => [r.channel, money(r.revenue_first_touch), money(r.revenue_last_touch), money(r.revenue_even), money(r.revenue_normalized)]),
      ));
      const t = result.timings;
      out.write(`\nTook ${((t.generate + t.ingest + t.attribute + t.report) / 1000).toFixed(1)} s (generate ${t.generate} ms, ingest ${t.ingest} ms, attribute ${t.attribute} ms, report ${t.report} ms).\n`);
      out.write(`Explore it:  bin/touchline --db ${result.db} report buckets --segment Purchase --from ${result.from} --to ${result.to}\n`);
    });
}

function round1(x: number): string { return x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }); }
function money(x: number): string { return x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
