import { Command, CommanderError } from 'commander';
import { RefusedError } from '../errors.js';
import '../integrations/index.js';
import { registerInit } from './commands/init.js';
import { registerIngest } from './commands/ingest.js';
import { registerReport } from './commands/report.js';
import { registerExport } from './commands/export.js';
import { registerDemo } from './commands/demo.js';
import { registerPinterest } from './commands/pinterest.js';

/** Builds the command tree; the commands only parse and print, the domain does the work. */
export function buildProgram(): Command {
  const program = new Command('touchline')
    .description('Multi-touch attribution with a Pinterest view-through integration')
    .option('--db <file>', 'database file (default: $TOUCHLINE_DB, else ./touchline.duckdb)')
    .option('--advertiser <id>', 'advertiser id (may be omitted when the database holds one)')
    .showHelpAfterError()
    .exitOverride();
  registerInit(program);
  registerIngest(program);
  registerReport(program);
  registerExport(program);
  registerPinterest(program);
  registerDemo(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
      return 2; // commander already printed the usage error
    }
    if (err instanceof RefusedError) {
      process.stderr.write(`touchline: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`touchline: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.TOUCHLINE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
