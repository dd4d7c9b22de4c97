/**
 * A small service over the share example, as a team would write it: the fixed
 * operations call the generated guards; the naive ones read, then write in a
 * later statement (what the model's naive operations describe). Kept as source
 * text: it is compiled with the generated files in a temporary project.
 */
export const SERVICE_SOURCE = `
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  createSnapshotFinishSnapshot,
  createSnapshotMarkSnapshotting,
  deleteShareConditionalMarkDeleting,
  deleteShareMarkDeleting,
  SQL_TABLES,
  type Fields,
} from './guards.js';
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
        // A networked database answers after a round trip; an embedded one at once. Waiting a
        // tick gives other workers the same chance to run between two statements as on PostgreSQL.
        await pause(0);
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

export async function createSchema(db: Db, kind: Kind): Promise<void> {
  await db.query('CREATE TABLE share (id TEXT PRIMARY KEY, status TEXT NOT NULL)');
  await db.query('CREATE TABLE snapshot (id TEXT PRIMARY KEY, status TEXT NOT NULL, share_id TEXT NOT NULL REFERENCES share (id))');
  await db.query(kind === 'postgres'
    ? 'CREATE TABLE driver_log (seq SERIAL PRIMARY KEY, kind TEXT NOT NULL, share_id TEXT NOT NULL)'
    : 'CREATE TABLE driver_log (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, share_id TEXT NOT NULL)');
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The storage backend's driver: the call the model says must not happen twice, or under a live snapshot. */
async function driverCall(db: Db, kind: 'delete_share' | 'create_snapshot', share: string): Promise<void> {
  await db.query('INSERT INTO driver_log (kind, share_id) VALUES ($1, $2)', [kind, share]);
  await pause(1);
}

export type Outcome = 'done' | 'refused';

/** deleteShare: the generated transaction guard, then the driver, with no lock held across it. */
export async function deleteShare(db: Db, share: string): Promise<Outcome> {
  const marked = await deleteShareMarkDeleting(db.store, { share });
  if (!marked.ok) return 'refused';
  await driverCall(db, 'delete_share', share);
  await db.query('UPDATE share SET status = $1 WHERE id = $2', ['deleted', share]);
  return 'done';
}

/** deleteShareConditional: Cinder's way, one conditional UPDATE (the generated update guard), then the driver. */
export async function deleteShareConditional(db: Db, share: string): Promise<Outcome> {
  const marked = await deleteShareConditionalMarkDeleting(db.store, { share });
  if (!marked.changed) {
    // The model's onFail: which condition failed decides the message.
    if (marked.outcome !== 'onFail' || (marked.failedAs !== 'state' && marked.failedAs !== 'no_snapshots')) throw new Error(marked.reason);
    return 'refused';
  }
  await driverCall(db, 'delete_share', share);
  await db.query('UPDATE share SET status = $1 WHERE id = $2', ['deleted', share]);
  return 'done';
}

/** createSnapshot: the generated cas guard, then the driver, then the finishing transaction guard. */
export async function createSnapshot(db: Db, share: string, snap: string): Promise<Outcome> {
  const marked = await createSnapshotMarkSnapshotting(db.store, { share });
  if (!marked.ok) return 'refused';
  await db.query('UPDATE snapshot SET status = $1 WHERE id = $2', ['creating', snap]);
  await driverCall(db, 'create_snapshot', share);
  const finished = await createSnapshotFinishSnapshot(db.store, { snap, share });
  if (!finished.ok) throw new Error(finished.reason);
  return 'done';
}

/** deleteShareNaive: check the status and the snapshots, then write in a later statement. */
export async function deleteShareNaive(db: Db, share: string): Promise<Outcome> {
  const [row] = await db.query('SELECT status FROM share WHERE id = $1', [share]);
  if (row?.status !== 'available' && row?.status !== 'error') return 'refused';
  const snaps = await db.query("SELECT id FROM snapshot WHERE share_id = $1 AND status IN ('creating', 'available')", [share]);
  if (snaps.length > 0) return 'refused';
  await db.query('UPDATE share SET status = $1 WHERE id = $2', ['deleting', share]);
  await driverCall(db, 'delete_share', share);
  await db.query('UPDATE share SET status = $1 WHERE id = $2', ['deleted', share]);
  return 'done';
}

/** createSnapshotNaive: check the status, then write in a later statement. */
export async function createSnapshotNaive(db: Db, share: string, snap: string): Promise<Outcome> {
  const [row] = await db.query('SELECT status FROM share WHERE id = $1', [share]);
  if (row?.status !== 'available') return 'refused';
  await db.query('UPDATE share SET status = $1 WHERE id = $2', ['snapshotting', share]);
  await db.query('UPDATE snapshot SET status = $1 WHERE id = $2', ['creating', snap]);
  await driverCall(db, 'create_snapshot', share);
  await db.query('UPDATE snapshot SET status = $1 WHERE id = $2', ['available', snap]);
  await db.query('UPDATE share SET status = $1 WHERE id = $2', ['available', share]);
  return 'done';
}
`;

/** A worker thread: opens its own connection, runs the operation it is told to, reports the outcome. */
export const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
import * as svc from './service.js';

const db = svc.openDb(workerData.kind, workerData.url);
const ops = {
  fixed: { delete: svc.deleteShare, snapshot: svc.createSnapshot },
  naive: { delete: svc.deleteShareNaive, snapshot: svc.createSnapshotNaive },
  conditional: { delete: svc.deleteShareConditional, snapshot: svc.createSnapshot },
};
parentPort.on('message', async (msg) => {
  if (msg.type === 'stop') {
    await db.close();
    parentPort.close();
    return;
  }
  try {
    const run = ops[msg.path][msg.op];
    const outcome = await run(db, msg.share, msg.snap);
    parentPort.postMessage({ round: msg.round, outcome });
  } catch (error) {
    parentPort.postMessage({ round: msg.round, error: String(error && error.stack || error) });
  }
});
parentPort.postMessage({ ready: true });
`;
