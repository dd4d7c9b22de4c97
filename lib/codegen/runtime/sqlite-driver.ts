// SQLite for the SQL store, through `better-sqlite3`: BEGIN IMMEDIATE transactions, queued.
import { sleep } from './guard-plan';
import type { SqlDriver, SqlSession } from './sql-store';

/** What `sqliteDriver` needs of a `better-sqlite3` Database. */
export interface BetterSqlite3Like {
  prepare(sql: string): {
    readonly reader: boolean;
    run(...params: any[]): { changes: number };
    all(...params: any[]): unknown[];
  };
  exec(sql: string): unknown;
}

/**
 * SQLite through `better-sqlite3`. Transactions start with BEGIN IMMEDIATE, which
 * takes SQLite's single write lock before the first read: transactions on one
 * database file then run one at a time, i.e. serializably. Open the database with
 * a busy timeout (`new Database(file, { timeout })`) so other processes wait for
 * the lock instead of failing. Transactions on one connection are queued.
 */
export function sqliteDriver(
  db: BetterSqlite3Like,
  options: { maxAttempts?: number } = {},
): SqlDriver {
  const maxAttempts = options.maxAttempts ?? 50;
  let queue: Promise<unknown> = Promise.resolve();
  const session: SqlSession = {
    async execute(sql, params) {
      const stmt = db.prepare(sql);
      const bound = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
      if (stmt.reader) return { changes: 0, rows: stmt.all(...bound) as Record<string, unknown>[] };
      return { changes: stmt.run(...bound).changes, rows: [] };
    },
  };
  const once = async <T>(fn: (session: SqlSession) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && code.startsWith('SQLITE_BUSY') && attempt < maxAttempts) {
          await sleep(Math.random() * Math.min(50, 2 * attempt));
          continue;
        }
        throw error;
      }
      try {
        const result = await fn(session);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // The transaction is already gone.
        }
        throw error;
      }
    }
  };
  return {
    dialect: 'sqlite',
    transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
      const next = queue.then(
        () => once(fn),
        () => once(fn),
      );
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
