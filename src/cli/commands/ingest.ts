import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { listAdvertiserIds } from '../../config/advertisers.js';
import { RefusedError } from '../../errors.js';
import { ingestEventsFile } from '../../ingest/events/ingestEvents.js';
import { globalOptions, printJson, withStore } from '../context.js';
import { terminalProgress } from '../progress.js';

export function registerIngest(program: Command): void {
  const ingest = program.command('ingest').description('load data into the database');
  ingest.command('events')
    .description('ingest site events: JSON Lines files, plain or .gz (SPEC §2.2)')
    .argument('<files...>', 'one or more JSONL files')
    .option('--rejects <file>', 'write every rejected line (line number and reason) to this JSONL file')
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], opts: { rejects?: string; json?: boolean }, cmd: Command) => {
      const summaries = await withStore(cmd, async (store) => {
        const chosen = globalOptions(cmd).advertiser;
        const ids = await listAdvertiserIds(store);
        if (chosen && !ids.includes(chosen)) throw new RefusedError(`unknown advertiser "${chosen}"; create it with: touchline init --config FILE`);
        if (ids.length === 0) throw new RefusedError('the database holds no advertiser yet; create one with: touchline init --config FILE');
        const defaultAdvertiser = chosen ?? (ids.length === 1 ? ids[0] : null);
        const results = [];
        for (const file of files) {
          const progress = terminalProgress(file);
          try {
            results.push(await ingestEventsFile(store, file, defaultAdvertiser, { onProgress: progress.update, keepAllRejects: Boolean(opts.rejects) }));
          } finally {
            progress.done();
          }
        }
        return results;
      });
      if (opts.rejects) {
        const lines = summaries.flatMap((s) => s.rejects.map((r) => JSON.stringify({ file: s.file, line: r.line, reason: r.reason })));
        await writeFile(opts.rejects, lines.length ? `${lines.join('\n')}\n` : '');
      }
      if (opts.json) printJson(summaries);
      for (const s of summaries) {
        if (!opts.json) {
          process.stdout.write(`${s.file}: ${s.lines.toLocaleString('en-US')} lines: ${s.accepted.toLocaleString('en-US')} accepted, ` +
            `${s.duplicates.toLocaleString('en-US')} already stored, ${s.rejected.toLocaleString('en-US')} rejected\n`);
        }
        const shown = opts.rejects ? s.rejects.slice(0, 20) : s.rejects;
        for (const r of shown) process.stderr.write(`${s.file}:${r.line}: ${r.reason}\n`);
        if (s.rejected > shown.length) {
          process.stderr.write(`${s.file}: ... and ${(s.rejected - shown.length).toLocaleString('en-US')} more rejected lines` +
            `${opts.rejects ? ` (all in ${opts.rejects})` : ' (use --rejects FILE to list them all)'}\n`);
        }
      }
      // Some lines were bad input: the good lines are stored, and scripts learn of it from exit status 2.
      if (summaries.some((s) => s.rejected > 0)) process.exitCode = 2;
    });
}
