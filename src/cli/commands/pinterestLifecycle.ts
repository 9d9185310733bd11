/**
 * `touchline pinterest enable | disable | ingest-feed | send-report` and the lifecycle part of
 * `pinterest status`. Thin: parse and print; the domain lives in src/integrations/pinterest/.
 * Heavy modules are imported inside the actions so that start-up stays fast.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { userInfo } from 'node:os';
import type { Advertiser } from '../../config/schema.js';
import type { PinterestStatus } from '../../integrations/pinterest/status.js';
import { formatPinterestStatus } from '../../integrations/pinterest/statusFormat.js';
import type { Store } from '../../store/db.js';
import { parseDateOption, printJson, withAdvertiser } from '../context.js';
import type { PinterestStatusSection } from './pinterest.js';

/** The environment variable read for the bearer token when --token is not given. */
export const TOKEN_ENV = 'TOUCHLINE_PINTEREST_TOKEN';

function share(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError('must be a share between 0 and 1, e.g. 0.05 for 5%');
  }
  return n;
}

function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

const n = (x: number) => x.toLocaleString('en-US');

export function registerPinterestLifecycle(pinterest: Command): void {
  pinterest.command('enable')
    .description('enable the Pinterest view-through integration (needs a passing tag verification and consent to the daily report)')
    .requiredOption('--tag-id <id>', 'your Pinterest tag id (checked against the latest tag verification)')
    .requiredOption('--consent-by <name>', 'who agrees, for the advertiser, that a daily Buckets Breakdown filtered to Pinterest is sent to Pinterest')
    .option('--at <iso>', 'when the integration was activated (ISO-8601 with offset; default: now)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { tagId: string; consentBy: string; at?: string; json?: boolean }, cmd: Command) => {
      const { enablePinterest } = await import('../../integrations/pinterest/lifecycle.js');
      const r = await withAdvertiser(cmd, (store, adv) => enablePinterest(store, adv, { tagId: opts.tagId, consentBy: opts.consentBy, at: opts.at }));
      if (opts.json) return printJson(r);
      if (!r.changed) {
        process.stdout.write(`The Pinterest integration is already enabled for ${r.advertiser} (since ${r.activated_at}, tag id ${r.tag_id}, ` +
          `consent by ${r.consent_by}); nothing changed.\n`);
        return;
      }
      process.stdout.write(`The Pinterest integration is ${r.resumed ? 'enabled again' : 'enabled'} for ${r.advertiser}.\n` +
        `  segment:    "${r.segment}" (the base segment is unchanged)\n` +
        `  activated:  ${r.activated_at}\n` +
        `  consent:    ${r.consent_by}, recorded ${r.consent_at}\n` +
        `  tag id:     ${r.tag_id}\n` +
        `  first feed: ${r.first_feed_date} (the first full day after activation)\n`);
    });

  pinterest.command('disable')
    .description('disable the integration: no more feed ingestion or daily reports; history stays readable')
    .option('--by <name>', 'who disables it (for the audit log; default: the system user)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { by?: string; json?: boolean }, cmd: Command) => {
      const { disablePinterest } = await import('../../integrations/pinterest/lifecycle.js');
      const r = await withAdvertiser(cmd, (store, adv) => disablePinterest(store, adv, { by: opts.by ?? whoAmI() }));
      if (opts.json) return printJson(r);
      process.stdout.write(r.changed
        ? `The Pinterest integration is disabled for ${r.advertiser} (at ${r.deactivated_at}): feed ingestion and daily reports stop; ` +
          'its segment, feeds and deliveries stay readable. Enable it again with: touchline pinterest enable --tag-id ID --consent-by NAME\n'
        : `The Pinterest integration was already disabled for ${r.advertiser} (at ${r.deactivated_at}); nothing changed.\n`);
    });

  pinterest.command('ingest-feed')
    .description("ingest one day's Pinterest log-level feed: CSV with header or JSON Lines, plain or .gz (SPEC §2.3)")
    .argument('<file>', 'the feed file')
    .requiredOption('--date <YYYY-MM-DD>', 'the day the feed is for (a second feed for the same day replaces the first)')
    .option('--rejects <file>', 'write every rejected row (line, reason) to this CSV file (default: <file>.rejects.csv when a row is rejected)')
    .option('--max-bad-share <share>', 'refuse the whole file when more than this share of rows is bad', share, 0.05)
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: { date: string; rejects?: string; maxBadShare: number; json?: boolean }, cmd: Command) => {
      const date = parseDateOption('date', opts.date);
      const { ingestFeed } = await import('../../integrations/pinterest/feed/ingestFeed.js');
      const { terminalProgress } = await import('../progress.js');
      const progress = terminalProgress(file);
      let s;
      try {
        s = await withAdvertiser(cmd, (store, adv) => ingestFeed(store, adv, file, date, {
          thresholdShare: opts.maxBadShare, rejectsPath: opts.rejects, onProgress: opts.json ? undefined : progress.update,
        }));
      } finally {
        progress.done();
      }
      for (const w of s.warnings) process.stderr.write(`${file}: warning: ${w}\n`);
      if (opts.json) printJson(s);
      else {
        process.stdout.write(`${file}: feed for ${s.date}: ${n(s.rows)} rows: ${n(s.accepted)} stored, ${n(s.rejected)} rejected; ` +
          `${n(s.matched)} match a site visitor so far, ${n(s.unmatched)} unmatched (they match when later site data arrives)` +
          `${s.replaced_rows > 0 ? `; replaced the ${n(s.replaced_rows)} rows of the earlier feed for ${s.date}` : ''}\n`);
        for (const r of s.rejects) process.stderr.write(`${file}:${r.line}: ${r.reason}\n`);
        if (s.rejected > s.rejects.length) process.stderr.write(`${file}: ... and ${n(s.rejected - s.rejects.length)} more rejected rows\n`);
        if (s.rejects_path && s.rejected > 0) process.stderr.write(`${file}: every rejected row is in ${s.rejects_path}\n`);
      }
      // Some rows were bad input: the good rows are stored, and scripts learn of it from exit status 2.
      if (s.rejected > 0) process.exitCode = 2;
    });

  pinterest.command('send-report')
    .description('send the daily Buckets Breakdown (Pinterest segment, platform pinterest) for a date to Pinterest (SPEC §7.2)')
    .requiredOption('--date <YYYY-MM-DD>', 'the report date (advertiser local date)')
    .requiredOption('--to <dest>', 'dir:PATH (writes PATH/<advertiser>/buckets_breakdown_<date>.csv) or an http(s):// URL (POST text/csv)')
    .option('--token <token>', `bearer token for an http(s) destination (default: $${TOKEN_ENV})`)
    .option('--json', 'print the result as JSON')
    .action(async (opts: { date: string; to: string; token?: string; json?: boolean }, cmd: Command) => {
      const date = parseDateOption('date', opts.date);
      const { sendDailyReport } = await import('../../integrations/pinterest/report/sendDailyReport.js');
      const r = await withAdvertiser(cmd, (store, adv) => sendDailyReport(store, adv, {
        date, to: opts.to, token: opts.token ?? (process.env[TOKEN_ENV] || undefined),
      }));
      if (opts.json) printJson(r);
      else if (r.status === 'unchanged') {
        process.stdout.write(`report for ${r.date}: unchanged since its delivery to ${r.destination}; not sent\n`);
      } else if (r.status === 'delivered') {
        process.stdout.write(`report for ${r.date}: ${r.resent_changed ? 'content changed since the last delivery; ' : ''}delivered to ` +
          `${r.path ?? r.destination} (${n(r.rows)} rows, ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}, sha256 ${r.sha256.slice(0, 12)}…)\n`);
      }
      if (r.status === 'failed') {
        if (!opts.json) process.stderr.write(`touchline: report for ${r.date} to ${r.destination} failed after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}: ${r.error}\n`);
        process.exitCode = 1;
      }
    });
}

/** The lifecycle part of `pinterest status`: the JSON value (key "integration") and the terminal lines. */
export async function pinterestStatusSection(store: Store, adv: Advertiser): Promise<{ key: 'integration'; value: PinterestStatus; lines: string[] }> {
  const { pinterestStatus } = await import('../../integrations/pinterest/status.js');
  const value = await pinterestStatus(store, adv);
  return { key: 'integration', value, lines: formatPinterestStatus(value) };
}

/** The same, shaped as a section of `statusSections` in pinterest.ts. */
export const pinterestIntegrationSection: PinterestStatusSection<PinterestStatus> = {
  key: 'integration',
  async load(store, adv) {
    const { pinterestStatus } = await import('../../integrations/pinterest/status.js');
    return pinterestStatus(store, adv);
  },
  render: formatPinterestStatus,
};
