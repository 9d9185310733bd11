import type { DuckDBConnection, DuckDBValue, DuckDBVector } from '@duckdb/node-api';

/** Column kinds read straight into typed arrays (fast path for the attribution engine). */
export type ColumnKind = 'i32' | 'f64' | 'str';
export type ColumnArrays<S extends Record<string, ColumnKind>> = {
  [K in keyof S]: S[K] extends 'i32' ? Int32Array : S[K] extends 'f64' ? Float64Array : (string | null)[];
};

/**
 * Runs `sql` and reads its columns (named as in `spec`, in that order) into typed arrays.
 * INTEGER columns must be declared i32, DOUBLE columns f64, VARCHAR columns str;
 * NULL numbers read as 0.
 */
export async function readColumns<S extends Record<string, ColumnKind>>(
  conn: DuckDBConnection, sql: string, spec: S,
): Promise<{ length: number; columns: ColumnArrays<S> }> {
  const result = await conn.run(sql);
  const chunks = await result.fetchAllChunks();
  let length = 0;
  for (const chunk of chunks) length += chunk.rowCount;
  const names = Object.keys(spec);
  const out: Record<string, Int32Array | Float64Array | (string | null)[]> = {};
  for (const name of names) {
    const kind = spec[name];
    out[name] = kind === 'i32' ? new Int32Array(length) : kind === 'f64' ? new Float64Array(length) : new Array(length);
  }
  let offset = 0;
  for (const chunk of chunks) {
    const n = chunk.rowCount;
    names.forEach((name, col) => {
      const vector = chunk.getColumnVector(col) as DuckDBVector<DuckDBValue>;
      const target = out[name];
      if (spec[name] === 'str') {
        const arr = target as (string | null)[];
        for (let i = 0; i < n; i++) arr[offset + i] = vector.getItem(i) as string | null;
      } else {
        const arr = target as Int32Array | Float64Array;
        for (let i = 0; i < n; i++) arr[offset + i] = (vector.getItem(i) as number | null) ?? 0;
      }
    });
    offset += n;
  }
  return { length, columns: out as ColumnArrays<S> };
}
