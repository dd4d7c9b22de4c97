// PostgreSQL for the SQL store, through `pg`'s Pool: SERIALIZABLE transactions, retried.
import { sleep } from './guard-plan';
import type { SqlDriver, SqlParam, SqlSession } from './sql-store';

/** What `pgDriver` needs of `pg.Pool` (or any pool with the same shape). */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
}
export interface PgClientLike {
  query(text: string, values?: any[]): Promise<{ rowCount: number | null; rows: any[] }>;
  release(error?: any): void;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  off?(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * PostgreSQL through `pg`'s Pool. Every transaction takes its own connection,
 * runs at SERIALIZABLE and is retried (up to `maxAttempts`, default 50) on SQLSTATE 40001
 * (serialization failure) and 40P01 (deadlock).
 */
export function pgDriver(pool: PgPoolLike, options: { maxAttempts?: number } = {}): SqlDriver {
  const maxAttempts = options.maxAttempts ?? 50;
  return {
    dialect: 'postgres',
    async transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken: unknown = undefined;
        // A connection lost between statements must reject this transaction, not crash the process.
        const onError = (error: Error) => {
          broken = error;
        };
        client.on?.('error', onError);
        try {
          await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
          const session: SqlSession = {
            async execute(sql, params) {
              const r = await client.query(sql, params as SqlParam[]);
              return { changes: r.rowCount ?? 0, rows: r.rows };
            },
          };
          const result = await fn(session);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            broken = rollbackError;
          }
          const code = (error as { code?: unknown } | null)?.code;
          if ((code === '40001' || code === '40P01') && attempt < maxAttempts) {
            await sleep(Math.random() * Math.min(50, 2 * attempt));
            continue;
          }
          throw error;
        } finally {
          client.off?.('error', onError);
          client.release(broken);
        }
      }
    },
  };
}

/** What `sqliteDriver` needs of a `better-sqlite3` Database. */
