import type { Store } from './db.js';
import { coreSchema } from './schema/core.js';
import { pinterestSchema } from './schema/pinterest.js';

/** Every domain's tables, created idempotently when a database is opened. */
const schemas: readonly string[][] = [coreSchema, pinterestSchema];

export async function migrate(store: Store): Promise<void> {
  for (const statements of schemas) {
    for (const sql of statements) await store.run(sql);
  }
}
