import { gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestEventsFile } from '../src/ingest/events/ingestEvents.js';
import { World, TEST_RULES, PIN } from './support/world.js';

let world: World | undefined;
afterEach(() => { world?.close(); world = undefined; });

const good = [
  { type: 'view', ts: '2026-11-03T10:00:00Z', uid: 'u1', event_id: 'ev-1', url: PIN, referrer: 'https://www.pinterest.com/' },
  { type: 'identify', ts: '2026-11-03T10:01:00+02:00', uid: 'u1', external_id: 'c-42', email: 'Ann@Example.com ' },
  { type: 'conversion', ts: 1793682300000, uid: 'u1', action: 'purchase', order_id: 'o-1', revenue: 120.5, currency: 'USD' },
];

async function count(w: World): Promise<number> {
  return Number(await w.store.scalar<bigint>('SELECT count(*) FROM events'));
}

describe('site event ingestion (SPEC §2.2)', () => {
  it('rejects bad lines with their number and reason and keeps the good ones', async () => {
    world = await World.create({ rules: TEST_RULES });
    const summary = await world.ingest([
      good[0],
      'not json',
      '[1,2]',
      { type: 'click', ts: '2026-11-03T10:00:00Z', uid: 'u' },
      { type: 'view', ts: '2026-11-03 10:00:00', uid: 'u', url: PIN },
      { type: 'view', ts: '2026-11-03T10:00:00Z', url: PIN },
      { type: 'view', ts: '2026-11-03T10:00:00Z', uid: 'u' },
      { type: 'identify', ts: '2026-11-03T10:00:00Z', uid: 'u' },
      { type: 'conversion', ts: '2026-11-03T10:00:00Z', action: 'purchase' },
      { type: 'conversion', ts: '2026-11-03T10:00:00Z', uid: 'u', action: 'purchase', revenue: -1 },
      { type: 'conversion', ts: '2026-11-03T10:00:00Z', uid: 'u', action: 'purchase', revenue: '12' },
      { type: 'conversion', ts: '2026-11-03T10:00:00Z', uid: 'u', action: 'purchase', currency: 'EUR' },
      { type: 'conversion', ts: '2026-11-03T10:00:00Z', uid: 'u' },
      { type: 'identify', ts: '2026-11-03T10:00:00Z', uid: 'u', email_sha256: 'abc' },
      { type: 'view', ts: '2026-11-03T10:00:00Z', uid: 'u', url: PIN, advertiser: 'nobody' },
      '',
      ' \t ',
      'rt',
      good[1],
    ]);
    expect(summary.rejects).toEqual([
      { line: 2, reason: 'not valid JSON' },
      { line: 3, reason: 'not a JSON object' },
      { line: 4, reason: 'type: must be "view", "identify" or "conversion", got "click"' },
      { line: 5, reason: 'ts: must be ISO-8601 with an offset (e.g. 2026-11-03T10:00:00Z) or Unix epoch milliseconds as a number' },
      { line: 6, reason: 'uid: required for a view' },
      { line: 7, reason: 'url: required for a view' },
      { line: 8, reason: 'identify needs at least one of external_id, email, email_sha256' },
      { line: 9, reason: 'conversion needs at least one of uid, external_id, email, email_sha256' },
      { line: 10, reason: 'revenue: must be 0 or more' },
      { line: 11, reason: 'revenue: must be a number' },
      { line: 12, reason: 'currency: "EUR" differs from the advertiser\'s currency "USD"' },
      { line: 13, reason: 'action: required for a conversion' },
      { line: 14, reason: 'email_sha256: must be 64 hexadecimal characters (SHA-256 of the trimmed, lower-cased email)' },
      { line: 15, reason: 'advertiser: unknown advertiser "nobody"' },
      { line: 18, reason: 'not valid JSON' }, // empty and whitespace-only lines are skipped but counted
    ]);
    expect(summary).toMatchObject({ lines: 17, accepted: 2, rejected: 15, duplicates: 0 });
    expect(await count(world)).toBe(2);
  });

  it('adds nothing when the same file is ingested twice, and dedupes repeats inside a file', async () => {
    world = await World.create({ rules: TEST_RULES });
    const file = world.file([...good, good[2]]);
    const first = await ingestEventsFile(world.store, file, 'acme');
    expect(first).toMatchObject({ lines: 4, accepted: 3, duplicates: 1 });
    const again = await ingestEventsFile(world.store, file, 'acme');
    expect(again).toMatchObject({ lines: 4, accepted: 0, duplicates: 4 });
    expect(await count(world)).toBe(3);
    // the same event_id with other content is the same event
    const sameId = await world.ingest([{ ...good[0], ts: '2026-11-04T10:00:00Z' }]);
    expect(sameId.accepted).toBe(0);
  });

  it('reads gzip files, and a truncated gzip stores nothing', async () => {
    world = await World.create({ rules: TEST_RULES });
    const plain = world.file(good);
    const gz = join(world.dir, 'events.jsonl.gz');
    const bytes = gzipSync(readFileSync(plain));
    writeFileSync(gz, bytes);
    expect((await ingestEventsFile(world.store, gz, 'acme')).accepted).toBe(3);

    const big = world.file(Array.from({ length: 5000 }, (_, i) => ({ ...good[0], event_id: `e${i}`, uid: `u${i}` })), 'big.jsonl');
    const truncated = join(world.dir, 'truncated.jsonl.gz');
    const whole = gzipSync(readFileSync(big));
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(ingestEventsFile(world.store, truncated, 'acme')).rejects.toThrow(/truncated\.jsonl\.gz: could not be read to its end; nothing of it was stored/);
    expect(await count(world)).toBe(3);
  });

  it('hashes emails on arrival and takes the epik click id from the URL', async () => {
    world = await World.create({ rules: TEST_RULES });
    await world.ingest([{ type: 'view', ts: '2026-11-03T10:00:00Z', uid: 'u', url: `${PIN}&epik=dj0yJnU9abc` }]);
    expect(await world.store.scalar('SELECT epik FROM events')).toBe('dj0yJnU9abc');
  });

  it('refuses a file that does not exist', async () => {
    world = await World.create();
    await expect(ingestEventsFile(world.store, join(world.dir, 'nope.jsonl'), 'acme')).rejects.toThrow(/nope\.jsonl: no such file/);
  });
});
