import { createHash } from 'node:crypto';
import { RefusedError } from '../errors.js';
import type { Store } from '../store/db.js';
import type { Advertiser } from './schema.js';

/** A fingerprint of what changes attribution results (anything but the display name). */
export function attributionFingerprint(adv: Advertiser): string {
  const { name: _name, ...rest } = adv;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/** A fingerprint of the mapping rules alone: site touchpoints are rebuilt when it changes. */
export function rulesFingerprint(adv: Advertiser): string {
  return createHash('sha256').update(JSON.stringify(adv.rules)).digest('hex').slice(0, 16);
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

/** Creates or updates an advertiser; bumps its data version when results may change. */
export async function saveAdvertiser(store: Store, adv: Advertiser): Promise<SaveOutcome> {
  const existing = await getAdvertiser(store, adv.id);
  const json = JSON.stringify(adv);
  if (!existing) {
    await store.run(
      `INSERT INTO advertisers (id, name, timezone, currency, config) VALUES (?, ?, ?, ?, ?)`,
      [adv.id, adv.name, adv.timezone, adv.currency, json],
    );
    return 'created';
  }
  if (JSON.stringify(existing) === json) return 'unchanged';
  const changesResults = attributionFingerprint(existing) !== attributionFingerprint(adv);
  await store.run(
    `UPDATE advertisers SET name = ?, timezone = ?, currency = ?, config = ?, updated_at = now(),
       data_version = data_version + ? WHERE id = ?`,
    [adv.name, adv.timezone, adv.currency, json, changesResults ? 1 : 0, adv.id],
  );
  return 'updated';
}

export async function getAdvertiser(store: Store, id: string): Promise<Advertiser | undefined> {
  const row = await store.one<{ config: string }>(`SELECT config::VARCHAR AS config FROM advertisers WHERE id = ?`, [id]);
  return row ? (JSON.parse(row.config) as Advertiser) : undefined;
}

export async function listAdvertiserIds(store: Store): Promise<string[]> {
  const rows = await store.all<{ id: string }>(`SELECT id FROM advertisers ORDER BY id`);
  return rows.map((r) => r.id);
}

/** --advertiser when given; else the only advertiser in the database; else a refusal saying why. */
export async function resolveAdvertiser(store: Store, id?: string): Promise<Advertiser> {
  if (id) {
    const adv = await getAdvertiser(store, id);
    if (!adv) throw new RefusedError(`unknown advertiser "${id}"; create it with: touchline init --config FILE`);
    return adv;
  }
  const ids = await listAdvertiserIds(store);
  if (ids.length === 0) throw new RefusedError('the database holds no advertiser yet; create one with: touchline init --config FILE');
  if (ids.length > 1) throw new RefusedError(`the database holds several advertisers (${ids.join(', ')}); choose one with --advertiser ID`);
  return (await getAdvertiser(store, ids[0]))!;
}

/** Marks an advertiser's results stale (new data arrived). */
export async function bumpDataVersion(store: Store, id: string): Promise<void> {
  await store.run(`UPDATE advertisers SET data_version = data_version + 1 WHERE id = ?`, [id]);
}

export async function dataVersion(store: Store, id: string): Promise<number> {
  return Number(await store.scalar<bigint>(`SELECT data_version FROM advertisers WHERE id = ?`, [id]));
}
