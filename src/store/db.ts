import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { migrate } from './migrations.js';

/** TOUCHLINE_PROFILE=1 prints each statement's time on stderr (for tuning). */
export const PROFILE = Boolean(process.env.TOUCHLINE_PROFILE);

export function profiled(sql: string, started: number): void {
  process.stderr.write(`[sql ${(performance.now() - started).toFixed(0).padStart(5)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 90)}\n`);
}

export type SqlParam = string | number | boolean | null | bigint;
export type Row = Record<string, unknown>;

/** Where the database lives: --db FILE, else TOUCHLINE_DB, else ./touchline.duckdb (SPEC §10). */
export function resolveDbPath(flag?: string): string {
  return flag ?? process.env.TOUCHLINE_DB ?? './touchline.duckdb';
}

/**
 * The embedded DuckDB store. One connection per process; every write that must be
 * all-or-nothing goes through `transaction`.
 */
export class Store {
  private depth = 0;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<Store> {
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run(`SET TimeZone = 'UTC'`);
    // DuckDB's own memory (it spills to disk beyond it); keeps a large ingest within a laptop's means.
    await conn.run(`SET memory_limit = ${sqlString(process.env.TOUCHLINE_MEMORY_LIMIT ?? '1GB')}`);
    const store = new Store(path, instance, conn);
    await migrate(store);
    return store;
  }

  async run(sql: string, params: SqlParam[] = []): Promise<void> {
    const started = PROFILE ? performance.now() : 0;
    if (params.length === 0) await this.conn.run(sql);
    else await this.conn.run(sql, params as DuckDBValue[]);
    if (PROFILE) profiled(sql, started);
  }

  /** Rows as plain JS objects (BIGINT arrives as bigint: cast in SQL where a number is wanted). */
  async all<T = Row>(sql: string, params: SqlParam[] = []): Promise<T[]> {
    const started = PROFILE ? performance.now() : 0;
    const reader = params.length === 0
      ? await this.conn.runAndReadAll(sql)
      : await this.conn.runAndReadAll(sql, params as DuckDBValue[]);
    if (PROFILE) profiled(sql, started);
    return reader.getRowObjectsJS() as T[];
  }

  async one<T = Row>(sql: string, params: SqlParam[] = []): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async scalar<T = unknown>(sql: string, params: SqlParam[] = []): Promise<T> {
    const started = PROFILE ? performance.now() : 0;
    const reader = params.length === 0
      ? await this.conn.runAndReadAll(sql)
      : await this.conn.runAndReadAll(sql, params as DuckDBValue[]);
    if (PROFILE) profiled(sql, started);
    const rows = reader.getRowsJS();
    return (rows[0]?.[0] ?? null) as T;
  }

  /** Runs fn in one transaction; nested calls join the outer one. Rolls back on any error. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.depth > 0) {
      this.depth++;
      try { return await fn(); } finally { this.depth--; }
    }
    await this.conn.run('BEGIN TRANSACTION');
    this.depth = 1;
    try {
      const result = await fn();
      await this.conn.run('COMMIT');
      return result;
    } catch (err) {
      try { await this.conn.run('ROLLBACK'); } catch { /* the original error matters */ }
      throw err;
    } finally {
      this.depth = 0;
    }
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** Quotes a string as a SQL literal (for DDL-ish places where parameters are not allowed). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
