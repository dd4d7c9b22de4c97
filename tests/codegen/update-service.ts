/**
 * A small service over the generated update guards (tests/codegen/update-model.ts), compiled with
 * them in a temporary project, and the worker thread that runs it. Kept as source text.
 */
export const UPDATE_SERVICE_SOURCE = `
import Database from 'better-sqlite3';
import pg from 'pg';
import { bumpVersionBump, deleteShareMarkDeleting, SQL_TABLES, type Fields } from './guards.js';
import type { GuardStore } from './lockstep-runtime/guard-plan.js';
import { pgDriver } from './lockstep-runtime/pg-driver.js';
import { sqliteDriver } from './lockstep-runtime/sqlite-driver.js';
import { sqlStore } from './lockstep-runtime/sql-store.js';

export type Kind = 'sqlite' | 'postgres';

export interface Db {
  readonly store: GuardStore<Fields>;
  /** One autocommit statement, written with $n placeholders. */
  query(sql: string, params?: Array<string | number>): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export function openDb(kind: Kind, url: string): Db {
  if (kind === 'sqlite') {
    const db = new Database(url, { timeout: 20_000 });
    db.pragma('journal_mode = WAL');
    return {
      store: sqlStore(sqliteDriver(db), SQL_TABLES),
      async query(sql, params = []) {
        const stmt = db.prepare(sql.replace(/\\$\\d+/g, '?'));
        if (stmt.reader) return stmt.all(...params) as Array<Record<string, unknown>>;
        stmt.run(...params);
        return [];
      },
      async close() {
        db.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    store: sqlStore(pgDriver(pool), SQL_TABLES),
    async query(sql, params = []) {
      return (await pool.query(sql, params)).rows as Array<Record<string, unknown>>;
    },
    close: () => pool.end(),
  };
}

export async function createSchema(db: Db): Promise<void> {
  await db.query(
    'CREATE TABLE share (id TEXT PRIMARY KEY, status TEXT NOT NULL, version INTEGER NOT NULL, size INTEGER NOT NULL, previous TEXT NOT NULL)',
  );
  await db.query('CREATE TABLE snapshot (id TEXT PRIMARY KEY, status TEXT NOT NULL, share_id TEXT NOT NULL REFERENCES share (id))');
}

/** Cinder-style delete: one UPDATE … WHERE status IN (…) AND NOT EXISTS (snapshot …). */
export function deleteShare(db: Db, share: string) {
  return deleteShareMarkDeleting(db.store, { share });
}

/** A version-counter write (Cinder's race_preventer): wins only if the row is still at version v. */
export function bump(db: Db, share: string, v: number) {
  return bumpVersionBump(db.store, { share, v });
}
`;

export const UPDATE_WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
import * as svc from './service.js';

const db = svc.openDb(workerData.kind, workerData.url);
parentPort.on('message', async (msg) => {
  if (msg.type === 'stop') {
    await db.close();
    parentPort.close();
    return;
  }
  try {
    const result = msg.op === 'delete' ? await svc.deleteShare(db, msg.share) : await svc.bump(db, msg.share, msg.v);
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.stack) || error) });
  }
});
parentPort.postMessage({ ready: true });
`;
