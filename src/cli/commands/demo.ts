import type { Command } from 'commander';
import type { ChannelTotals } from '../../reports/channelSummary.js';
import { renderTable } from '../../reports/table.js';
import { printJson } from '../context.js';
import { terminalProgress } from '../progress.js';

const MODELS = [['first touch', 'first_touch'], ['last touch', 'last_touch'], ['even', 'even'], ['normalized', 'normalized']] as const;

export function registerDemo(program: Command): void {
  program.command('demo')
    .description('generate a realistic advertiser (about 50k persons over 90 days, with a Pinterest feed), run it end to end and show what each model credits')
    .option('--dir <dir>', 'folder for the generated files and the demo database (replaced on each run)', 'touchline-demo')
    .option('--persons <n>', 'number of persons to generate', (v) => Number.parseInt(v, 10), 50_000)
    .option('--seed <n>', 'random seed (same seed, same data)', (v) => Number.parseInt(v, 10), 42)
    .option('--no-pinterest', 'skip the Pinterest integration (tag check, feed, daily report)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { dir: string; persons: number; seed: number; pinterest: boolean; json?: boolean }) => {
      const { runDemo } = await import('../../demo/run.js');
      const progress = terminalProgress('demo');
      const result = await runDemo({ ...opts, onProgress: progress.update }).finally(() => progress.done());
      if (opts.json) {
        printJson(result);
        return;
      }
      const out = process.stdout;
      const [base, pin] = result.segments;
      out.write(`Acme Outdoor (demo): ${result.persons.toLocaleString('en-US')} persons, ${result.ingest.accepted.toLocaleString('en-US')} site events ingested; ` +
        `${Math.round(base.total.even).toLocaleString('en-US')} purchases (after order dedupe) worth $${money(base.total.revenue_even)} from ${result.from} to ${result.to} (New York time)\n\n`);
      const rows = [...base.channels, base.total];
      out.write(`Purchases credited per channel, by model (segment "${base.name}")\n`);
      out.write(renderTable(['channel', ...MODELS.map(([label]) => label)], rows.map((r) => [r.channel, ...MODELS.map(([, k]) => count(r[k]))])));
      out.write(`\nRevenue credited per channel, by model (USD, segment "${base.name}")\n`);
      out.write(renderTable(['channel', ...MODELS.map(([label]) => label)], rows.map((r) => [r.channel, ...MODELS.map(([, k]) => money(r[`revenue_${k}`]))])));

      if ('skipped' in result.pinterest) {
        out.write(`\nPinterest integration: skipped: ${result.pinterest.skipped}\n`);
      } else {
        const p = result.pinterest;
        out.write(`\nPinterest view-through integration\n`);
        out.write(`  tag check   ${p.tag_check.status} on ${p.tag_check.url} (tag id ${p.tag_check.tag_id}), headless Chromium\n`);
        out.write(`  enabled     consent by ${p.enabled.consent_by}; activated ${p.enabled.activated_at}; first feed ${p.enabled.first_feed_date}\n`);
        out.write(`  feed        ${p.feed.files} daily files, ${p.feed.accepted.toLocaleString('en-US')} rows (views, engagements, clicks), ` +
          `${pct(p.feed.matched, p.feed.accepted)} matched to site visitors\n`);
        out.write(`  report      ${p.report.rows} rows for ${p.report.date} written to ${p.report.path}\n`);
      }
      if (pin) {
        out.write(`\nWhat paid Pinterest is credited with once views and engagements count\n`);
        out.write(renderTable(
          ['model', `purchases: ${base.name}`, pin.name, 'change', `revenue: ${base.name}`, pin.name],
          MODELS.map(([label, k]) => [label, count(base.pinterest[k]), count(pin.pinterest[k]), change(base.pinterest[k], pin.pinterest[k]),
            money(base.pinterest[`revenue_${k}`]), money(pin.pinterest[`revenue_${k}`])]),
        ));
        out.write(`\nPurchases per channel, both segments side by side (even and normalized models)\n`);
        const pinByChannel = new Map(pin.channels.map((c) => [c.channel, c]));
        const zero = { even: 0, normalized: 0 } as ChannelTotals;
        out.write(renderTable(
          ['channel', `even: ${base.name}`, pin.name, `normalized: ${base.name}`, pin.name],
          [...base.channels, base.total].map((c) => {
            const other = c.channel === 'Total' ? pin.total : pinByChannel.get(c.channel) ?? zero;
            return [c.channel, count(c.even), count(other.even), count(c.normalized), count(other.normalized)];
          }),
        ));
        out.write(`\nThe "${pin.name}" segment is restricted data: it is reported only in aggregate and is not available as a shared warehousing dataset.\n`);
      }
      const t = result.timings;
      const total = Object.values(t).reduce((a, b) => a + b, 0);
      out.write(`\nTook ${(total / 1000).toFixed(1)} s (${Object.entries(t).map(([k, v]) => `${k} ${v} ms`).join(', ')}).\n`);
      out.write(`Explore it:  bin/touchline --db ${result.db} report buckets --segment Purchase --from ${result.from} --to ${result.to}\n`);
    });
}

function count(x: number): string { return x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }); }
function money(x: number): string { return x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
function pct(a: number, b: number): string { return b === 0 ? '0%' : `${((100 * a) / b).toFixed(1)}%`; }
function change(from: number, to: number): string { return from === 0 ? '—' : `${to >= from ? '+' : ''}${((100 * (to - from)) / from).toFixed(1)}%`; }
