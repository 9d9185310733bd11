import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIN, GOOGLE, TEST_RULES } from './support/world.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'touchline');
let dir: string;
let db: string;

async function touchline(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(BIN, ['--db', db, ...args], { cwd: dir, env: { ...process.env, TOUCHLINE_DB: '' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const lines = (objs: object[]) => objs.map((o) => JSON.stringify(o)).join('\n') + '\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'touchline-cli-'));
  db = join(dir, 'cli.duckdb');
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ id: 'acme', timezone: 'Nowhere/Land', windows_days: { click: -3 } }));
  writeFileSync(join(dir, 'broken.json'), '{ "id": "acme", ');
  writeFileSync(join(dir, 'acme.json'), JSON.stringify({ id: 'acme', name: 'Acme Outdoor', timezone: 'America/New_York', rules: TEST_RULES }));
  writeFileSync(join(dir, 'events.jsonl'), lines([
    { type: 'view', ts: '2026-11-03T10:00:00Z', uid: 'u1', url: PIN.replace('fall', '%3DSUM(A1)') },
    { type: 'view', ts: '2026-11-03T11:00:00Z', uid: 'u1', url: GOOGLE },
    { type: 'conversion', ts: '2026-11-03T12:00:00Z', uid: 'u1', action: 'purchase', order_id: 'o1', revenue: 90 },
    { type: 'conversion', ts: '2026-11-04T12:00:00Z', uid: 'u2', action: 'purchase', order_id: 'o2', revenue: 10 },
  ]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bin/touchline', () => {
  it('refuses an invalid config with exit 2, naming each field, and writes nothing', async () => {
    const bad = await touchline('init', '--config', 'bad.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('timezone: unknown IANA time zone "Nowhere/Land"');
    expect(bad.stderr).toContain('windows_days.click: must be 0 or more');
    const broken = await touchline('init', '--config', 'broken.json');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json: bad JSON/);
    expect(existsSync(db)).toBe(false);
  });

  it('creates an advertiser, ingests, reports CSV and JSON', async () => {
    expect((await touchline('init', '--config', 'acme.json')).code).toBe(0);
    const ingest = await touchline('ingest', 'events', 'events.jsonl');
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain('4 lines: 4 accepted, 0 already stored, 0 rejected');
    const csv = await touchline('report', 'buckets', '--segment', 'Purchase', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe([
      'date,segment,tier_1,tier_2,tier_3,tier_4,tier_5,platform,first_touch,last_touch,even,normalized,revenue_first_touch,revenue_last_touch,revenue_even,revenue_normalized',
      "2026-11-03,Purchase,Paid Search,Google,brand,,,google,0,1,0.5,0.5,0,90,45,45",
      "2026-11-03,Purchase,Paid Social,Pinterest,'=SUM(A1),,,pinterest,1,0,0.5,0.5,90,0,45,45",
      '2026-11-04,Purchase,Direct,,,,,,1,1,1,1,10,10,10,10',
      '',
    ].join('\n'));
    const json = await touchline('report', 'buckets', '--segment', 'Purchase', '--from', '2026-11-04', '--to', '2026-11-04', '--format', 'json');
    expect(JSON.parse(json.stdout)).toEqual([{
      date: '2026-11-04', segment: 'Purchase', tier_1: 'Direct', tier_2: '', tier_3: '', tier_4: '', tier_5: '', platform: '',
      first_touch: 1, last_touch: 1, even: 1, normalized: 1, revenue_first_touch: 10, revenue_last_touch: 10, revenue_even: 10, revenue_normalized: 10,
    }]);
  });

  it('exits 2 with the reason for bad lines, unknown segments and bad dates', async () => {
    writeFileSync(join(dir, 'some-bad.jsonl'), lines([{ type: 'view', ts: 'yesterday', uid: 'u', url: PIN }]));
    const ingest = await touchline('ingest', 'events', 'some-bad.jsonl');
    expect(ingest.code).toBe(2);
    expect(ingest.stderr).toContain('some-bad.jsonl:1: ts: must be ISO-8601');
    const seg = await touchline('report', 'buckets', '--segment', 'Nope', '--from', '2026-11-01', '--to', '2026-11-30');
    expect(seg.code).toBe(2);
    expect(seg.stderr).toContain('unknown segment "Nope"');
    const date = await touchline('report', 'buckets', '--segment', 'Purchase', '--from', '11/01/2026', '--to', '2026-11-30');
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('--from must be a date as YYYY-MM-DD');
  });

  it('writes every rejected line to --rejects and a report to --out', async () => {
    writeFileSync(join(dir, 'mixed.jsonl'), lines([
      { type: 'view', ts: '2026-11-05T10:00:00Z', uid: 'm1', url: PIN },
      { type: 'view', ts: 'soon', uid: 'm2', url: PIN },
      { type: 'conversion', ts: '2026-11-05T10:00:00Z', uid: 'm3', action: 'purchase', revenue: -5 },
    ]));
    const r = await touchline('ingest', 'events', 'mixed.jsonl', '--rejects', 'rejects.jsonl');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('3 lines: 1 accepted, 0 already stored, 2 rejected');
    expect(readFileSync(join(dir, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { file: 'mixed.jsonl', line: 2, reason: 'ts: must be ISO-8601 with an offset (e.g. 2026-11-03T10:00:00Z) or Unix epoch milliseconds as a number' },
      { file: 'mixed.jsonl', line: 3, reason: 'revenue: must be 0 or more' },
    ]);
    const out = join(dir, 'reports', 'nov.csv');
    const report = await touchline('report', 'buckets', '--segment', 'Purchase', '--from', '2026-11-01', '--to', '2026-11-30', '--out', out);
    expect(report.code).toBe(0);
    expect(report.stdout).toBe('');
    const csv = readFileSync(out, 'utf8');
    const json = await touchline('report', 'buckets', '--segment', 'Purchase', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json');
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(csv.split('\n')[0]).toBe(Object.keys(rows[0]).join(','));
    expect(csv.trim().split('\n')).toHaveLength(rows.length + 1);
    expect(readdirSync(join(dir, 'reports'))).toEqual(['nov.csv']); // no temporary file left behind
  });

  it('exports base-segment datasets partitioned by date, and refuses the Pinterest segment before writing', async () => {
    const out = join(dir, 'wh');
    for (const dataset of ['conversions', 'touchpoints', 'log_mta', 'buckets_breakdown']) {
      const r = await touchline('export', '--dataset', dataset, '--segment', 'Purchase', '--from', '2026-11-01', '--to', '2026-11-30', '--out', out);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readdirSync(join(out, 'log_mta')).sort()).toEqual(['date=2026-11-03', 'date=2026-11-04']);
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const rows = (await conn.runAndReadAll(`SELECT tier_1, first_touch, even, revenue_even FROM read_parquet('${out}/log_mta/*/*.parquet', hive_partitioning = true) ORDER BY tier_1`)).getRowObjectsJS();
    expect(rows).toEqual([
      { tier_1: 'Direct', first_touch: 1, even: 1, revenue_even: 10 },
      { tier_1: 'Paid Search', first_touch: 0, even: 0.5, revenue_even: 45 },
      { tier_1: 'Paid Social', first_touch: 1, even: 0.5, revenue_even: 45 },
    ]);
    const conversions = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, sum(revenue) AS r FROM read_parquet('${out}/conversions/*/*.parquet')`)).getRowObjectsJS();
    expect(conversions).toEqual([{ n: 2, r: 100 }]);
    conn.closeSync();

    const csvOut = join(dir, 'whcsv');
    expect((await touchline('export', '--dataset', 'buckets_breakdown', '--segment', 'Purchase', '--from', '2026-11-01', '--to', '2026-11-30', '--out', csvOut, '--format', 'csv')).code).toBe(0);
    expect(readFileSync(join(csvOut, 'buckets_breakdown', 'date=2026-11-04', readdirSync(join(csvOut, 'buckets_breakdown', 'date=2026-11-04'))[0]), 'utf8')).toContain('Direct');

    const refused = join(dir, 'refused');
    const pin = await touchline('export', '--dataset', 'log_mta', '--segment', 'Purchase - Pinterest', '--from', '2026-11-01', '--to', '2026-11-30', '--out', refused);
    expect(pin.code).toBe(2);
    expect(pin.stderr).toContain('is not available as a shared warehousing dataset');
    const feed = await touchline('export', '--dataset', 'pinterest_feed', '--segment', 'Purchase', '--from', '2026-11-01', '--to', '2026-11-30', '--out', refused);
    expect(feed.code).toBe(2);
    expect(feed.stderr).toContain('is not available as a shared warehousing dataset');
    expect(existsSync(refused)).toBe(false);
  });

  it('has --help on every command', async () => {
    for (const args of [['--help'], ['init', '--help'], ['ingest', 'events', '--help'], ['report', 'buckets', '--help'], ['export', '--help'], ['demo', '--help']]) {
      const r = await touchline(...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: touchline/);
    }
  });
});
