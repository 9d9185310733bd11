import { readColumns } from '../store/columns.js';
import { sqlString, type Store } from '../store/db.js';
import { UnionFind } from './unionFind.js';

/**
 * Identity resolution (SPEC §3). Identifiers are written `u:<uid>`, `x:<external_id>`, `e:<email sha256>`.
 * Any event carrying two or more of them links them; linked identifiers form one person, transitively.
 * Rewrites `identity_map(advertiser, ident, person)` for the advertiser; persons are numbered from 0
 * in order of their first identifier. Call inside a transaction. Returns the number of persons.
 */
export async function stitchIdentities(store: Store, advertiser: string): Promise<number> {
  const id = sqlString(advertiser);
  await store.run(`CREATE OR REPLACE TEMP TABLE _ids AS
    WITH raw AS (
      SELECT 'u:' || uid AS u, CASE WHEN external_id IS NOT NULL THEN 'x:' || external_id END AS x,
             CASE WHEN email_sha256 IS NOT NULL THEN 'e:' || email_sha256 END AS e
      FROM events WHERE advertiser = ${id} AND uid IS NOT NULL AND type = 'view'
      GROUP BY ALL
      UNION ALL
      SELECT CASE WHEN uid IS NOT NULL THEN 'u:' || uid END, CASE WHEN external_id IS NOT NULL THEN 'x:' || external_id END,
             CASE WHEN email_sha256 IS NOT NULL THEN 'e:' || email_sha256 END
      FROM events WHERE advertiser = ${id} AND type <> 'view'
    )
    SELECT DISTINCT u, x, e FROM raw`);
  await store.run(`CREATE OR REPLACE TEMP TABLE _ident AS
    SELECT ident, (row_number() OVER (ORDER BY ident) - 1)::INTEGER AS n FROM (
      SELECT u AS ident FROM _ids WHERE u IS NOT NULL UNION SELECT x FROM _ids WHERE x IS NOT NULL
      UNION SELECT e FROM _ids WHERE e IS NOT NULL)`);
  const count = Number(await store.scalar<bigint>(`SELECT count(*) FROM _ident`));
  const links = await readColumns(store.conn, `
    SELECT a.n AS a, b.n AS b FROM (
      SELECT u AS l, x AS r FROM _ids WHERE u IS NOT NULL AND x IS NOT NULL
      UNION SELECT u, e FROM _ids WHERE u IS NOT NULL AND e IS NOT NULL
      UNION SELECT x, e FROM _ids WHERE x IS NOT NULL AND e IS NOT NULL
    ) p JOIN _ident a ON a.ident = p.l JOIN _ident b ON b.ident = p.r`, { a: 'i32', b: 'i32' });
  const sets = new UnionFind(count);
  const { a, b } = links.columns;
  for (let i = 0; i < links.length; i++) sets.union(a[i], b[i]);

  // Persons numbered densely by their smallest identifier number.
  const person = new Int32Array(count);
  const numberOfRoot = new Int32Array(count).fill(-1);
  let persons = 0;
  for (let i = 0; i < count; i++) {
    const root = sets.find(i);
    if (numberOfRoot[root] < 0) numberOfRoot[root] = persons++;
    person[i] = numberOfRoot[root];
  }
  await store.run(`CREATE OR REPLACE TEMP TABLE _person (n INTEGER, person INTEGER)`);
  const appender = await store.conn.createAppender('_person', 'main', 'temp');
  for (let i = 0; i < count; i++) {
    appender.appendInteger(i);
    appender.appendInteger(person[i]);
    appender.endRow();
  }
  appender.closeSync();
  await store.run(`DELETE FROM identity_map WHERE advertiser = ${id}`);
  await store.run(`INSERT INTO identity_map SELECT ${id}, i.ident, p.person FROM _ident i JOIN _person p USING (n)`);
  for (const t of ['_ids', '_ident', '_person']) await store.run(`DROP TABLE ${t}`);
  return persons;
}
