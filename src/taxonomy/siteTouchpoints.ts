import type { Advertiser } from '../config/schema.js';
import { rulesFingerprint } from '../config/advertisers.js';
import { sqlString, type Store } from '../store/db.js';
import { compileRulesQuery } from './compileRules.js';

/**
 * Maps the distinct pages (url, referrer) of a relation of views through the advertiser's rules into
 * temp table `table(url, referrer, tier_1..tier_5, platform)`; pages no rule keeps are left out.
 * Rules are evaluated once per page: far fewer than views (internal pages, shared landing URLs).
 */
export async function mapPages(store: Store, adv: Advertiser, viewsRelation: string, table: string): Promise<void> {
  await store.run(`CREATE OR REPLACE TEMP TABLE ${table} AS
    SELECT url, referrer, tier_1, tier_2, tier_3, tier_4, tier_5, platform
    FROM (${compileRulesQuery(adv.rules, `(SELECT DISTINCT url, coalesce(referrer, '') AS referrer FROM ${viewsRelation})`)})
    WHERE rule_index IS NOT NULL AND NOT excluded`);
}

/**
 * Keeps `site_touchpoints` in step with the events and the advertiser's mapping rules:
 * new views are mapped incrementally; a change of rules re-maps every view. Call inside a transaction.
 * `stagedPages` (from mapPages over the new views, e.g. while a file is staged) saves mapping them
 * again; it is used only when the rules have not changed. Returns how many views were mapped.
 */
export async function refreshSiteTouchpoints(store: Store, adv: Advertiser, stagedPages?: string): Promise<number> {
  const version = rulesFingerprint(adv);
  const state = await store.one<{ rules_version: string; mapped_through_seq: bigint }>(
    `SELECT rules_version, mapped_through_seq FROM touchpoint_state WHERE advertiser = ?`, [adv.id],
  );
  // Incremental unless the rules changed since the last mapping (no mapping yet: everything is new).
  const incremental = !state || state.rules_version === version;
  const fromSeq = incremental && state ? state.mapped_through_seq : 0n;
  if (!incremental) await store.run(`DELETE FROM site_touchpoints WHERE advertiser = ?`, [adv.id]);
  const maxSeq = BigInt(await store.scalar<bigint | null>(`SELECT coalesce(max(seq), 0) FROM events WHERE advertiser = ?`, [adv.id]) ?? 0n);
  if (state && incremental && maxSeq <= fromSeq) return 0;

  const id = sqlString(adv.id);
  const views = `FROM events WHERE advertiser = ${id} AND type = 'view' AND seq > ${fromSeq} AND seq <= ${maxSeq}`;
  const pages = incremental && stagedPages ? stagedPages : '_pages';
  if (pages === '_pages') await mapPages(store, adv, `(SELECT url, referrer ${views})`, '_pages');
  await store.run(`INSERT INTO tier_combos
    SELECT ${id}, (SELECT coalesce(max(combo_id), 0) FROM tier_combos WHERE advertiser = ${id})
                  + row_number() OVER (ORDER BY tier_1, tier_2, tier_3, tier_4, tier_5, platform),
           tier_1, tier_2, tier_3, tier_4, tier_5, platform
    FROM (SELECT DISTINCT tier_1, tier_2, tier_3, tier_4, tier_5, platform FROM ${pages}) m
    WHERE NOT EXISTS (SELECT 1 FROM tier_combos c WHERE c.advertiser = ${id}
      AND c.tier_1 = m.tier_1 AND c.tier_2 = m.tier_2 AND c.tier_3 = m.tier_3
      AND c.tier_4 = m.tier_4 AND c.tier_5 = m.tier_5 AND c.platform = m.platform)`);
  await store.run(`CREATE OR REPLACE TEMP TABLE _page_combo AS
    SELECT p.url, p.referrer, c.combo_id FROM ${pages} p JOIN tier_combos c
      ON c.advertiser = ${id} AND c.tier_1 = p.tier_1 AND c.tier_2 = p.tier_2 AND c.tier_3 = p.tier_3
     AND c.tier_4 = p.tier_4 AND c.tier_5 = p.tier_5 AND c.platform = p.platform`);
  const before = Number(await store.scalar<bigint>(`SELECT count(*) FROM site_touchpoints WHERE advertiser = ${id}`));
  await store.run(`INSERT INTO site_touchpoints
    SELECT ${id}, v.seq, v.ts, v.uid, p.combo_id
    FROM (SELECT seq, ts, uid, url, coalesce(referrer, '') AS referrer ${views}) v
    JOIN _page_combo p ON p.url = v.url AND p.referrer = v.referrer`);
  const mapped = Number(await store.scalar<bigint>(`SELECT count(*) FROM site_touchpoints WHERE advertiser = ${id}`)) - before;
  for (const table of [pages, '_page_combo']) await store.run(`DROP TABLE ${table}`);
  await store.run(`INSERT OR REPLACE INTO touchpoint_state VALUES (?, ?, ?)`, [adv.id, version, maxSeq]);
  return mapped;
}

/** The id of a tier combination, created when new (used for the Direct row and feed touchpoints). */
export async function comboId(store: Store, advertiser: string, tiers: [string, string, string, string, string], platform: string): Promise<number> {
  const find = async () => store.scalar<number | null>(
    `SELECT combo_id FROM tier_combos WHERE advertiser = ? AND tier_1 = ? AND tier_2 = ? AND tier_3 = ? AND tier_4 = ? AND tier_5 = ? AND platform = ?`,
    [advertiser, ...tiers, platform],
  );
  const existing = await find();
  if (existing !== null) return existing;
  await store.run(
    `INSERT INTO tier_combos SELECT ?, (SELECT coalesce(max(combo_id), 0) + 1 FROM tier_combos WHERE advertiser = ?), ?, ?, ?, ?, ?, ?`,
    [advertiser, advertiser, ...tiers, platform],
  );
  return (await find())!;
}
