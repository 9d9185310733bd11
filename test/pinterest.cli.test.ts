import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pinterestStatusSection } from '../src/cli/commands/pinterestLifecycle.js';
import { buildProgram } from '../src/cli/main.js';
import { saveAdvertiser } from '../src/config/advertisers.js';
import { parseConfigOrRefuse } from '../src/config/load.js';
import { RefusedError } from '../src/errors.js';
import { saveVerification } from '../src/integrations/pinterest/tagVerification/store.js';
import { Store } from '../src/store/db.js';

const TAG = '2612345678901';
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'touchline-pin-cli-'));
  db = join(dir, 'cli.duckdb');
  const store = await Store.open(db);
  await saveAdvertiser(store, parseConfigOrRefuse({ id: 'acme', timezone: 'America/New_York' }, 'test'));
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `touchline --db DB pinterest ...args` in-process; returns stdout, stderr and the exit code set. */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined; error?: Error }> {
  const program = buildProgram(); // the real command tree, with the integration registered as at start-up
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  process.exitCode = undefined;
  let error: Error | undefined;
  try {
    await program.parseAsync(['node', 'touchline', '--db', db, 'pinterest', ...args]);
  } catch (e) {
    error = e as Error;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined;
  process.exitCode = undefined;
  return { stdout, stderr, exitCode, error };
}

describe('pinterest lifecycle commands', () => {
  it('enable is refused (exit 2) without a verification; then enable, ingest-feed, send-report, status, disable', async () => {
    const refused = await cli('enable', '--tag-id', TAG, '--consent-by', 'Ann');
    expect(refused.error).toBeInstanceOf(RefusedError);
    expect(refused.error!.message).toMatch(/no tag verification on record/);

    const store = await Store.open(db);
    await saveVerification(store, { advertiser: 'acme', verified_at: '2026-11-01T00:00:00.000Z', expected_tag_id: TAG, passed: true,
      pages: [{ url: 'https://shop.example/', status: 'ok', tag_id: TAG, tag_ids_seen: [TAG], http_status: 200, final_url: null, elapsed_ms: 1, reason: null, advice: null }] });
    store.close();

    const enabled = await cli('enable', '--tag-id', TAG, '--consent-by', 'Ann Marketer', '--at', '2026-11-03T23:30:00-05:00');
    expect(enabled.error).toBeUndefined();
    expect(enabled.stdout).toMatch(/first feed: 2026-11-04/);
    expect(enabled.stdout).toMatch(/segment: {4}"Purchase - Pinterest"/);

    const feed = join(dir, 'feed.csv');
    writeFileSync(feed, 'event_time,action_type,external_id,campaign_id,ad_group_id,ad_id,device\n2026-11-04T10:00:00Z,impression,x1,1,2,3,ios\n2026-11-04T10:00:00Z,wink,x1,1,2,3,ios\n');
    const ingested = await cli('ingest-feed', feed, '--date', '2026-11-04', '--max-bad-share', '0.5', '--json');
    expect(ingested.exitCode).toBe(2); // a row was rejected; the rest is stored
    expect(JSON.parse(ingested.stdout)).toMatchObject({ rows: 2, accepted: 1, rejected: 1, rejects_path: `${feed}.rejects.csv` });
    expect(ingested.stderr).toMatch(/warning: ignored unknown column: device/);
    expect(readFileSync(`${feed}.rejects.csv`, 'utf8')).toMatch(/^line,reason\n3,"action_type: unknown ""wink""/);

    const tooBad = await cli('ingest-feed', feed, '--date', '2026-11-04');
    expect(tooBad.error).toBeInstanceOf(RefusedError);
    const badShare = await cli('ingest-feed', feed, '--date', '2026-11-04', '--max-bad-share', '2');
    expect(badShare.error?.message).toMatch(/share between 0 and 1/);

    const sent = await cli('send-report', '--date', '2026-11-04', '--to', `dir:${join(dir, 'out')}`);
    expect(sent.error).toBeUndefined();
    expect(sent.stdout).toMatch(/report for 2026-11-04: delivered to .*buckets_breakdown_2026-11-04.csv \(0 rows, 1 attempt/);
    const again = await cli('send-report', '--date', '2026-11-04', '--to', `dir:${join(dir, 'out')}`);
    expect(again.stdout).toMatch(/unchanged .*; not sent/);

    const s = await Store.open(db);
    try {
      const adv = parseConfigOrRefuse({ id: 'acme', timezone: 'America/New_York' }, 'test');
      const section = await pinterestStatusSection(s, adv);
      expect(section.key).toBe('integration');
      expect(section.value).toMatchObject({ enabled: true, first_feed_date: '2026-11-04' });
      expect(section.value.days[0]).toMatchObject({ date: '2026-11-04', status: 'received', rows: 1, rejects: 1 });
      expect(section.lines.join('\n')).toMatch(/Daily reports \(latest first\):\n {2}2026-11-04 → dir:/);
    } finally {
      s.close();
    }

    const disabled = await cli('disable', '--by', 'Carl');
    expect(disabled.stdout).toMatch(/is disabled for acme/);
    const afterDisable = await cli('send-report', '--date', '2026-11-04', '--to', `dir:${join(dir, 'out')}`);
    expect(afterDisable.error).toBeInstanceOf(RefusedError);
  });
});
