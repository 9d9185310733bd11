import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveAdvertiser } from '../../src/config/advertisers.js';
import { parseConfigOrRefuse } from '../../src/config/load.js';
import type { Advertiser } from '../../src/config/schema.js';
import { ingestEventsFile } from '../../src/ingest/events/ingestEvents.js';
import { bucketsBreakdown, type BucketRow } from '../../src/reports/bucketsBreakdown.js';
import { Store } from '../../src/store/db.js';
import '../../src/integrations/index.js';

/** A throwaway folder with a real DuckDB file and one advertiser. */
export class World {
  private files = 0;
  private constructor(readonly dir: string, readonly store: Store, public adv: Advertiser) {}

  static async create(config: Record<string, unknown> = {}): Promise<World> {
    const dir = mkdtempSync(join(tmpdir(), 'touchline-test-'));
    const store = await Store.open(join(dir, 'test.duckdb'));
    const adv = parseConfigOrRefuse({ id: 'acme', ...config }, 'test config');
    await saveAdvertiser(store, adv);
    return new World(dir, store, adv);
  }

  /** Writes lines (objects are JSON-encoded) to a new file in the world's folder. */
  file(lines: (object | string)[], name = `events-${++this.files}.jsonl`): string {
    const path = join(this.dir, name);
    writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
    return path;
  }

  async ingest(lines: (object | string)[]) {
    return ingestEventsFile(this.store, this.file(lines), this.adv.id, { keepAllRejects: true });
  }

  async report(segment = this.adv.featured_conversion.name, from = '2020-01-01', to = '2030-12-31'): Promise<BucketRow[]> {
    return bucketsBreakdown(this.store, this.adv, { segment, from, to });
  }

  close(): void {
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Rules used by most tests: a paid Pinterest rule, an organic one, a search one, internal exclusion. */
export const TEST_RULES = [
  { name: 'Pinterest paid', priority: 100, when: { params: { utm_source: 'pinterest', utm_medium: '*' } },
    tiers: ['Paid Social', 'Pinterest', '{utm_campaign}', '{utm_content}', '{utm_term}'], platform: 'pinterest' },
  { name: 'Pinterest organic', priority: 20, when: { referrer_host: 'pinterest.com' }, tiers: ['Organic Social', 'Pinterest', '', '', ''], platform: 'pinterest_organic' },
  { name: 'Google paid', priority: 90, when: { params: { utm_source: 'google' } }, tiers: ['Paid Search', 'Google', '{utm_campaign}', '', ''] },
  { name: 'Internal', priority: 1000, exclude: true, when: { referrer_host: 'shop.example' } },
];

export const PIN = 'https://shop.example/p?utm_source=pinterest&utm_medium=paid_social&utm_campaign=fall';
export const GOOGLE = 'https://shop.example/p?utm_source=google&utm_campaign=brand';

/** A compact row view for assertions: "tier_1/tier_2/tier_3" → figures. */
export function byTiers(rows: BucketRow[]): Record<string, Pick<BucketRow, 'first_touch' | 'last_touch' | 'even' | 'normalized' | 'revenue_even'>> {
  const out: Record<string, Pick<BucketRow, 'first_touch' | 'last_touch' | 'even' | 'normalized' | 'revenue_even'>> = {};
  for (const r of rows) {
    const key = [r.tier_1, r.tier_2, r.tier_3].filter(Boolean).join('/');
    out[key] = { first_touch: r.first_touch, last_touch: r.last_touch, even: r.even, normalized: r.normalized, revenue_even: r.revenue_even };
  }
  return out;
}
