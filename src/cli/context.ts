import { Command } from 'commander';
import { RefusedError } from '../errors.js';
import { Store, resolveDbPath } from '../store/db.js';
import { resolveAdvertiser } from '../config/advertisers.js';
import type { Advertiser } from '../config/schema.js';

/** Options every command accepts (see main.ts). */
export interface GlobalOptions { db?: string; advertiser?: string }

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Opens the store named by --db / TOUCHLINE_DB, runs fn, always closes. */
export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(resolveDbPath(globalOptions(cmd).db));
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** Opens the store and resolves --advertiser (optional when the database holds exactly one). */
export async function withAdvertiser<T>(
  cmd: Command, fn: (store: Store, advertiser: Advertiser) => Promise<T>,
): Promise<T> {
  return withStore(cmd, async (store) => fn(store, await resolveAdvertiser(store, globalOptions(cmd).advertiser)));
}

/** Parses a YYYY-MM-DD option or refuses naming it. */
export function parseDateOption(name: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new RefusedError(`--${name} must be a date as YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/** Writes JSON for scripts. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
