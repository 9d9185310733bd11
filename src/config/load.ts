import { readFile } from 'node:fs/promises';
import { RefusedError } from '../errors.js';
import { parseAdvertiserConfig, type Advertiser } from './schema.js';

/** Reads and validates an advertiser config file; refuses with every problem named by field. */
export async function loadConfigFile(path: string): Promise<Advertiser> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new RefusedError(`${path}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RefusedError(`${path}: bad JSON: ${(err as Error).message}`);
  }
  return parseConfigOrRefuse(raw, path);
}

export function parseConfigOrRefuse(raw: unknown, source: string): Advertiser {
  const parsed = parseAdvertiserConfig(raw);
  if (!parsed.ok) {
    throw new RefusedError(`${source}: invalid advertiser config; nothing was written:\n  ${parsed.errors.join('\n  ')}`);
  }
  return parsed.advertiser;
}
